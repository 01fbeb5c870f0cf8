import { readdir, readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobDataPath, getBlob, getManifest, sha256Digest, tamperBlob } from './oci-image.js';
import {
  listTags,
  manifestDigest,
  pushRandomImage,
  startRegistry,
  type LocalRegistry,
} from './registry.js';

/** Pids whose parent is `pid`, read from /proc. */
async function childPids(pid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (new RegExp(`^PPid:\\s+${pid}$`, 'm').test(status)) pids.push(Number(entry));
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local registry without auth', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(() => reg?.stop());

  it('answers /v2/ on 127.0.0.1 without credentials', async () => {
    expect(reg.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(reg.url).toBe(`http://${reg.host}`);
    expect(reg.authHeader()).toEqual({});
    const res = await fetch(`${reg.url}/v2/`);
    expect(res.status).toBe(200);
  });

  it('pushes, lists and resolves tags', async () => {
    const digest = await pushRandomImage(reg, 'team/app', ['v1.0.0', 'latest']);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await listTags(reg, 'team/app')).sort()).toEqual(['latest', 'v1.0.0']);
    expect(await manifestDigest(reg, 'team/app', 'v1.0.0')).toBe(digest);
    expect(await manifestDigest(reg, 'team/app', 'latest')).toBe(digest);
    expect(await manifestDigest(reg, 'team/app', 'v9.9.9')).toBeUndefined();

    const other = await pushRandomImage(reg, 'team/app', ['v1.0.1']);
    expect(other).not.toBe(digest);
    expect((await listTags(reg, 'team/app')).sort()).toEqual(['latest', 'v1.0.0', 'v1.0.1']);
  });

  it('returns no tags for a repository that does not exist', async () => {
    expect(await listTags(reg, 'nobody/here')).toEqual([]);
  });

  it('serves pushed images whose digests and sizes are right', async () => {
    const digest = await pushRandomImage(reg, 'check/valid', ['a']);
    const manifest = await getManifest(reg, 'check/valid', 'a');
    expect(manifest.digest).toBe(digest);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const json = manifest.json as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    const config = await getBlob(reg, 'check/valid', json.config.digest);
    expect(sha256Digest(config)).toBe(json.config.digest);
    expect(config.length).toBe(json.config.size);
    const [layerDesc] = json.layers;
    const layer = await getBlob(reg, 'check/valid', layerDesc!.digest);
    expect(sha256Digest(layer)).toBe(layerDesc!.digest);
    const diffIds = (JSON.parse(config.toString()) as { rootfs: { diff_ids: string[] } }).rootfs
      .diff_ids;
    expect(diffIds).toEqual([sha256Digest(gunzipSync(layer))]);
  });

  it('tamperBlob makes the registry serve other bytes, same size, under the same digest', async () => {
    await pushRandomImage(reg, 'check/tamper', ['a']);
    const json = (await getManifest(reg, 'check/tamper', 'a')).json as {
      layers: { digest: string; size: number }[];
    };
    const layerDigest = json.layers[0]!.digest;
    const before = await getBlob(reg, 'check/tamper', layerDigest);
    await tamperBlob(reg, 'check/tamper', layerDigest);
    const after = await getBlob(reg, 'check/tamper', layerDigest);
    expect(after.length).toBe(before.length);
    expect(sha256Digest(after)).not.toBe(layerDigest);
    // Still valid gzip of the same tar: only a digest check can tell.
    expect(gunzipSync(after)).toEqual(gunzipSync(before));
    expect((await stat(blobDataPath(reg, layerDigest))).size).toBe(before.length);
    await expect(tamperBlob(reg, 'nobody/here', layerDigest)).rejects.toThrow(/no blob/);
  });
});

describe('local registry with auth', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'alice', password: 's3cret-pw' } });
  });
  afterAll(() => reg?.stop());

  it('refuses requests without credentials with a Basic challenge', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${reg.url}/v2/`, {
      headers: { Authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('accepts its credentials', async () => {
    expect(reg.username).toBe('alice');
    expect(reg.password).toBe('s3cret-pw');
    expect(reg.authHeader()).toEqual({
      Authorization: `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`,
    });
    const res = await fetch(`${reg.url}/v2/`, { headers: reg.authHeader() });
    expect(res.status).toBe(200);
  });

  it('pushes, lists and resolves tags with Basic auth', async () => {
    const digest = await pushRandomImage(reg, 'private/app', ['v2.0.0']);
    expect(await listTags(reg, 'private/app')).toEqual(['v2.0.0']);
    expect(await manifestDigest(reg, 'private/app', 'v2.0.0')).toBe(digest);
    const anonymous = await fetch(`${reg.url}/v2/private/app/tags/list`);
    expect(anonymous.status).toBe(401);
  });
});

describe('stopping a registry', () => {
  it('leaves no process, no port and no files behind', async () => {
    const reg = await startRegistry();
    const wrapper = reg.pid;
    const children = await childPids(wrapper);
    expect(children).toHaveLength(1);
    const [registryPid] = children;
    expect(await readFile(`/proc/${registryPid}/cmdline`, 'utf8')).toContain('docker-registry');
    await reg.stop();
    expect(alive(wrapper)).toBe(false);
    expect(alive(registryPid!)).toBe(false);
    await expect(fetch(`${reg.url}/v2/`)).rejects.toThrow();
    await expect(stat(reg.dataDir)).rejects.toThrow(/ENOENT/);
    await reg.stop(); // idempotent
  });

  it('starts several registries side by side on different ports', async () => {
    const regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
    try {
      expect(new Set(regs.map((r) => r.host)).size).toBe(3);
      for (const r of regs) expect((await fetch(`${r.url}/v2/`)).status).toBe(200);
    } finally {
      await Promise.all(regs.map((r) => r.stop()));
    }
  });
});
