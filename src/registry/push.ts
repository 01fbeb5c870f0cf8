/**
 * The pushing client of the OCI distribution API of one registry host: blobs (existence check,
 * cross-repository mount, monolithic or chunked upload streamed from disk) and manifests (PUT by
 * digest or by tag). It shares the host's session with the reading client, asking for tokens
 * with `pull,push` scope; failed uploads start over, a bounded number of times, as reads do.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sha256Digest } from '../lib/oci.js';
import { RegistryError, registryFailure } from './errors.js';
import { HttpError, isRetryableStatus, redactUrl, type Response } from './http.js';
import { scopesFor, type RegistrySession } from './session.js';

/** A blob on local disk: its digest, its size and the file that holds it. */
export interface LocalBlob {
  digest: string;
  size: number;
  path: string;
}

export interface PusherOptions {
  /**
   * Blobs up to this size go up in one `PUT`; larger ones in `PATCH` chunks of this size.
   * Default 64 MiB.
   */
  chunkSize?: number;
}

/** How a blob came to be in the repository. */
export type BlobOutcome = 'exists' | 'mounted' | 'uploaded';

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
/** The chunk size after a registry refused a whole blob as too large (413). */
export const SMALL_CHUNK_SIZE = 4 * 1024 * 1024;
/** Bytes read from disk at a time while a blob streams out. */
const READ_SIZE = 1024 * 1024;

/** An upload that cannot go on but may succeed from the start: the session was lost. */
class UploadLost extends RegistryError {}

export class RegistryPusher {
  /** Where this run has seen blobs on this host: digest → a repository that holds it. */
  private readonly seen = new Map<string, string>();
  private readonly chunkSize: number;

  constructor(
    private readonly session: RegistrySession,
    options: PusherOptions = {},
  ) {
    this.chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  /** Notes that `repository` holds these blobs, so a push to another repository can mount them. */
  remember(repository: string, digests: Iterable<string>): void {
    for (const digest of digests) if (!this.seen.has(digest)) this.seen.set(digest, repository);
  }

  /**
   * Whether `repository` has the blob (HEAD). `from`: the repository a mount would read, so
   * that one token serves the check and the mount.
   */
  async blobExists(repository: string, digest: string, from?: string): Promise<boolean> {
    const url = this.session.blobUrl(repository, digest);
    const scopes = scopesFor(repository, 'push', from);
    const { response, body } = await this.session.buffered(scopes, url, { method: 'HEAD' });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.failure('HEAD', url, response, body, repository);
  }

  /**
   * Makes sure `repository` has the blob: nothing to do when it is there; else mounted from a
   * repository of the host that holds it (one this run saw it in, else the first of
   * `mountFrom`); else uploaded from its file. A failed upload starts over (bounded).
   */
  async pushBlob(
    repository: string,
    blob: LocalBlob,
    mountFrom: readonly string[] = [],
  ): Promise<BlobOutcome> {
    const known = this.seen.get(blob.digest);
    const from = [known, ...mountFrom].find((r) => r !== undefined && r !== repository);
    if (await this.blobExists(repository, blob.digest, from)) {
      this.remember(repository, [blob.digest]);
      return 'exists';
    }
    const size = (await stat(blob.path)).size;
    if (size !== blob.size) {
      throw new Error(
        `The blob ${blob.digest} at ${blob.path} holds ${size} bytes, not the ${blob.size} its descriptor says.`,
      );
    }
    let chunkSize = this.chunkSize;
    const outcome = await this.session.http.repeat(
      async () => {
        try {
          return await this.upload(repository, blob, from, chunkSize);
        } catch (error) {
          // A registry (or a proxy before it) that takes no body this large gets chunks.
          if (
            error instanceof RegistryError &&
            error.status === 413 &&
            chunkSize > SMALL_CHUNK_SIZE
          ) {
            chunkSize = SMALL_CHUNK_SIZE;
            throw new UploadLost(error.message, error.url, 413, { cause: error });
          }
          throw error;
        }
      },
      (error) =>
        error instanceof HttpError ||
        error instanceof UploadLost ||
        (error instanceof RegistryError && isRetryableStatus(error.status)),
    );
    this.remember(repository, [blob.digest]);
    return outcome;
  }

  /**
   * Puts a manifest or index under `reference` (a tag, or its digest) and returns its digest;
   * the registry's `Docker-Content-Digest`, when sent, must be the same.
   */
  async putManifest(
    repository: string,
    reference: string,
    body: Buffer,
    mediaType: string,
  ): Promise<string> {
    const digest = sha256Digest(body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new Error(`A manifest with the digest ${digest} cannot be put as ${reference}.`);
    }
    const url = this.session.manifestUrl(repository, reference);
    const { response, body: answer } = await this.session.buffered(
      scopesFor(repository, 'push'),
      url,
      // PUT is idempotent: the same manifest again is harmless, so it is retried like reads.
      { method: 'PUT', headers: { 'content-type': mediaType }, body, retry: true },
    );
    if (response.status !== 201 && response.status !== 200) {
      throw this.failure('PUT', url, response, answer, repository);
    }
    const stored = response.headers.get('docker-content-digest');
    if (stored && stored !== digest) {
      throw new RegistryError(
        `PUT ${redactUrl(url)} stored the digest ${stored}, not ${digest}.`,
        redactUrl(url),
        response.status,
      );
    }
    return digest;
  }

  /** One try: open an upload (mounting when `from` has the blob), then send the bytes. */
  private async upload(
    repository: string,
    blob: LocalBlob,
    from: string | undefined,
    chunkSize: number,
  ): Promise<BlobOutcome> {
    const scopes = scopesFor(repository, 'push', from);
    let url = `${this.session.base}/v2/${repository}/blobs/uploads/`;
    if (from !== undefined) {
      url += `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(from)}`;
    }
    // Not retried here: `pushBlob` starts the whole upload over on the same errors.
    const { response, body } = await this.session.buffered(scopes, url, {
      method: 'POST',
      headers: { 'content-length': '0' },
      retry: false,
    });
    if (response.status === 201 && from !== undefined) {
      this.checkDigest(response, blob.digest, url);
      return 'mounted';
    }
    if (response.status !== 202) throw this.failure('POST', url, response, body, repository);
    let location = this.session.resolveLocation(response.headers.get('location'), url, 202);
    const minimum = Number(response.headers.get('oci-chunk-min-length') ?? 0);
    const chunk = Math.max(chunkSize, Number.isSafeInteger(minimum) ? minimum : 0);

    if (blob.size > chunk) {
      for (let start = 0; start < blob.size; start += chunk) {
        const end = Math.min(blob.size, start + chunk) - 1;
        const patched = await this.send(scopes, location, 'PATCH', blob.path, start, end, {
          'content-range': `${start}-${end}`,
        });
        if (patched.response.status !== 202) {
          throw this.uploadFailure('PATCH', location, patched, repository);
        }
        location = this.session.resolveLocation(
          patched.response.headers.get('location'),
          location.href,
          202,
        );
      }
    }
    const done = new URL(location);
    done.search += `${done.search ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`;
    // After chunks the PUT only closes the upload; otherwise it carries the whole blob.
    const last = blob.size > chunk ? -1 : blob.size - 1;
    const put = await this.send(scopes, done, 'PUT', blob.path, 0, last, {});
    if (put.response.status !== 201) throw this.uploadFailure('PUT', done, put, repository);
    this.checkDigest(put.response, blob.digest, done.href);
    return 'uploaded';
  }

  /** Sends bytes `start`…`end` (inclusive; none when `end < start`) of a file. */
  private async send(
    scopes: readonly string[],
    url: URL,
    method: 'PATCH' | 'PUT',
    file: string,
    start: number,
    end: number,
    headers: Record<string, string>,
  ): Promise<{ response: Response; body: Buffer }> {
    const length = Math.max(0, end - start + 1);
    const response = await this.session.streamed(
      scopes,
      url.href,
      {
        method,
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          'content-length': String(length),
        },
        retry: false,
      },
      length > 0
        ? () => createReadStream(file, { start, end, highWaterMark: READ_SIZE })
        : undefined,
    );
    const body = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
    return { response, body };
  }

  private checkDigest(response: Response, digest: string, url: string): void {
    const stored = response.headers.get('docker-content-digest');
    if (stored && stored !== digest) {
      throw new RegistryError(
        `${redactUrl(url)} stored the blob as ${stored}, not ${digest}.`,
        redactUrl(url),
        response.status,
      );
    }
  }

  /** An upload step's failure; a lost upload session (404) may start over. */
  private uploadFailure(
    method: string,
    url: URL,
    { response, body }: { response: Response; body: Buffer },
    repository: string,
  ): RegistryError {
    const error = this.failure(method, url.href, response, body, repository);
    if (response.status === 404 || response.status === 416) {
      return new UploadLost(error.message, error.url, error.status, { cause: error });
    }
    return error;
  }

  /** An error for an unexpected answer, saying what to do about it. */
  private failure(
    method: string,
    url: string,
    response: Response,
    body: Buffer,
    repository: string,
  ): RegistryError {
    return registryFailure(
      { method, url, response, body, repository, access: 'push' },
      this.session.credentials !== undefined,
    );
  }
}
