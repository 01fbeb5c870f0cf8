/**
 * The blobs of the job's base-image cache: one directory, one file per digest. A blob is
 * downloaded once — requests for a blob already on its way wait for that download — and is
 * stored only after its sha256 and size passed (`blob-download.ts`); every later request reads
 * the stored file. A download that failed is forgotten, so the next request tries again.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ownedTempDir } from '../lib/owned-dirs.js';
import {
  BlobMismatchError,
  downloadBlob,
  type BlobDescriptor,
  type BlobSource,
} from './blob-download.js';
import { RegistryError } from './errors.js';
import { HttpError } from './http.js';

/** The name every store directory starts with (under RUNNER_TEMP). */
export const BLOB_STORE_PREFIX = 'kaniko-release-bases-';

/** A verified blob in the store. */
export interface StoredBlob {
  digest: string;
  size: number;
  /** The file holding its bytes (mode 0600). */
  file: string;
}

export interface BlobStoreOptions {
  /**
   * Tries of one download whose body broke off (a reset, a stalled body); the HTTP layer has
   * already retried failed requests. A blob whose bytes do not match is never tried again.
   * Default 3.
   */
  attempts?: number;
}

export class BlobStore {
  private readonly blobs = new Map<string, Promise<StoredBlob>>();
  private partials = 0;
  /** Blobs downloaded into the store, and their bytes. */
  downloads = 0;
  downloadedBytes = 0;

  private constructor(
    /** The store's directory (mode 0700). */
    readonly dir: string,
    private readonly attempts: number,
  ) {}

  /** A new, empty store in a fresh directory under `parent`. */
  static async create(parent: string, options: BlobStoreOptions = {}): Promise<BlobStore> {
    const dir = await fs.mkdtemp(path.join(parent, BLOB_STORE_PREFIX));
    await fs.chmod(dir, 0o700);
    return new BlobStore(dir, Math.max(1, options.attempts ?? 3));
  }

  /**
   * The verified blob `descriptor`, from the store, or downloaded from `repository` of
   * `source` first. Concurrent calls for one digest share one download.
   */
  async get(
    source: BlobSource,
    repository: string,
    descriptor: BlobDescriptor,
  ): Promise<StoredBlob> {
    let blob = this.blobs.get(descriptor.digest);
    if (!blob) {
      const started = this.download(source, repository, descriptor);
      blob = started;
      this.blobs.set(descriptor.digest, started);
      started.catch(() => {
        if (this.blobs.get(descriptor.digest) === started) this.blobs.delete(descriptor.digest);
      });
    }
    const found = await blob;
    if (found.size !== descriptor.size) {
      // The bytes of a digest have one size: this descriptor cannot be right.
      throw new BlobMismatchError(descriptor, found.digest, found.size);
    }
    return found;
  }

  /** Deletes the store and everything in it. */
  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  private async download(
    source: BlobSource,
    repository: string,
    descriptor: BlobDescriptor,
  ): Promise<StoredBlob> {
    const file = path.join(this.dir, descriptor.digest.replace(':', '-'));
    for (let attempt = 1; ; attempt++) {
      const partial = path.join(this.dir, `.partial-${++this.partials}`);
      try {
        await downloadBlob(source, repository, descriptor, partial);
        await fs.rename(partial, file);
        this.downloads++;
        this.downloadedBytes += descriptor.size;
        return { digest: descriptor.digest, size: descriptor.size, file };
      } catch (error) {
        const final =
          error instanceof BlobMismatchError ||
          error instanceof RegistryError ||
          error instanceof HttpError;
        if (final || attempt >= this.attempts) throw error;
      }
    }
  }
}

/**
 * Deletes a store directory the job left behind (the post step): only a store directory
 * directly under `temp` (see `ownedTempDir`), so a corrupted state value deletes nothing else.
 */
export async function removeStoreDir(dir: string, temp: string): Promise<void> {
  await fs.rm(ownedTempDir(dir, BLOB_STORE_PREFIX, temp), { recursive: true, force: true });
}
