/**
 * The base-image cache's blob store, fed by the real registry client from a small HTTP server
 * on 127.0.0.1 that serves blobs as a registry does — and, on request, slowly, with wrong
 * bytes, or breaking off mid-body.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlobMismatchError } from '../../src/registry/blob-download.js';
import { BLOB_STORE_PREFIX, BlobStore } from '../../src/registry/blob-store.js';
import { Http } from '../../src/registry/http.js';
import { RegistryClient } from '../../src/registry/oci-client.js';

interface Served {
  data: Buffer;
  /** Bytes sent instead of `data` (a registry that serves something else under the digest). */
  wrong?: Buffer;
  /** Milliseconds before the answer. */
  delayMs?: number;
  /** How many of the next answers break off after half of the body. */
  breakOff?: number;
}

const served = new Map<string, Served>();
/** GET requests per digest. */
const gets = new Map<string, number>();
let server: Server;
let host: string;
let root: string;
let http: Http;

function digestOf(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function blob(size: number, options: Omit<Served, 'data'> = {}) {
  const data = randomBytes(size);
  const digest = digestOf(data);
  served.set(digest, { data, ...options });
  return { digest, size, data };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '')?.[1] ?? '';
    const entry = served.get(digest);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
      return;
    }
    gets.set(digest, (gets.get(digest) ?? 0) + 1);
    const body = entry.wrong ?? entry.data;
    setTimeout(() => {
      res.writeHead(200, { 'content-length': String(body.length) });
      if (entry.breakOff) {
        entry.breakOff--;
        res.write(body.subarray(0, body.length >> 1), () => res.destroy());
        return;
      }
      res.end(body);
    }, entry.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = new Http({
    insecureRegistries: [host],
    caCertificates: '',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
});

afterAll(async () => {
  await http?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'blob-store-test-'));
  gets.clear();
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const client = () => new RegistryClient(http, host);

describe('BlobStore', () => {
  it('is a fresh 0700 directory under the given parent', async () => {
    const store = await BlobStore.create(root);
    expect(path.dirname(store.dir)).toBe(root);
    expect(path.basename(store.dir).startsWith(BLOB_STORE_PREFIX)).toBe(true);
    expect(fs.statSync(store.dir).mode & 0o777).toBe(0o700);
    await store.remove();
    expect(fs.existsSync(store.dir)).toBe(false);
  });

  it('downloads a blob once, verified, and serves it from its file after', async () => {
    const store = await BlobStore.create(root);
    const b = blob(300_000);
    const first = await store.get(client(), 'lib/base', b);
    const again = await store.get(client(), 'other/repo', b);
    expect(again).toEqual(first);
    expect(fs.readFileSync(first.file).equals(b.data)).toBe(true);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    expect(gets.get(b.digest)).toBe(1);
    expect(store.downloads).toBe(1);
    expect(store.downloadedBytes).toBe(b.size);
  });

  it('shares one download among requests that come while it runs', async () => {
    const store = await BlobStore.create(root);
    const b = blob(200_000, { delayMs: 200 });
    const c = client();
    const all = await Promise.all(Array.from({ length: 6 }, () => store.get(c, 'lib/base', b)));
    expect(new Set(all.map((s) => s.file)).size).toBe(1);
    expect(gets.get(b.digest)).toBe(1);
  });

  it('refuses bytes that do not match the digest, stores nothing, and asks again next time', async () => {
    const store = await BlobStore.create(root);
    const b = blob(50_000);
    served.get(b.digest)!.wrong = randomBytes(50_000);
    const error = await store.get(client(), 'lib/base', b).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobMismatchError);
    expect((error as Error).message).toMatch(/digest .* refusing them/);
    expect(gets.get(b.digest)).toBe(1); // a mismatch is not retried
    expect(fs.readdirSync(store.dir)).toEqual([]);

    served.get(b.digest)!.wrong = undefined;
    const stored = await store.get(client(), 'lib/base', b);
    expect(fs.readFileSync(stored.file).equals(b.data)).toBe(true);
    expect(gets.get(b.digest)).toBe(2);
  });

  it('refuses a blob of another size than its descriptor says', async () => {
    const store = await BlobStore.create(root);
    const b = blob(4_000);
    await expect(store.get(client(), 'lib/base', { ...b, size: 3_999 })).rejects.toThrow(
      /4000\+ bytes .* not the 3999/,
    );
    expect(fs.readdirSync(store.dir)).toEqual([]);
    // Stored with its true size, a request claiming another size is refused too.
    await store.get(client(), 'lib/base', b);
    await expect(store.get(client(), 'lib/base', { ...b, size: 12 })).rejects.toBeInstanceOf(
      BlobMismatchError,
    );
  });

  it('tries a download again when the body breaks off, a bounded number of times', async () => {
    const store = await BlobStore.create(root, { attempts: 3 });
    const b = blob(400_000, { breakOff: 2 });
    const stored = await store.get(client(), 'lib/base', b);
    expect(fs.readFileSync(stored.file).equals(b.data)).toBe(true);
    expect(gets.get(b.digest)).toBe(3);
    expect(fs.readdirSync(store.dir)).toEqual([path.basename(stored.file)]);

    const never = blob(400_000, { breakOff: 10 });
    await expect(store.get(client(), 'lib/base', never)).rejects.toThrow();
    expect(gets.get(never.digest)).toBe(3);
    expect(fs.readdirSync(store.dir)).toEqual([path.basename(stored.file)]);
  });

  it('fails at once for a blob the registry does not have', async () => {
    const store = await BlobStore.create(root);
    const missing = { digest: digestOf(Buffer.from('nothing')), size: 7 };
    await expect(store.get(client(), 'lib/base', missing)).rejects.toThrow(/404/);
  });
});
