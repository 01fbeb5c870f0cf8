import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, getBlob, getManifest, sha256Digest, type Descriptor } from './oci-image.js';
import { listTags, manifestDigest, startRegistry, type LocalRegistry } from './registry.js';
import {
  KANIKO_IMAGE_ENV,
  STANDIN_SOURCE_DIR,
  buildStandin,
  hostGoArch,
  pushStandinImage,
} from './standin.js';
import { layerFiles, type LayerFile } from './layer-files.js';
import { COMPILE_TIMEOUT, runProgram, type RunResult } from './standin-fixture.js';

const execFileAsync = promisify(execFile);
const CHROOT = '/usr/sbin/chroot';

const USER = 'pusher';
const PASSWORD = 'pa55-w0rd-standin';

describe('stand-in executor run directly', () => {
  let reg: LocalRegistry;
  let binary: string;
  let work: string;
  let dockerConfigDir: string;

  /** A fresh context directory holding `dockerfile`. */
  async function context(name: string, dockerfile: string): Promise<string> {
    const dir = path.join(work, name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return runProgram(binary, args, {
      PATH: process.env.PATH,
      HOME: work,
      DOCKER_CONFIG: dockerConfigDir,
      ...env,
    });
  }

  beforeAll(async () => {
    [reg, binary, work] = await Promise.all([
      startRegistry({ auth: { username: USER, password: PASSWORD } }),
      buildStandin(hostGoArch()),
      mkdtemp(path.join(tmpdir(), 'standin-test-')),
    ]);
    dockerConfigDir = path.join(work, 'docker');
    await mkdir(dockerConfigDir);
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(
      path.join(dockerConfigDir, 'config.json'),
      JSON.stringify({ auths: { [reg.host]: { auth } } }),
      { mode: 0o600 },
    );
  }, COMPILE_TIMEOUT);
  afterAll(async () => {
    await reg?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    'passes its Go unit tests',
    async () => {
      const { stdout } = await execFileAsync('go', ['test', '-count=1', './...'], {
        cwd: STANDIN_SOURCE_DIR,
        env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', CGO_ENABLED: '0' },
      });
      expect(stdout).toMatch(/^ok\s+standin/m);
    },
    COMPILE_TIMEOUT,
  );

  it('pushes one manifest to every destination and writes its digest', async () => {
    const dockerfile = 'FROM scratch AS base\nFROM base AS final\n';
    const ctx = await context('two-destinations', dockerfile);
    const out = path.join(work, 'out-two');
    const result = await run([
      '--force',
      `--context=dir://${ctx}`,
      '--dockerfile',
      'Dockerfile',
      '--destination',
      `${reg.host}/team/app:v1.0.0`,
      `--destination=${reg.host}/team/app:latest`,
      '--digest-file',
      path.join(out, 'digest'),
      `--image-name-tag-with-digest-file=${path.join(out, 'names')}`,
      '--insecure-registry',
      reg.host,
      '--label',
      'org.opencontainers.image.version=v1.0.0',
      '--build-arg',
      'GREETING=hi',
      '--target',
      'final',
      '--cleanup',
      '--verbosity=info',
    ]);
    expect(result.stderr).toContain('Pushing image to');
    expect(result.code).toBe(0);

    const digest = await readFile(path.join(out, 'digest'), 'utf8');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await manifestDigest(reg, 'team/app', 'v1.0.0')).toBe(digest);
    expect(await manifestDigest(reg, 'team/app', 'latest')).toBe(digest);
    expect((await listTags(reg, 'team/app')).sort()).toEqual(['latest', 'v1.0.0']);
    expect(await readFile(path.join(out, 'names'), 'utf8')).toBe(
      `${reg.host}/team/app:v1.0.0@${digest}\n${reg.host}/team/app:latest@${digest}\n`,
    );
    expect(result.stderr).toMatch(
      /^INFO\[\d{4}\] Pushing image to 127\.0\.0\.1:\d+\/team\/app:v1\.0\.0$/m,
    );
    expect(result.stderr).toMatch(
      new RegExp(`^INFO\\[\\d{4}\\] Pushed ${reg.host}/team/app@${digest}$`, 'm'),
    );

    // The image: config labels, and a layer that describes the build.
    const manifest = await getManifest(reg, 'team/app', digest);
    expect(manifest.mediaType).toBe(MEDIA_TYPES.ociManifest);
    const json = manifest.json as { config: Descriptor; layers: Descriptor[] };
    const config = JSON.parse((await getBlob(reg, 'team/app', json.config.digest)).toString()) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.version': 'v1.0.0' });
    const [layer] = await Promise.all(json.layers.map((l) => getBlob(reg, 'team/app', l.digest)));
    const files = await layerFiles(layer!);
    const text = files.find((f) => f.path === 'standin/build.txt')?.content.toString();
    expect(text).toContain('build-arg: GREETING=hi');
    expect(text).toContain('target: final');
    expect(text).toContain(dockerfile);

    // Credentials never reach the log.
    const output = result.stdout + result.stderr;
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  });

  it('builds the same digest from the same input, another from another', async () => {
    const ctx = await context('determinism', 'FROM scratch\n');
    const digestOf = async (...extra: string[]): Promise<string> => {
      const file = path.join(work, 'out-determinism', 'digest');
      const result = await run([
        '--context',
        ctx,
        '--no-push',
        '--reproducible',
        '--digest-file',
        file,
        ...extra,
      ]);
      expect(result.code).toBe(0);
      return readFile(file, 'utf8');
    };
    const first = await digestOf('--build-arg', 'A=1');
    expect(await digestOf('--build-arg', 'A=1')).toBe(first);
    expect(await digestOf('--build-arg', 'A=2')).not.toBe(first);
    expect(await digestOf('--build-arg', 'A=1', '--label', 'x=y')).not.toBe(first);
  });

  it('pushes nothing with --no-push but still writes the digest', async () => {
    const ctx = await context('no-push', 'FROM scratch\nCOPY . /\n');
    const digestFile = path.join(work, 'out-no-push', 'digest');
    const result = await run([
      '--force',
      '--context',
      ctx,
      '--destination',
      `${reg.host}/nopush/app:v1.0.0`,
      '--no-push',
      '--insecure-registry',
      reg.host,
      '--digest-file',
      digestFile,
      `--kaniko-dir=${path.join(work, 'kaniko-no-push')}`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Skipping push to container registry due to --no-push flag');
    expect(await readFile(digestFile, 'utf8')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await listTags(reg, 'nopush/app')).toEqual([]);
  });

  it('rejects an unknown flag like kaniko, with exit code 1', async () => {
    const ctx = await context('unknown-flag', 'FROM scratch\n');
    const result = await run(['--context', ctx, '--no-push', '--no-such-flag=1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: unknown flag: --no-such-flag');
  });

  it('needs a destination unless --no-push', async () => {
    const ctx = await context('no-destination', 'FROM scratch\n');
    const result = await run(['--context', ctx]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('you must provide --destination, or use --no-push');
  });

  it('exits with the code of a standin:fail directive and pushes nothing', async () => {
    const ctx = await context('fail', 'FROM scratch\n# standin:fail 3\n');
    const result = await run([
      '--context',
      ctx,
      '--destination',
      `${reg.host}/failing/app:v1`,
      '--insecure-registry',
      reg.host,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error building image: standin:fail 3/m);
    expect(await listTags(reg, 'failing/app')).toEqual([]);
  });

  it('fails the push-permission check with wrong credentials, without showing them', async () => {
    const ctx = await context('wrong-creds', 'FROM scratch\n');
    const badConfig = path.join(work, 'bad-docker');
    await mkdir(badConfig, { recursive: true });
    const auth = Buffer.from(`${USER}:wrong-password`).toString('base64');
    await writeFile(
      path.join(badConfig, 'config.json'),
      JSON.stringify({ auths: { [`http://${reg.host}/v2/`]: { auth } } }),
    );
    const result = await run(
      [
        '--context',
        ctx,
        '--destination',
        `${reg.host}/denied/app:v1`,
        '--insecure-registry',
        reg.host,
      ],
      { DOCKER_CONFIG: badConfig },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error checking push permissions');
    expect(result.stderr).toContain('UNAUTHORIZED');
    expect(result.stderr).not.toContain('wrong-password');
    expect(result.stderr).not.toContain(auth);
    expect(await listTags(reg, 'denied/app')).toEqual([]);
  });

  it('speaks HTTPS to a registry not named by --insecure-registry', async () => {
    const ctx = await context('https', 'FROM scratch\n');
    const result = await run(['--context', ctx, '--destination', `${reg.host}/tls/app:v1`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`https://${reg.host}/v2/`);
  });

  it('refuses to run outside a container without --force (in a test-owned chroot)', async () => {
    const root = path.join(work, 'chroot-refuse');
    await mkdir(path.join(root, 'kaniko'), { recursive: true });
    await mkdir(path.join(root, 'ctx'));
    await copyFile(binary, path.join(root, 'kaniko/executor'));
    await writeFile(path.join(root, 'ctx/Dockerfile'), 'FROM scratch\n');
    const args = ['/kaniko/executor', '--context=/ctx', '--no-push'];
    const refused = await runProgram(CHROOT, [root, ...args], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('kaniko should only be run inside of a container');
    const forced = await runProgram(CHROOT, [root, ...args, '--force'], {});
    expect(forced.stderr).toContain('Kaniko is being run outside of a container');
    expect(forced.code).toBe(0);
  });

  it('writes a probe report next to the digest file (in a test-owned chroot)', async () => {
    const root = path.join(work, 'chroot-probe');
    for (const dir of ['kaniko/.docker', 'ctx', 'out']) {
      await mkdir(path.join(root, dir), { recursive: true });
    }
    await copyFile(binary, path.join(root, 'kaniko/executor'));
    await writeFile(path.join(root, 'kaniko/.docker/config.json'), '{"auths":{}}');
    await writeFile(path.join(root, 'ctx/Dockerfile'), 'FROM scratch\n# standin:probe\n');
    const result = await runProgram(
      CHROOT,
      [
        root,
        '/kaniko/executor',
        '--force',
        '--context=/ctx',
        '--no-push',
        '--digest-file=/out/digest',
        '--build-arg=PROBE_PATHS=/kaniko/executor:/nowhere',
      ],
      { DOCKER_CONFIG: '/kaniko/.docker/', PROBE_MARK: 'x' },
    );
    expect(result.code).toBe(0);
    const probe = JSON.parse(await readFile(path.join(root, 'out/probe.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(probe).toMatchObject({
      uid: 0,
      executorExists: true,
      paths: { '/kaniko/executor': true, '/nowhere': false },
      contextDir: '/ctx',
      contextWrite: { ok: true },
      dockerConfig: { path: '/kaniko/.docker/config.json', exists: true, size: 12 },
      env: ['DOCKER_CONFIG=/kaniko/.docker/', 'PROBE_MARK=x'],
      etcHosts: false,
      resolvConf: false,
      rootWrite: { ok: true },
      mounts: '',
    });
    expect(probe.pid).toEqual(expect.any(Number));
    expect(probe.mountsError).toMatch(/no such file/);
    expect(await readFile(path.join(root, 'standin-was-here'), 'utf8')).toBe('standin\n');
  });

  describe('behind a Bearer-token registry', () => {
    let front: Server;
    let frontHost: string;
    const scopes: string[] = [];
    const TOKEN = 'tok-7f3a';

    beforeAll(async () => {
      // A registry front that answers with a Bearer challenge, hands out a token for Basic
      // credentials, and forwards authorized requests to the real registry.
      front = createServer((req, res) => void handle(req, res));
      const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
        const url = new URL(req.url ?? '/', `http://${frontHost}`);
        if (url.pathname === '/token') {
          scopes.push(`${url.searchParams.get('service')} ${url.searchParams.get('scope')}`);
          const ok = req.headers.authorization === reg.authHeader().Authorization;
          res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(ok ? { access_token: TOKEN } : { error: 'denied' }));
          return;
        }
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.writeHead(401, {
            'WWW-Authenticate': `Bearer realm="http://${frontHost}/token",service="front"`,
            'Content-Type': 'application/json',
          });
          res.end('{"errors":[{"code":"UNAUTHORIZED","message":"token needed"}]}');
          return;
        }
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const upstream = await fetch(`${reg.url}${url.pathname}${url.search}`, {
          method: req.method,
          headers: {
            ...reg.authHeader(),
            ...(req.headers['content-type'] ? { 'Content-Type': req.headers['content-type'] } : {}),
          },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const headers: Record<string, string> = {};
        upstream.headers.forEach((value, key) => {
          if (key === 'location') value = value.replace(reg.host, frontHost);
          if (!['content-length', 'transfer-encoding', 'connection'].includes(key)) {
            headers[key] = value;
          }
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      const address = front.address();
      frontHost = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      await writeFile(
        path.join(dockerConfigDir, 'config.json'),
        JSON.stringify({
          auths: {
            [reg.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') },
            [frontHost]: { username: USER, password: PASSWORD },
          },
        }),
      );
    });
    afterAll(
      () => new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve())),
    );

    it('fetches a token with the credentials and pushes through it', async () => {
      const ctx = await context('bearer', 'FROM scratch\n');
      const digestFile = path.join(work, 'out-bearer', 'digest');
      const result = await run([
        '--context',
        ctx,
        '--destination',
        `${frontHost}/bearer/app:v3`,
        '--insecure-registry',
        frontHost,
        '--digest-file',
        digestFile,
      ]);
      expect(result.stderr).toContain('Pushed');
      expect(result.code).toBe(0);
      expect(scopes).toContain('front repository:bearer/app:push,pull');
      expect(await manifestDigest(reg, 'bearer/app', 'v3')).toBe(
        await readFile(digestFile, 'utf8'),
      );
    });
  });
});

describe('stand-in executor image', () => {
  let reg: LocalRegistry;
  beforeAll(async () => {
    // Compile both binaries up front, so the tests below time only the image work.
    [reg] = await Promise.all([startRegistry(), buildStandin('amd64'), buildStandin('arm64')]);
  }, COMPILE_TIMEOUT);
  afterAll(() => reg?.stop());

  it('is an OCI index of two platform images and their attestations, all verifiable', async () => {
    const pushed = await pushStandinImage(reg, 'kaniko/executor', 'v1.23.2');
    expect(await manifestDigest(reg, 'kaniko/executor', 'v1.23.2')).toBe(pushed.indexDigest);

    const index = await getManifest(reg, 'kaniko/executor', 'v1.23.2');
    expect(index.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(index.digest).toBe(pushed.indexDigest);
    const entries = (index.json as { manifests: Descriptor[] }).manifests;
    expect(entries.map((e) => e.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'unknown', architecture: 'unknown' },
      { os: 'unknown', architecture: 'unknown' },
    ]);
    expect(entries.slice(2).map((e) => e.annotations)).toEqual(
      pushed.manifests.map((m) => ({
        'vnd.docker.reference.digest': m.digest,
        'vnd.docker.reference.type': 'attestation-manifest',
      })),
    );
    expect(pushed.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);

    const elfMachine = { amd64: 62, arm64: 183 } as const;
    for (const [i, entry] of entries.slice(0, 2).entries()) {
      const goarch = i === 0 ? 'amd64' : 'arm64';
      const image = await getManifest(reg, 'kaniko/executor', entry.digest);
      expect(image.digest).toBe(entry.digest);
      expect(image.body.length).toBe(entry.size);
      expect(image.mediaType).toBe(MEDIA_TYPES.ociManifest);
      const json = image.json as { config: Descriptor; layers: Descriptor[] };
      expect(json.config.mediaType).toBe(MEDIA_TYPES.ociConfig);
      expect(json.layers.map((l) => l.digest)).toEqual(pushed.manifests[i]!.layerDigests);

      const configBytes = await getBlob(reg, 'kaniko/executor', json.config.digest);
      expect(sha256Digest(configBytes)).toBe(json.config.digest);
      expect(configBytes.length).toBe(json.config.size);
      const config = JSON.parse(configBytes.toString()) as {
        architecture: string;
        os: string;
        config: { Env: string[]; Entrypoint: string[]; WorkingDir: string };
        rootfs: { diff_ids: string[] };
      };
      expect(config).toMatchObject({ architecture: goarch, os: 'linux' });
      expect(config.config).toEqual({
        Env: KANIKO_IMAGE_ENV,
        Entrypoint: ['/kaniko/executor'],
        WorkingDir: '/workspace',
      });

      const layers: LayerFile[][] = [];
      for (const [n, desc] of json.layers.entries()) {
        expect(desc.mediaType).toBe(MEDIA_TYPES.ociLayerGzip);
        const blob = await getBlob(reg, 'kaniko/executor', desc.digest);
        expect(sha256Digest(blob)).toBe(desc.digest);
        expect(blob.length).toBe(desc.size);
        expect(sha256Digest(gunzipSync(blob))).toBe(config.rootfs.diff_ids[n]);
        layers.push(await layerFiles(blob));
      }
      const [layout, whiteouts] = layers;
      const byPath = new Map(layout!.map((e) => [e.path, e]));
      for (const p of [
        'etc/nsswitch.conf',
        'kaniko/',
        'kaniko/.docker/',
        'kaniko/executor',
        'kaniko/junk/old.txt',
        'kaniko/remove-me.txt',
        'kaniko/ssl/certs/ca-certificates.crt',
        'workspace/',
      ]) {
        expect(byPath.has(p), p).toBe(true);
      }
      for (const e of layout!) expect(e.uid).toBe(0);
      const executor = byPath.get('kaniko/executor')!;
      expect(executor.mode & 0o777).toBe(0o755);
      // Digests, not toEqual: deep-comparing megabytes byte by byte is slow.
      expect(sha256Digest(executor.content)).toBe(
        sha256Digest(await readFile(await buildStandin(goarch))),
      );
      expect(executor.content.readUInt16LE(18)).toBe(elfMachine[goarch]);
      expect(sha256Digest(byPath.get('kaniko/ssl/certs/ca-certificates.crt')!.content)).toBe(
        sha256Digest(await readFile('/etc/ssl/certs/ca-certificates.crt')),
      );
      expect(whiteouts!.map((e) => e.path)).toEqual([
        'kaniko/',
        'kaniko/.wh.remove-me.txt',
        'kaniko/junk/',
        'kaniko/junk/.wh..wh..opq',
        'kaniko/junk/new.txt',
      ]);
    }

    for (const attestation of pushed.attestations) {
      const m = await getManifest(reg, 'kaniko/executor', attestation.digest);
      const layer = (m.json as { layers: Descriptor[] }).layers[0]!;
      expect(layer.mediaType).toBe(MEDIA_TYPES.inToto);
      const statement = JSON.parse(
        (await getBlob(reg, 'kaniko/executor', layer.digest)).toString(),
      ) as { subject: { digest: { sha256: string } }[] };
      expect(`sha256:${statement.subject[0]!.digest.sha256}`).toBe(attestation.refersTo);
    }
    expect(pushed.layerDigests).toEqual([
      ...new Set(pushed.manifests.flatMap((m) => m.layerDigests)),
    ]);
  });

  it('pushes the same digests again (reproducible layers)', async () => {
    const a = await pushStandinImage(reg, 'kaniko/again', 'one');
    const b = await pushStandinImage(reg, 'kaniko/again', 'two');
    expect(b.indexDigest).toBe(a.indexDigest);
  });
});
