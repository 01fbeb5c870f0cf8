/**
 * The base-image cache in front of a real docker-registry with htpasswd auth, reached with the
 * user's login through `Registries`: what it refuses, what it passes through, and what it
 * fetches once — counted in the registry's own access log. The stand-in executor pulls through
 * it with kaniko's `--registry-map`, holding the job's secret in a credentials file written by
 * `credentials/`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BlobStore as BlobStoreType } from '../../src/registry/blob-store.js';
import type { RegistryProxy as RegistryProxyType } from '../../src/registry/proxy.js';

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: () => undefined,
  info: () => undefined,
}));

const { addLogin, writeCredentials } = await import('../../src/credentials/docker-config.js');
const { baseMirrorArgs } = await import('../../src/build/kaniko-args.js');
const { BlobStore } = await import('../../src/registry/blob-store.js');
const { Registries } = await import('../../src/registry/clients.js');
const { RegistryProxy, prefixFor } = await import('../../src/registry/proxy.js');
const { HOST_BUSYBOX, pushBusyboxImage } = await import('../support/busybox-image.js');
const { MANIFEST_ACCEPT, sha256Digest, tamperBlob } = await import('../support/oci-image.js');
const { listTags, pushRandomImage } = await import('../support/registry.js');
const { COMPILE_TIMEOUT, blobGets, runProgram, startStandinFixture } =
  await import('../support/standin-fixture.js');

type Proxy = RegistryProxyType;
type Store = BlobStoreType;
type Fixture = Awaited<ReturnType<typeof startStandinFixture>>;

let f: Fixture;
let registries: InstanceType<typeof Registries>;
let scratch: string;
let store: Store;
let proxy: Proxy;
const debug: string[] = [];

/** Requests of the registry's access log: `METHOD path status`. */
async function accessLog(): Promise<string[]> {
  const log = await fs.promises.readFile(f.reg.logFile, 'utf8');
  return [...log.matchAll(/"(GET|HEAD|PUT|POST|PATCH|DELETE) (\S+) HTTP\/1\.1" (\d+)/g)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
}

function secret(p: Proxy = proxy): Record<string, string> {
  const auth = Buffer.from(`${p.login.username}:${p.login.password}`).toString('base64');
  return { authorization: `Basic ${auth}` };
}

/** The URL of `path` on the proxy, under the mirror of the fixture's registry. */
function url(pathname: string): string {
  const mirror = proxy.mirrors.get(f.reg.host)!;
  const slash = mirror.indexOf('/');
  return `http://${mirror.slice(0, slash)}/v2/${mirror.slice(slash + 1)}/${pathname}`;
}

async function startProxy(): Promise<void> {
  store = await BlobStore.create(scratch);
  proxy = await RegistryProxy.start({
    store,
    upstreams: [{ registry: f.reg.host, client: registries.client(f.reg.host) }],
    debug: (m) => debug.push(m),
  });
}

beforeAll(async () => {
  f = await startStandinFixture();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-test-'));
  registries = new Registries({
    registry: f.reg.host,
    username: f.reg.username!,
    password: f.reg.password!,
    insecureRegistries: [f.reg.host],
    caCertificates: '',
  });
}, COMPILE_TIMEOUT);

afterAll(async () => {
  await proxy?.close();
  await registries?.close();
  await f?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  await proxy?.close();
  await store?.remove();
  debug.length = 0;
  await startProxy();
});

describe('prefixFor', () => {
  it.each([
    ['index.docker.io', [], 'index-docker-io'],
    ['127.0.0.1:5000', [], '127-0-0-1-5000'],
    ['Registry.Example:443', [], 'registry-example-443'],
    ['[::1]:5000', [], '1-5000'],
    ['localhost:5000', [], 'localhost-5000'],
    ['ghcr.io', ['ghcr-io'], 'ghcr-io-2'],
    ['ghcr.io', ['ghcr-io', 'ghcr-io-2'], 'ghcr-io-3'],
    ['...', [], 'registry'],
  ])('%s (taken: %j) → %s', (registry, taken, prefix) => {
    const made = prefixFor(registry, new Set(taken));
    expect(made).toBe(prefix);
    // kaniko would read a first component with '.' or ':' as a registry host.
    expect(made).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('the base-image cache refuses', () => {
  it('every request without the job secret, or with another one', async () => {
    const before = (await accessLog()).length;
    const noAuth = await fetch(`http://${proxy.host}/v2/`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = Buffer.from(`${proxy.login.username}:not-the-secret`).toString('base64');
    for (const headers of [
      {},
      { authorization: `Basic ${wrong}` },
      { authorization: 'Bearer x' },
    ]) {
      const res = await fetch(url(`base/busybox/manifests/1`), { headers });
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('UNAUTHORIZED');
      const blob = await fetch(url(`base/busybox/blobs/${f.baseLayers[0]}`), { headers });
      expect(blob.status).toBe(401);
    }
    // Nothing reached the registry, so nothing was done with the user's login.
    expect((await accessLog()).length).toBe(before);
    const ok = await fetch(`http://${proxy.host}/v2/`, { headers: secret() });
    expect(ok.status).toBe(200);
  });

  it('anything but GET and HEAD: the registry gains no repository and no tag', async () => {
    const catalog = async () =>
      (await fetch(`${f.reg.url}/v2/_catalog`, { headers: f.reg.authHeader() })).json();
    const [reposBefore, tagsBefore] = [await catalog(), await listTags(f.reg, 'base/busybox')];
    for (const [method, where] of [
      ['POST', 'base/busybox/blobs/uploads/'],
      ['PUT', 'base/busybox/manifests/pushed'],
      ['PATCH', 'base/busybox/blobs/uploads/x'],
      ['DELETE', `base/busybox/manifests/${f.base.digest}`],
      ['PUT', 'new/repo/manifests/latest'],
    ] as const) {
      const res = await fetch(url(where), {
        method,
        headers: secret(),
        body: method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status, `${method} ${where}`).toBe(405);
    }
    expect(await catalog()).toEqual(reposBefore);
    expect(await listTags(f.reg, 'base/busybox')).toEqual(tagsBefore);
  });

  it('names that are not its own, and blobs no served manifest lists', async () => {
    const other = `http://${proxy.host}/v2/elsewhere.io/base/busybox/manifests/1`;
    expect((await fetch(other, { headers: secret() })).status).toBe(404);
    const res = await fetch(url(`base/busybox/blobs/${f.baseLayers[0]}`), { headers: secret() });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('BLOB_UNKNOWN');
    const missing = await fetch(url('base/busybox/manifests/no-such-tag'), {
      headers: { ...secret(), accept: MANIFEST_ACCEPT },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('MANIFEST_UNKNOWN');
  });
});

describe('the base-image cache serves', () => {
  it('tags as the registry has them now, never from an earlier answer', async () => {
    const first = await pushRandomImage(f.reg, 'team/moving', ['latest']);
    const get = async () => {
      const res = await fetch(url('team/moving/manifests/latest'), {
        headers: { ...secret(), accept: MANIFEST_ACCEPT },
      });
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('docker-content-digest')).toBe(sha256Digest(body));
      return sha256Digest(body);
    };
    expect(await get()).toBe(first);
    expect(await get()).toBe(first);
    const second = await pushRandomImage(f.reg, 'team/moving', ['latest']);
    expect(second).not.toBe(first);
    expect(await get()).toBe(second);
    // Each answer asked the registry for the tag's digest (HEAD, not a pull on Docker Hub);
    // a manifest body was read only for a digest not seen before.
    const log = (await accessLog()).filter((l) => l.includes('/team/moving/manifests/latest'));
    expect(log.filter((l) => l.startsWith('HEAD') && l.endsWith(' 200'))).toHaveLength(3);
    expect(log.filter((l) => l.startsWith('GET') && l.endsWith(' 200'))).toHaveLength(2);
  });

  it('each blob once from the registry, verified, however many ask at once', async () => {
    const m = await fetch(url('base/busybox/manifests/1'), {
      headers: { ...secret(), accept: MANIFEST_ACCEPT },
    });
    const manifest = (await m.json()) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    const digests = [manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
    const before = await Promise.all(digests.map((d) => blobGets(f.reg, d)));
    const bodies = await Promise.all(
      digests.flatMap((d) =>
        Array.from({ length: 4 }, async () => {
          const res = await fetch(url(`base/busybox/blobs/${d}`), { headers: secret() });
          expect(res.status).toBe(200);
          return { d, body: Buffer.from(await res.arrayBuffer()) };
        }),
      ),
    );
    for (const { d, body } of bodies) expect(sha256Digest(body)).toBe(d);
    const after = await Promise.all(digests.map((d) => blobGets(f.reg, d)));
    expect(after.map((n, i) => n - before[i]!)).toEqual(digests.map(() => 1));
    expect(proxy.stats.blobs).toBe(digests.length * 4);
    expect(store.downloads).toBe(digests.length);
  });

  it('refuses a blob the registry serves tampered, and stores nothing', async () => {
    const image = await pushBusyboxImage(f.reg, 'team/tampered', '1', {
      extraLayers: [[{ path: 'etc/tampered', content: 'original\n' }]],
    });
    const layer = image.layerDigests['linux/amd64']![1]!;
    await tamperBlob(f.reg, 'team/tampered', layer);
    await fetch(url('team/tampered/manifests/1'), {
      headers: { ...secret(), accept: MANIFEST_ACCEPT },
    });
    const res = await fetch(url(`team/tampered/blobs/${layer}`), { headers: secret() });
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/BLOB_UNKNOWN.*refusing/);
    expect(fs.readdirSync(store.dir)).toEqual([]);
    expect(debug.join('\n')).toContain(`blobs/${layer} answered 502`);
  });
});

describe('kaniko through the base-image cache', () => {
  let builds = 0;
  /** Runs the stand-in as the action would: the job's credentials file, the cache's arguments. */
  async function build(dockerfile: string, destination: string, extra: string[] = []) {
    const runner = fs.mkdtempSync(path.join(scratch, 'runner-'));
    const credentials = await writeCredentials(
      { registry: f.reg.host, username: f.reg.username!, password: f.reg.password! },
      { RUNNER_TEMP: runner, HOME: runner },
    );
    await addLogin(credentials, proxy.host, proxy.login);
    const ctx = path.join(scratch, `ctx-${++builds}`);
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile);
    return runProgram(
      f.binary,
      [
        '--force',
        `--context=dir://${ctx}`,
        `--kaniko-dir=${path.join(scratch, `kaniko-${builds}`)}`,
        `--destination=${f.reg.host}/${destination}`,
        `--digest-file=${path.join(ctx, 'digest')}`,
        `--insecure-registry=${f.reg.host}`,
        ...baseMirrorArgs({ host: proxy.host, mirrors: proxy.mirrors }),
        ...extra,
      ],
      { PATH: process.env.PATH, HOME: scratch, DOCKER_CONFIG: credentials.dir },
    ).then((run) => ({
      ...run,
      digest: fs.existsSync(path.join(ctx, 'digest'))
        ? fs.readFileSync(path.join(ctx, 'digest'), 'utf8').trim()
        : '',
    }));
  }

  it('gives a dependent the base its earlier wave just pushed as latest, every time', async () => {
    const mirrored = `${proxy.mirrors.get(f.reg.host)}/team/wave-base`;
    const dependent = `FROM ${f.reg.host}/team/wave-base:latest\nRUN cat /release > /seen\n`;
    for (const release of ['one', 'two']) {
      // Wave 0 pushes the base as latest; wave 1 builds on it, through the same running cache.
      const wave0 = await build(
        `FROM ${f.baseRef}\nRUN echo ${release} > /release\n`,
        'team/wave-base:latest',
      );
      expect(wave0.code, wave0.stderr).toBe(0);
      const wave1 = await build(dependent, `team/wave-app:${release}`);
      expect(wave1.code, wave1.stderr).toBe(0);
      expect(wave1.stderr).toContain(`resolved to ${mirrored}@${wave0.digest}`);
    }
  });

  it('fetches each platform’s blobs once, whichever builds ask for them', async () => {
    const multi = await pushBusyboxImage(f.reg, 'team/multi', '1', {
      platforms: [
        { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
        // No RUN below: any file makes a layer of its own for the other platform.
        { platform: 'linux/arm64', busybox: '/usr/bin/env' },
      ],
    });
    const layers = [
      ...multi.layerDigests['linux/amd64']!,
      ...multi.layerDigests['linux/arm64/v8']!,
    ];
    expect(new Set(layers).size).toBe(layers.length);
    const before = await Promise.all(layers.map((d) => blobGets(f.reg, d)));
    const platforms = ['linux/amd64', 'linux/arm64', 'linux/amd64', 'linux/arm64'];
    const runs = await Promise.all(
      platforms.map((platform, i) =>
        build(`FROM ${f.reg.host}/team/multi:1\nCOPY Dockerfile /\n`, `team/multi-out:${i}`, [
          `--custom-platform=${platform}`,
        ]),
      ),
    );
    const mirrored = `${proxy.mirrors.get(f.reg.host)}/team/multi`;
    runs.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(0);
      const manifest =
        multi.manifests[platforms[i] === 'linux/arm64' ? 'linux/arm64/v8' : 'linux/amd64'];
      expect(run.stderr).toContain(
        `resolved to ${mirrored}@${manifest} (from index ${multi.digest})`,
      );
    });
    const after = await Promise.all(layers.map((d) => blobGets(f.reg, d)));
    expect(after.map((n, i) => n - before[i]!)).toEqual(layers.map(() => 1));
  });

  it('builds every image from the one verified copy of its base', async () => {
    const before = await Promise.all(f.baseLayers.map((d) => blobGets(f.reg, d)));
    const runs = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        build(`FROM ${f.baseRef}\nRUN echo ${name} > /name\n`, `team/${name}:v1`),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(
        `resolved to ${proxy.mirrors.get(f.reg.host)}/base/busybox@${f.base.digest}`,
      );
    }
    const after = await Promise.all(f.baseLayers.map((d) => blobGets(f.reg, d)));
    expect(after.map((n, i) => n - before[i]!)).toEqual(f.baseLayers.map(() => 1));
    // kaniko's pushes went to the registry itself.
    expect(await listTags(f.reg, 'team/two')).toEqual(['v1']);
  });
});
