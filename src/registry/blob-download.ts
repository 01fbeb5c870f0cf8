/**
 * Verified blob downloads: a blob is streamed to a file while its sha256 and length are
 * computed, and refused (the file deleted) unless both equal what its descriptor says. Nothing
 * reads a blob before it passed. The executor install and the base-image cache both download
 * through here.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Descriptor } from '../lib/oci.js';
import type { Response } from './http.js';

/** Buffered bytes per stage of a download: fewer, larger chunks cost less CPU per MiB. */
const CHUNK = 1024 * 1024;

/** What a blob must be: its digest and its size in bytes. */
export type BlobDescriptor = Pick<Descriptor, 'digest' | 'size'>;

/** Where blobs come from: a registry client (`RegistryClient`) or anything that answers alike. */
export interface BlobSource {
  /** The blob as a streaming response with status 200; throws for any other answer. */
  getBlob(repository: string, digest: string): Promise<Response>;
}

/** A blob whose bytes are not what its descriptor promised. */
export class BlobMismatchError extends Error {
  constructor(
    readonly expected: BlobDescriptor,
    readonly actualDigest: string,
    readonly actualSize: number,
  ) {
    super(
      actualSize !== expected.size
        ? `the registry sent ${actualSize}${actualSize > expected.size ? '+' : ''} bytes for ${expected.digest}, not the ${expected.size} its descriptor says; refusing it`
        : `the registry sent bytes with the digest ${actualDigest} for ${expected.digest}; refusing them`,
    );
    this.name = 'BlobMismatchError';
  }
}

/**
 * Downloads `descriptor` of `repository` to `file` (created with mode 0600), verifying its
 * sha256 and size. Stops reading as soon as more bytes arrive than the descriptor's size. On
 * any failure the file is removed.
 */
export async function downloadBlob(
  client: BlobSource,
  repository: string,
  descriptor: BlobDescriptor,
  file: string,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    const response = await client.getBlob(repository, descriptor.digest);
    if (!response.body) throw new Error(`the registry sent no body for ${descriptor.digest}`);
    const meter = new Transform({
      highWaterMark: CHUNK,
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > descriptor.size) {
          callback(new BlobMismatchError(descriptor, '', size));
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>, { highWaterMark: CHUNK }),
      meter,
      fs.createWriteStream(file, { mode: 0o600, highWaterMark: CHUNK }),
    );
    const digest = `sha256:${hash.digest('hex')}`;
    if (size !== descriptor.size || digest !== descriptor.digest) {
      throw new BlobMismatchError(descriptor, digest, size);
    }
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}
