/**
 * Blobs of the executor image, downloaded and verified (`registry/blob-download.ts`): nothing
 * reads a blob before its sha256 and size passed.
 */
import * as fs from 'node:fs';
import { downloadBlob, type BlobDescriptor, type BlobSource } from '../registry/blob-download.js';

export { BlobMismatchError, downloadBlob } from '../registry/blob-download.js';

/** A small blob (the image config), downloaded and verified like any other, then read. */
export async function fetchBlob(
  client: BlobSource,
  repository: string,
  descriptor: BlobDescriptor,
  file: string,
): Promise<Buffer> {
  await downloadBlob(client, repository, descriptor, file);
  return fs.promises.readFile(file);
}
