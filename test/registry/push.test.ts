/**
 * The push client against the real Debian `docker-registry` on 127.0.0.1: with htpasswd
 * (Basic) auth, and behind a Bearer token service (test/support/token-registry.ts) that wants
 * `pull,push` for writes and `pull` on the source of a mount, as distribution does. Blobs go up
 * in one PUT or in PATCH chunks, are mounted across repositories, manifests and indexes are put
 * by digest and by tag; what the registry then serves is read back and compared.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/registry/errors.js';
import { Http } from '../../src/registry/http.js';
import { RegistryClient } from '../../src/registry/oci-client.js';
import { RegistryPusher, type LocalBlob } from '../../src/registry/push.js';
import { getBlob, getManifest, MEDIA_TYPES, sha256Digest } from '../support/oci-image.js';
import { listTags, startRegistry, type LocalRegistry } from '../support/registry.js';
import { startTokenRegistry, type TokenRegistry } from '../support/token-registry.js';

const USER = 'pusher';
const PASSWORD = 'push-Pa55-word';

let scratch: string;

/** A file of `size` random bytes, as a blob. */
function blobFile(size: number): LocalBlob & { data: Buffer } {
  const data = randomBytes(size);
  const file = path.join(scratch, `blob-${data.subarray(0, 8).toString('hex')}`);
  fs.writeFileSync(file, data);
  return { digest: sha256Digest(data), size, path: file, data };
}

function http(host: string, sleeps: number[] = []): Http {
  return new Http({
    insecureRegistries: [host],
    caCertificates: '',
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async (ms) => void sleeps.push(ms),
  });
}

function pusher(
  host: string,
  login?: { username: string; password: string },
  chunkSize?: number,
  sleeps?: number[],
): RegistryPusher {
  const client = new RegistryClient(http(host, sleeps), host, login);
  return new RegistryPusher(client.session, { chunkSize });
}

/** Lines of the registry's access log for `method` requests whose path holds `part`. */
async function accessLog(reg: LocalRegistry, method: string, part: string): Promise<string[]> {
  const log = await fs.promises.readFile(reg.logFile, 'utf8');
  return log.split('\n').filter((l) => l.includes(`"${method} `) && l.includes(part));
}

function image(config: LocalBlob, layers: LocalBlob[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({
        mediaType: MEDIA_TYPES.ociLayerGzip,
        digest: l.digest,
        size: l.size,
      })),
    }),
  );
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'push-test-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('RegistryPusher against docker-registry with htpasswd (Basic)', () => {
  let reg: LocalRegistry;
  const login = { username: USER, password: PASSWORD };
  beforeAll(async () => {
    reg = await startRegistry({ auth: login });
  });
  afterAll(async () => reg?.stop());

  it('uploads a blob in one PUT, then finds it there', async () => {
    const blob = blobFile(300_000);
    const p = pusher(reg.host, login);
    expect(await p.blobExists('basic/one', blob.digest)).toBe(false);
    expect(await p.pushBlob('basic/one', blob)).toBe('uploaded');
    expect(await p.blobExists('basic/one', blob.digest)).toBe(true);
    expect(await p.pushBlob('basic/one', blob)).toBe('exists');
    expect((await getBlob(reg, 'basic/one', blob.digest)).equals(blob.data)).toBe(true);
    expect(await accessLog(reg, 'PATCH', '/v2/basic/one/')).toEqual([]);
    expect(await accessLog(reg, 'PUT', '/v2/basic/one/blobs/uploads/')).toHaveLength(1);
  });

  it('uploads a blob larger than a chunk in PATCH chunks, then closes it with a PUT', async () => {
    const blob = blobFile(350_000);
    const p = pusher(reg.host, login, 100_000);
    expect(await p.pushBlob('basic/chunks', blob)).toBe('uploaded');
    expect((await getBlob(reg, 'basic/chunks', blob.digest)).equals(blob.data)).toBe(true);
    expect(await accessLog(reg, 'PATCH', '/v2/basic/chunks/blobs/uploads/')).toHaveLength(4);
    expect(await accessLog(reg, 'PUT', '/v2/basic/chunks/blobs/uploads/')).toHaveLength(1);
  });

  it('mounts a blob from a repository named as its source, or one it was seen in', async () => {
    const blob = blobFile(200_000);
    await pusher(reg.host, login).pushBlob('basic/source', blob);

    // A fresh client, told where the blob is.
    expect(await pusher(reg.host, login).pushBlob('basic/named', blob, ['basic/source'])).toBe(
      'mounted',
    );
    // One that saw it in a repository before mounts from there by itself.
    const p = pusher(reg.host, login);
    expect(await p.pushBlob('basic/source', blob)).toBe('exists');
    expect(await p.pushBlob('basic/remembered', blob)).toBe('mounted');
    for (const repo of ['basic/named', 'basic/remembered']) {
      expect((await getBlob(reg, repo, blob.digest)).equals(blob.data)).toBe(true);
      expect(
        await accessLog(reg, 'POST', `/v2/${repo}/blobs/uploads/?from=basic%2Fsource`),
      ).toEqual([]);
      const posts = await accessLog(reg, 'POST', `/v2/${repo}/blobs/uploads/`);
      expect(posts).toHaveLength(1);
      expect(posts[0]).toContain(`mount=${encodeURIComponent(blob.digest)}`);
      expect(await accessLog(reg, 'PUT', `/v2/${repo}/blobs/uploads/`)).toEqual([]);
    }
  });

  it('uploads when the named source does not hold the blob', async () => {
    const blob = blobFile(1000);
    const p = pusher(reg.host, login);
    expect(await p.pushBlob('basic/fallback', blob, ['basic/empty'])).toBe('uploaded');
    expect((await getBlob(reg, 'basic/fallback', blob.digest)).equals(blob.data)).toBe(true);
  });

  it('puts manifests by digest without a tag, and an index by tags', async () => {
    const p = pusher(reg.host, login);
    const repo = 'basic/multi';
    const entries = [];
    for (const architecture of ['amd64', 'arm64']) {
      const config = blobFile(500);
      const layer = blobFile(2000);
      await p.pushBlob(repo, config);
      await p.pushBlob(repo, layer);
      const body = image(config, [layer]);
      const digest = await p.putManifest(repo, sha256Digest(body), body, MEDIA_TYPES.ociManifest);
      expect(digest).toBe(sha256Digest(body));
      entries.push({
        mediaType: MEDIA_TYPES.ociManifest,
        digest,
        size: body.length,
        platform: { os: 'linux', architecture },
      });
    }
    expect(await listTags(reg, repo)).toEqual([]);
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: entries }),
    );
    for (const tag of ['v1.2.4', 'latest']) {
      expect(await p.putManifest(repo, tag, index, MEDIA_TYPES.ociIndex)).toBe(sha256Digest(index));
    }
    expect((await listTags(reg, repo)).sort()).toEqual(['latest', 'v1.2.4']);
    const served = await getManifest(reg, repo, 'v1.2.4');
    expect(served.body.equals(index)).toBe(true);
    expect(served.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect((await getManifest(reg, repo, entries[1]!.digest)).digest).toBe(entries[1]!.digest);
  });

  it('refuses a manifest whose digest is not the reference', async () => {
    const body = Buffer.from('{}');
    await expect(
      pusher(reg.host, login).putManifest(
        'basic/x',
        sha256Digest(Buffer.from('other')),
        body,
        MEDIA_TYPES.ociManifest,
      ),
    ).rejects.toThrow(/cannot be put as/);
  });

  it('fails loudly, without retrying, when the bytes do not match the digest', async () => {
    const blob = blobFile(1000);
    const wrong = { ...blob, digest: sha256Digest(Buffer.from('something else')) };
    const error = await pusher(reg.host, login)
      .pushBlob('basic/bad', wrong)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(400);
    expect((error as Error).message).toMatch(/DIGEST_INVALID/);
    expect(await accessLog(reg, 'POST', '/v2/basic/bad/blobs/uploads/')).toHaveLength(1);
  });

  it('refuses a blob whose file is not the size its descriptor says', async () => {
    const blob = blobFile(1000);
    await expect(
      pusher(reg.host, login).pushBlob('basic/size', { ...blob, size: 999 }),
    ).rejects.toThrow(/holds 1000 bytes, not the 999/);
  });

  it('says what to check when the credentials are refused', async () => {
    const p = pusher(reg.host, { username: USER, password: 'wrong' });
    const error = (await p
      .pushBlob('basic/denied', blobFile(10))
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(/401/);
    expect(error.message).toContain("Check 'username' and 'password'");
    expect(error.message).not.toContain('wrong');
  });
});

describe('RegistryPusher behind a Bearer token service', () => {
  let reg: LocalRegistry;
  let front: TokenRegistry;
  const login = { username: USER, password: PASSWORD };
  beforeAll(async () => {
    reg = await startRegistry();
    front = await startTokenRegistry({ upstream: reg.url, users: { [USER]: PASSWORD } });
  });
  afterAll(async () => {
    await front?.stop();
    await reg?.stop();
  });

  it('asks for pull,push tokens, uploads in chunks through the registry, and mounts with the source in scope', async () => {
    const blob = blobFile(250_000);
    const p = pusher(front.host, login, 100_000);
    front.tokenRequests.length = 0;
    front.requests.length = 0;
    expect(await p.pushBlob('bearer/a', blob)).toBe('uploaded');
    expect(await p.pushBlob('bearer/b', blob)).toBe('mounted');
    expect(front.tokenRequests.map((t) => t.scope)).toEqual([
      'repository:bearer/a:pull,push',
      'repository:bearer/b:pull,push repository:bearer/a:pull',
    ]);
    for (const t of front.tokenRequests) expect(t.authorization).toMatch(/^Basic /);
    // Every step went through the registry's own origin, with the token.
    const steps = front.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);
    expect(steps.filter((s) => s.startsWith('PATCH /v2/bearer/a/blobs/uploads/'))).toHaveLength(3);
    expect(steps.filter((s) => s.startsWith('PUT /v2/bearer/a/blobs/uploads/'))).toHaveLength(1);
    for (const r of front.requests.filter((r) => ['PATCH', 'PUT'].includes(r.method))) {
      expect(r.authorization).toMatch(/^Bearer /);
    }
    expect((await getBlob(reg, 'bearer/b', blob.digest)).equals(blob.data)).toBe(true);
  });

  it('puts a manifest by digest and by tag with a push token', async () => {
    const p = pusher(front.host, login);
    const config = blobFile(100);
    const layer = blobFile(100);
    await p.pushBlob('bearer/m', config);
    await p.pushBlob('bearer/m', layer);
    const body = image(config, [layer]);
    await p.putManifest('bearer/m', sha256Digest(body), body, MEDIA_TYPES.ociManifest);
    await p.putManifest('bearer/m', 'v1.0.0', body, MEDIA_TYPES.ociManifest);
    expect(await listTags(reg, 'bearer/m')).toEqual(['v1.0.0']);
    expect((await getManifest(reg, 'bearer/m', 'v1.0.0')).body.equals(body)).toBe(true);
  });

  it('fetches a new token when the one in use expires in the middle of an upload', async () => {
    const expiring = await startTokenRegistry({
      upstream: reg.url,
      users: { [USER]: PASSWORD },
      tokenUses: 2,
    });
    try {
      const blob = blobFile(300_000);
      const p = pusher(expiring.host, login, 100_000);
      expect(await p.pushBlob('bearer/expiring', blob)).toBe('uploaded');
      expect(expiring.tokenRequests.length).toBeGreaterThan(1);
      expect((await getBlob(reg, 'bearer/expiring', blob.digest)).equals(blob.data)).toBe(true);
    } finally {
      await expiring.stop();
    }
  });
});

describe('RegistryPusher faults: bounded retries, then a loud failure', () => {
  let reg: LocalRegistry;
  let front: TokenRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
    front = await startTokenRegistry({ upstream: reg.url, auth: 'none' });
  });
  afterAll(async () => {
    await front?.stop();
    await reg?.stop();
  });

  const uploads = (repo: string, method: string): number =>
    front.requests.filter(
      (r) => r.method === method && r.path.startsWith(`/v2/${repo}/blobs/uploads/`),
    ).length;

  it('starts the upload over after a 503 on the PUT that carries the blob', async () => {
    front.addFault({ method: 'PUT', path: '/v2/faults/put/blobs/uploads/', status: 503 });
    const sleeps: number[] = [];
    const blob = blobFile(50_000);
    expect(
      await pusher(front.host, undefined, undefined, sleeps).pushBlob('faults/put', blob),
    ).toBe('uploaded');
    expect(uploads('faults/put', 'POST')).toBe(2);
    expect(uploads('faults/put', 'PUT')).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect((await getBlob(reg, 'faults/put', blob.digest)).equals(blob.data)).toBe(true);
  });

  it('opens an upload that answers 503 once per try of the upload, not once per retry within it', async () => {
    front.addFault({
      method: 'POST',
      path: '/v2/faults/open/blobs/uploads/',
      status: 503,
      times: 10,
    });
    const sleeps: number[] = [];
    const error = (await pusher(front.host, undefined, undefined, sleeps)
      .pushBlob('faults/open', blobFile(1000))
      .catch((e: unknown) => e)) as RegistryError;
    front.clearFaults();
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(503);
    // The pusher's Http makes 3 tries.
    expect(uploads('faults/open', 'POST')).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it('starts over after a connection reset in the middle of the chunks', async () => {
    front.addFault({ method: 'PATCH', path: '/v2/faults/reset/blobs/uploads/', reset: true });
    const blob = blobFile(250_000);
    expect(await pusher(front.host, undefined, 100_000).pushBlob('faults/reset', blob)).toBe(
      'uploaded',
    );
    expect(uploads('faults/reset', 'POST')).toBe(2);
    expect((await getBlob(reg, 'faults/reset', blob.digest)).equals(blob.data)).toBe(true);
  });

  it('sends chunks when the registry refuses the whole blob as too large (413)', async () => {
    front.addFault({ method: 'PUT', path: '/v2/faults/large/blobs/uploads/', status: 413 });
    const blob = blobFile(5 * 1024 * 1024);
    expect(await pusher(front.host).pushBlob('faults/large', blob)).toBe('uploaded');
    expect(uploads('faults/large', 'PATCH')).toBe(2);
    expect((await getBlob(reg, 'faults/large', blob.digest)).equals(blob.data)).toBe(true);
  });

  it('gives up after the last try, naming the status and what to do', async () => {
    front.addFault({
      method: 'PUT',
      path: '/v2/faults/down/blobs/uploads/',
      status: 500,
      times: 10,
    });
    const sleeps: number[] = [];
    const error = (await pusher(front.host, undefined, undefined, sleeps)
      .pushBlob('faults/down', blobFile(1000))
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/answered 500.*re-run the job later/);
    expect(uploads('faults/down', 'PUT')).toBe(3);
    expect(sleeps).toHaveLength(2);
    front.clearFaults();
  });

  it('retries a manifest PUT that failed with 502', async () => {
    const p = pusher(front.host);
    const config = blobFile(100);
    await p.pushBlob('faults/manifest', config);
    const body = image(config, []);
    front.addFault({ method: 'PUT', path: '/v2/faults/manifest/manifests/', status: 502 });
    await p.putManifest('faults/manifest', 'latest', body, MEDIA_TYPES.ociManifest);
    expect(
      front.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/')),
    ).toHaveLength(2);
    expect((await getManifest(reg, 'faults/manifest', 'latest')).body.equals(body)).toBe(true);
  });
});

describe('RegistryPusher and the upload locations a registry sends', () => {
  /** A server on 127.0.0.1 recording each request's method, path and Authorization. */
  async function server(
    handle: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
  ): Promise<{ host: string; seen: string[]; server: Server }> {
    const seen: string[] = [];
    const s = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      req.resume();
      req.on('end', () => handle(req, res));
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    s.unref();
    return { host: `127.0.0.1:${(s.address() as AddressInfo).port}`, seen, server: s };
  }

  it('sends no credentials to an upload location on another host', async () => {
    const storage = await server((_, res) => {
      res.writeHead(201, {}).end();
    });
    const registry = await server((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      } else if (req.method === 'HEAD') {
        res.writeHead(404).end();
      } else {
        res.writeHead(202, { location: `http://${storage.host}/upload/1?sig=x` }).end();
      }
    });
    try {
      const both = new Http({
        insecureRegistries: [registry.host, storage.host],
        caCertificates: '',
      });
      const client = new RegistryClient(both, registry.host, {
        username: USER,
        password: PASSWORD,
      });
      const blob = blobFile(100);
      expect(await new RegistryPusher(client.session).pushBlob('far/away', blob)).toBe('uploaded');
      expect(
        registry.seen.filter((l) => l.startsWith('POST')).every((l) => / Basic /.test(l)),
      ).toBe(true);
      expect(storage.seen).toEqual([
        `PUT /upload/1?sig=x&digest=${encodeURIComponent(blob.digest)} -`,
      ]);
    } finally {
      registry.server.close();
      storage.server.close();
    }
  });

  it('refuses an upload location over plain HTTP to a host not listed as insecure', async () => {
    const registry = await server((req, res) => {
      if (req.method === 'HEAD') res.writeHead(404).end();
      else res.writeHead(202, { location: 'http://198.51.100.7/upload/1' }).end();
    });
    try {
      const p = pusher(registry.host);
      await expect(p.pushBlob('far/away', blobFile(100))).rejects.toThrow(
        /sent the client to http:\/\/198\.51\.100\.7\/upload\/1, which is not HTTPS/,
      );
    } finally {
      registry.server.close();
    }
  });
});
