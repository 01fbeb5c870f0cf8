/**
 * The build stage's base-image cache: which registries it serves and which bases it leaves to
 * kaniko (and says so), and its life around the builds — started for a real registry with
 * htpasswd auth, its secret in kaniko's credentials file, gone after `stop`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const logged = { debug: [] as string[], info: [] as string[], secrets: [] as string[] };
vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  debug: (m: string) => logged.debug.push(m),
  info: (m: string) => logged.info.push(m),
  setSecret: (m: string) => logged.secrets.push(m),
}));

const {
  baseImagesOfPlans,
  baseRegistries,
  kanikoRegistry,
  removeBaseCache,
  startBaseCache,
  userMapped,
} = await import('../../src/build/base-cache.js');
const { Logins, writeCredentials } = await import('../../src/credentials/docker-config.js');
const { Registries } = await import('../../src/registry/clients.js');
const { pushBusyboxImage } = await import('../support/busybox-image.js');
const { MANIFEST_ACCEPT } = await import('../support/oci-image.js');
const { startRegistry } = await import('../support/registry.js');
const { writeFiles } = await import('../support/git-repo.js');

describe('kanikoRegistry', () => {
  it.each([
    ['docker.io', 'index.docker.io'],
    ['index.docker.io', 'index.docker.io'],
    ['registry-1.docker.io', 'index.docker.io'],
    ['GHCR.io', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
  ])('%s → %s', (registry, named) => expect(kanikoRegistry(registry)).toBe(named));
});

describe('userMapped', () => {
  it.each([
    [[], []],
    [['--registry-mirror=mirror.gcr.io'], ['index.docker.io']],
    [['--registry-map=ghcr.io=m.example;docker.io=m2.example/hub'], ['ghcr.io', 'index.docker.io']],
    [['--registry-map=quay.io=a', '--registry-map=quay.io=b'], ['quay.io']],
    [['--cache=true', '--registry-certificate=ghcr.io=/c.pem'], []],
  ])('%j → %j', (args, mapped) => expect([...userMapped(args)].sort()).toEqual(mapped));
});

describe('baseRegistries', () => {
  const none = () => false;

  it('maps each registry of the bases once, as kaniko names it', () => {
    expect(
      baseRegistries(
        [
          { reference: 'docker.io/library/busybox:1', registry: 'docker.io' },
          { reference: 'index.docker.io/library/alpine:3', registry: 'index.docker.io' },
          { reference: 'ghcr.io/acme/base:latest', registry: 'ghcr.io' },
          { reference: 'ghcr.io/acme/other@sha256:…', registry: 'ghcr.io' },
        ],
        [],
        none,
      ),
    ).toEqual({ mapped: ['ghcr.io', 'index.docker.io'], left: [] });
  });

  it('leaves to kaniko, saying why: unknown bases, the user’s own mirrors, opaque logins', () => {
    const { mapped, left } = baseRegistries(
      [
        { reference: '${BASE}', unknown: 'it is taken from the build arg BASE' },
        { reference: 'busybox', registry: 'docker.io' },
        { reference: 'ghcr.io/acme/base', registry: 'ghcr.io' },
        { reference: 'quay.io/acme/tool', registry: 'quay.io' },
      ],
      ['--registry-mirror=mirror.gcr.io'],
      (registry) => registry === 'ghcr.io',
    );
    expect(mapped).toEqual(['quay.io']);
    expect(left).toEqual([
      '${BASE}: it is taken from the build arg BASE; kaniko pulls it itself',
      "busybox: 'extra-args' maps index.docker.io to a mirror of your own",
      'ghcr.io/acme/base: the docker login for ghcr.io holds a token only kaniko can use',
    ]);
  });

  it('shows a reference from the repository as safe text', () => {
    const { left } = baseRegistries(
      [{ reference: '::stop-commands::x', unknown: 'odd' }],
      [],
      none,
    );
    expect(left[0]).not.toMatch(/^::/);
  });
});

describe('baseImagesOfPlans', () => {
  let workspace: string;
  beforeAll(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'base-cache-plans-'));
    const files: Record<string, string> = {
      'svc-a/Dockerfile': 'FROM busybox:1.36\nCOPY --from=quay.io/acme/tool:2 /t /t\n',
      'svc-b/Dockerfile':
        'ARG REG=ghcr.io\nFROM ${REG}/acme/base AS build\nFROM build\nCOPY --from=build /x /x\n',
      'svc-c/Dockerfile': 'ARG BASE\nFROM ${BASE}\n',
      'svc-d/Dockerfile': 'FROM 127.0.0.1:5000/base/img:${TARGETARCH}\n',
      'svc-e/Dockerfile': 'FROM scratch AS one\nFROM docker.io/library/alpine:3 AS two\n',
    };
    writeFiles(workspace, files);
    return () => fs.rmSync(workspace, { recursive: true, force: true });
  });
  const inputs = { dockerfile: 'Dockerfile', buildArgs: [], target: '', platforms: [] };
  const plans = (...dirs: string[]) => dirs.map((directory) => ({ directory }));

  it('reads each FROM and COPY --from image as the build graph resolves it', async () => {
    expect(await baseImagesOfPlans(plans('svc-a', 'svc-b', 'svc-e'), inputs, workspace)).toEqual([
      { reference: 'docker.io/library/busybox:1.36', registry: 'docker.io' },
      { reference: 'quay.io/acme/tool:2', registry: 'quay.io' },
      { reference: 'ghcr.io/acme/base:latest', registry: 'ghcr.io' },
      { reference: 'docker.io/library/alpine:3', registry: 'docker.io' },
    ]);
  });

  it('resolves build args and target as kaniko gets them', async () => {
    const found = await baseImagesOfPlans(
      plans('svc-b', 'svc-c', 'svc-e'),
      { ...inputs, buildArgs: ['REG=registry.example:5000', 'BASE=alpine:3'], target: 'one' },
      workspace,
    );
    expect(found).toEqual([
      { reference: 'registry.example:5000/acme/base:latest', registry: 'registry.example:5000' },
      { reference: 'docker.io/library/alpine:3', registry: 'docker.io' },
    ]);
  });

  it('marks a base not known before the build, and reads it for each platform built', async () => {
    expect(await baseImagesOfPlans(plans('svc-c'), inputs, workspace)).toEqual([
      {
        reference: '${BASE}',
        unknown: 'FROM in svc-c/Dockerfile (line 2) is not known before the build',
      },
    ]);
    const platforms = ['linux/amd64', 'linux/arm64'];
    expect(
      (await baseImagesOfPlans(plans('svc-d'), { ...inputs, platforms }, workspace)).map(
        (b) => b.reference,
      ),
    ).toEqual(['127.0.0.1:5000/base/img:amd64', '127.0.0.1:5000/base/img:arm64']);
  });

  it('skips a directory whose Dockerfile cannot be read', async () => {
    expect(await baseImagesOfPlans(plans('gone'), inputs, workspace)).toEqual([]);
  });
});

describe('startBaseCache', () => {
  let reg: Awaited<ReturnType<typeof startRegistry>>;
  let registries: InstanceType<typeof Registries>;
  let logins: InstanceType<typeof Logins>;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const inputs = { extraArgs: [] as string[] };

  beforeAll(async () => {
    reg = await startRegistry({ auth: { username: 'puller', password: 'pa55-base-cache' } });
    await pushBusyboxImage(reg, 'base/busybox', '1');
    const login = { registry: reg.host, username: reg.username!, password: reg.password! };
    logins = new Logins(login, {});
    registries = new Registries(
      { ...login, insecureRegistries: [reg.host], caCertificates: '' },
      undefined,
      logins,
    );
  });
  afterAll(async () => {
    await registries?.close();
    await reg?.stop();
  });
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'base-cache-test-'));
    env = { RUNNER_TEMP: root, HOME: root };
    for (const list of Object.values(logged)) list.length = 0;
    return () => fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts nothing when no base can be shared, and says why in debug lines', async () => {
    const credentials = await writeCredentials(logins, env);
    const before = fs.readFileSync(credentials.configPath, 'utf8');
    const cache = await startBaseCache({
      inputs,
      bases: [{ reference: '${BASE}:1', unknown: 'it is taken from the build arg BASE' }],
      registries,
      logins,
      credentials,
      temp: root,
    });
    expect(cache).toBeUndefined();
    expect(logged.debug).toEqual([
      'Base image ${BASE}:1: it is taken from the build arg BASE; kaniko pulls it itself.',
    ]);
    expect(fs.readFileSync(credentials.configPath, 'utf8')).toBe(before);
    expect(fs.readdirSync(root)).toEqual([path.basename(credentials.dir)]);
  });

  it('serves the registries of the bases to kaniko’s login only, and is gone after stop', async () => {
    const credentials = await writeCredentials(logins, env);
    const cache = await startBaseCache({
      inputs,
      bases: [{ reference: `${reg.host}/base/busybox:1`, registry: reg.host }],
      registries,
      logins,
      credentials,
      temp: root,
    });
    expect(cache).toBeDefined();
    const { host, mirrors } = cache!.mirror;
    expect(host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect([...mirrors.keys()]).toEqual([reg.host]);
    expect(path.dirname(cache!.dir)).toBe(root);

    // kaniko's credentials file now holds the cache's secret, masked, next to the user's login.
    const config = JSON.parse(fs.readFileSync(credentials.configPath, 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Object.keys(config.auths).sort()).toEqual([host, reg.host].sort());
    const auth = config.auths[host]!.auth;
    expect(logged.secrets).toContain(auth);
    const manifest = `http://${host}/v2/${mirrors.get(reg.host)!.split('/')[1]}/base/busybox/manifests/1`;
    const headers = { authorization: `Basic ${auth}`, accept: MANIFEST_ACCEPT };
    expect((await fetch(manifest, { headers })).status).toBe(200);
    expect(logged.info.join('\n')).toContain(`by the cache on ${host}.`);

    await cache!.stop();
    expect(fs.existsSync(cache!.dir)).toBe(false);
    await expect(fetch(manifest, { headers })).rejects.toThrow();
    expect(logged.info.at(-1)).toMatch(
      /^Base-image cache: 0 blobs .* 1 manifest served, 1 fetched\.$/,
    );
  });
});

describe('removeBaseCache', () => {
  it('deletes a store left in RUNNER_TEMP, and nothing else', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'base-cache-post-'));
    try {
      const left = path.join(root, 'kaniko-release-bases-abc');
      fs.mkdirSync(path.join(left, 'x'), { recursive: true });
      await removeBaseCache(left, root);
      expect(fs.existsSync(left)).toBe(false);
      const other = path.join(root, 'other');
      const link = path.join(root, 'kaniko-release-bases-link');
      fs.mkdirSync(other);
      fs.symlinkSync(other, link);
      for (const dir of [
        root,
        '/',
        other,
        link,
        path.join(root, '..', 'kaniko-release-bases-x'),
        path.join(root, 'a', 'kaniko-release-bases-x'),
      ]) {
        await expect(removeBaseCache(dir, root)).rejects.toThrow(/Refusing to delete/);
      }
      expect(fs.existsSync(other)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
