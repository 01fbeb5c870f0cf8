/**
 * The stand-in executor builds for real: it pulls a busybox base from a local registry (or a
 * mirror), unpacks it under --kaniko-dir, runs RUN steps chrooted there, copies from the
 * context, and pushes the layers it snapshotted (or writes an OCI layout).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_BUSYBOX, pushBusyboxImage, type BusyboxImage } from './busybox-image.js';
import { layerFiles, type ImageConfig, type LayerFile } from './layer-files.js';
import { getBlob, getManifest, type Descriptor } from './oci-image.js';
import { readOciLayout } from './oci-layout.js';
import { listTags, startRegistry, type LocalRegistry } from './registry.js';
import { buildStandin, hostGoArch } from './standin.js';

const COMPILE_TIMEOUT = 600_000;
const USER = 'puller';
const PASSWORD = 'pa55-standin-build';
const UNAME = hostGoArch() === 'amd64' ? 'x86_64' : 'aarch64';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Successful blob downloads of `digest` in a registry's access log. */
async function blobGets(reg: LocalRegistry, digest: string): Promise<number> {
  const log = await readFile(reg.logFile, 'utf8');
  return log
    .split('\n')
    .filter((l) => l.includes(`/blobs/${digest} HTTP/1.1" 200`) && l.includes('"GET ')).length;
}

function byPath(files: LayerFile[]): Map<string, LayerFile> {
  return new Map(files.map((f) => [f.path.replace(/\/$/, ''), f]));
}

describe('stand-in executor: real builds', () => {
  let reg: LocalRegistry;
  let mirror: LocalRegistry;
  let binary: string;
  let work: string;
  let dockerConfig: string;
  let base: BusyboxImage;
  let baseRef: string;
  let baseLayers: string[];

  beforeAll(async () => {
    [reg, mirror, binary, work] = await Promise.all([
      startRegistry({ auth: { username: USER, password: PASSWORD } }),
      startRegistry(),
      buildStandin(hostGoArch()),
      mkdtemp(path.join(tmpdir(), 'standin-build-')),
    ]);
    dockerConfig = path.join(work, 'docker');
    await mkdir(dockerConfig);
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [reg.host]: { auth } } }),
    );
    base = await pushBusyboxImage(reg, 'base/busybox', '1');
    baseRef = `${reg.host}/base/busybox:1`;
    baseLayers = base.layerDigests['linux/amd64']!;
  }, COMPILE_TIMEOUT);
  afterAll(async () => {
    await Promise.all([reg?.stop(), mirror?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Writes a context (files by relative path) and runs the stand-in on it. */
  async function build(name: string, files: Record<string, string>, args: string[]) {
    const ctx = path.join(work, 'ctx', name);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(ctx, file)), { recursive: true });
      await writeFile(path.join(ctx, file), content);
    }
    const kanikoDir = path.join(work, 'kaniko', name);
    const result = await runProgram(
      binary,
      [
        '--force',
        `--context=dir://${ctx}`,
        `--kaniko-dir=${kanikoDir}`,
        `--insecure-registry=${reg.host}`,
        `--insecure-registry=${mirror.host}`,
        ...args,
      ],
      { PATH: process.env.PATH, HOME: work, DOCKER_CONFIG: dockerConfig },
    );
    return { ...result, ctx, kanikoDir };
  }

  /** The image a tag points to: manifest, config and layer blobs. */
  async function pushed(repo: string, ref: string) {
    const m = await getManifest(reg, repo, ref);
    const manifest = m.json as { config: Descriptor; layers: Descriptor[] };
    const config = JSON.parse(
      (await getBlob(reg, repo, manifest.config.digest)).toString(),
    ) as ImageConfig;
    const layers = await Promise.all(manifest.layers.map((l) => getBlob(reg, repo, l.digest)));
    return { digest: m.digest, config, layers, layerDigests: manifest.layers.map((l) => l.digest) };
  }

  it('pulls the base, runs RUN in a chroot under --kaniko-dir, and pushes base + new layers', async () => {
    const dockerfile = `FROM ${baseRef}\nRUN echo hi > /hello && uname -m > /arch && echo run-output-marker\n`;
    const r = await build('run', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/run/app:1`,
    ]);
    expect(r.stderr).toContain('Pushed');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('run-output-marker');
    expect(r.stderr).toContain(`Retrieving image manifest ${baseRef}`);
    expect(r.stderr).toContain(`Retrieving image ${baseRef} from registry ${reg.host}`);
    expect(r.stderr).toContain(
      `standin: base image ${baseRef} resolved to ${reg.host}/base/busybox@${base.digest}`,
    );

    const img = await pushed('run/app', '1');
    expect(img.layerDigests.slice(0, baseLayers.length)).toEqual(baseLayers);
    expect(img.layers).toHaveLength(baseLayers.length + 2);
    const files = byPath(await layerFiles(img.layers[baseLayers.length]!));
    expect([...files.keys()].sort()).toEqual(['arch', 'hello']);
    expect(files.get('hello')!.content.toString()).toBe('hi\n');
    expect(files.get('arch')!.content.toString()).toBe(`${UNAME}\n`);
    const last = await layerFiles(img.layers.at(-1)!);
    expect(last.map((f) => f.path)).toEqual(['standin/', 'standin/build.txt']);
    expect(img.config).toMatchObject({ architecture: hostGoArch(), os: 'linux' });
    expect(img.config.config.Cmd).toEqual(['sh']);
    expect(img.config.rootfs.diff_ids).toHaveLength(img.layers.length);
    expect(img.config.history!.map((h) => [h.created_by, !!h.empty_layer])).toEqual([
      ['ADD busybox / # test support', false],
      [dockerfile.split('\n')[1], false],
      ['standin: build of target (last stage)', false],
    ]);
    // The stage's root lives under --kaniko-dir, never in /.
    expect(await readFile(path.join(r.kanikoDir, 'stages/0/rootfs/hello'), 'utf8')).toBe('hi\n');
  });

  it('fails a RUN that exits non-zero like kaniko, with exit code 1, and pushes nothing', async () => {
    const r = await build(
      'run-fails',
      { Dockerfile: `FROM ${baseRef}\nRUN echo before && exit 3\n` },
      [`--destination=${reg.host}/run/fails:1`],
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('before');
    expect(r.stderr).toContain(
      'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 3',
    );
    expect(await listTags(reg, 'run/fails')).toEqual([]);
  });

  it('fails clearly when the shell cannot be executed (exec format error)', async () => {
    await pushBusyboxImage(reg, 'base/broken', '1', {
      extraLayers: [
        [
          { path: 'bin', type: 'dir' },
          { path: 'bin/sh', content: 'not a program', mode: 0o755 },
        ],
      ],
    });
    const r = await build(
      'exec-format',
      { Dockerfile: `FROM ${reg.host}/base/broken:1\nRUN true\n` },
      ['--no-push'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'failed to execute command: starting command: fork/exec /bin/sh: exec format error',
    );
  });

  it('gives RUN the ENV, ARG, WORKDIR and USER in effect, and records deletions as whiteouts', async () => {
    const dockerfile = [
      `FROM ${baseRef}`,
      'ARG GREETING=hello',
      'ENV NAME=world',
      'WORKDIR /work',
      'RUN rm /etc/group && echo "$GREETING $NAME $(pwd) $(id -u) $HOME" > /tmp/env.txt',
      'USER 1000',
      'RUN id -u > /tmp/uid',
      '',
    ].join('\n');
    const r = await build('env', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/env/app:1`,
      '--build-arg=GREETING=hi',
      '--cleanup',
    ]);
    expect(r.stderr).toContain('Pushed');
    const img = await pushed('env/app', '1');
    const first = byPath(await layerFiles(img.layers[baseLayers.length]!));
    expect(first.get('tmp/env.txt')!.content.toString()).toBe('hi world /work 0 /root\n');
    expect(first.has('work')).toBe(true);
    expect(first.has('etc/.wh.group')).toBe(true);
    const second = byPath(await layerFiles(img.layers[baseLayers.length + 1]!));
    expect(second.get('tmp/uid')).toMatchObject({ uid: 1000 });
    expect(second.get('tmp/uid')!.content.toString()).toBe('1000\n');
    expect(img.config.config).toMatchObject({ WorkingDir: '/work', User: '1000' });
    expect(img.config.config.Env).toContain('NAME=world');
    expect(img.config.history!.filter((h) => h.empty_layer).map((h) => h.created_by)).toEqual([
      'ARG GREETING=hello',
      'ENV NAME=world',
      'WORKDIR /work',
      'USER 1000',
    ]);
    expect(existsSync(path.join(r.kanikoDir, 'stages'))).toBe(false); // --cleanup
  });

  it('copies from the context with wildcards, .dockerignore, --chown and --chmod', async () => {
    const dockerfile = [
      `FROM ${baseRef}`,
      'WORKDIR /app',
      'COPY *.txt ./',
      'COPY --chown=1000:1000 --chmod=0640 dir /app/dir/',
      'COPY . /ctx/',
      '',
    ].join('\n');
    const r = await build(
      'copy',
      {
        Dockerfile: dockerfile,
        '.dockerignore': '*.log\nsecret/\n!keep.log\n',
        'a.txt': 'a\n',
        'b.txt': 'b\n',
        'c.log': 'ignored\n',
        'keep.log': 'kept\n',
        'secret/key': 'never copied\n',
        'dir/sub/x.txt': 'x\n',
      },
      [`--destination=${reg.host}/copy/app:1`],
    );
    expect(r.stderr).toContain('Pushed');
    const img = await pushed('copy/app', '1');
    const [txt, chowned, all] = await Promise.all(
      img.layers.slice(baseLayers.length, baseLayers.length + 3).map(layerFiles),
    );
    expect(txt!.map((f) => f.path)).toEqual(['app/', 'app/a.txt', 'app/b.txt']);
    const x = byPath(chowned!).get('app/dir/sub/x.txt')!;
    expect(x).toMatchObject({ uid: 1000, gid: 1000 });
    expect(x.mode & 0o7777).toBe(0o640);
    const copied = [...byPath(all!).keys()].filter((p) => p.startsWith('ctx/')).sort();
    expect(copied).toEqual([
      'ctx/.dockerignore',
      'ctx/Dockerfile',
      'ctx/a.txt',
      'ctx/b.txt',
      'ctx/dir',
      'ctx/dir/sub',
      'ctx/dir/sub/x.txt',
      'ctx/keep.log',
    ]);
  });

  it('builds multi-stage: ARG in FROM, FROM an earlier stage, COPY --from', async () => {
    const dockerfile = [
      `ARG REPO=${reg.host}/base/busybox`,
      'ARG TAG=0',
      'FROM ${REPO}:${TAG} AS builder',
      'RUN echo built > /out.txt',
      'FROM builder AS second',
      'RUN cp /out.txt /copy.txt',
      'FROM scratch',
      'COPY --from=second /copy.txt /result.txt',
      'COPY --from=0 /out.txt /',
      '',
    ].join('\n');
    const r = await build('multi', { Dockerfile: dockerfile }, [
      `--destination=${reg.host}/multi/app:1`,
      '--build-arg',
      'TAG=1',
    ]);
    expect(r.stderr).toContain('Pushed');
    expect(r.stderr).toContain(`Resolved base name \${REPO}:\${TAG} to ${baseRef}`);
    expect(r.stderr).toContain("Building stage 'builder' [idx: '1', base-idx: '0']");
    const img = await pushed('multi/app', '1');
    expect(img.layers).toHaveLength(3);
    const [first, second] = await Promise.all(img.layers.slice(0, 2).map(layerFiles));
    expect(first!.map((f) => [f.path, f.content.toString()])).toEqual([['result.txt', 'built\n']]);
    expect(second!.map((f) => f.path)).toEqual(['out.txt']);
    expect(img.config.config.Env).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
  });

  it('pulls through --registry-map (with a path prefix) and falls back to the original', async () => {
    const onMirror = await pushBusyboxImage(mirror, 'cache/base/busybox', '1');
    const layer = onMirror.layerDigests['linux/amd64']![0]!;
    const [regBefore, mirrorBefore] = [await blobGets(reg, layer), await blobGets(mirror, layer)];
    const mapped = await build('map', { Dockerfile: `FROM ${baseRef}\nRUN true\n` }, [
      '--no-push',
      `--registry-map=${reg.host}=${mirror.host}/cache`,
    ]);
    expect(mapped.code).toBe(0);
    expect(mapped.stderr).toContain(
      `Retrieving image ${mirror.host}/cache/base/busybox:1 from mapped registry ${mirror.host}`,
    );
    expect(mapped.stderr).toContain(
      `resolved to ${mirror.host}/cache/base/busybox@${onMirror.digest}`,
    );
    expect(await blobGets(mirror, layer)).toBe(mirrorBefore + 1);
    expect(await blobGets(reg, layer)).toBe(regBefore);

    // Not on the mirror: a warning, then the original registry.
    await pushBusyboxImage(reg, 'only/here', '1');
    const fallback = await build('map-fallback', { Dockerfile: `FROM ${reg.host}/only/here:1\n` }, [
      '--no-push',
      `--registry-map=${reg.host}=${mirror.host}`,
    ]);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toMatch(
      /WARN\[\d+\] Failed to retrieve image .* from remapped registry/,
    );
    expect(fallback.stderr).toContain(`resolved to ${reg.host}/only/here@`);

    const noFallback = await build(
      'map-no-fallback',
      { Dockerfile: `FROM ${reg.host}/only/here:1\n` },
      [
        '--no-push',
        `--registry-map=${reg.host}=${mirror.host}`,
        '--skip-default-registry-fallback',
      ],
    );
    expect(noFallback.code).toBe(1);
    expect(noFallback.stderr).toContain('image not found on any configured mapped registries');
  });

  it('pulls Docker Hub names through --registry-mirror, as index.docker.io/library/…', async () => {
    const onMirror = await pushBusyboxImage(mirror, 'library/busybox', 'stable');
    const r = await build('mirror', { Dockerfile: 'FROM busybox:stable\nRUN true\n' }, [
      '--no-push',
      `--registry-mirror=${mirror.host}`,
      '--skip-default-registry-fallback',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Retrieving image manifest busybox:stable');
    expect(r.stderr).toContain(
      `standin: base image busybox:stable resolved to ${mirror.host}/library/busybox@${onMirror.digest}`,
    );
  });

  it('fails on an unknown base image with the registry error', async () => {
    const r = await build('unknown', { Dockerfile: `FROM ${reg.host}/base/busybox:nope\n` }, [
      '--no-push',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error building image: retrieving image .*: unable to complete operation after 0 attempts, last error: failed to get image manifest: GET http:\/\/.*: MANIFEST_UNKNOWN/m,
    );
  });

  it('writes an OCI layout for --custom-platform with --no-push, from the index entry for it', async () => {
    const multi = await pushBusyboxImage(reg, 'multi/busybox', '1', {
      platforms: [
        { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
        // No RUN below: the binary's architecture does not matter here.
        { platform: 'linux/arm64', busybox: process.env.STANDIN_ARM64_BUSYBOX ?? HOST_BUSYBOX },
      ],
    });
    const layoutDir = path.join(work, 'layout-arm64');
    const digestFile = path.join(work, 'layout-arm64.digest');
    const dockerfile = `FROM ${reg.host}/multi/busybox:1\nARG TARGETARCH\nLABEL arch=$TARGETARCH\nCOPY a.txt /\n`;
    const r = await build('layout', { Dockerfile: dockerfile, 'a.txt': 'a\n' }, [
      `--destination=${reg.host}/multi/out:1`,
      '--no-push',
      `--oci-layout-path=${layoutDir}`,
      `--digest-file=${digestFile}`,
      '--custom-platform=linux/arm64',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `resolved to ${reg.host}/multi/busybox@${multi.manifests['linux/arm64/v8']} (from index ${multi.digest})`,
    );
    const layout = await readOciLayout(layoutDir);
    expect(layout.ociLayout.imageLayoutVersion).toBe('1.0.0');
    expect(layout.images).toHaveLength(1);
    const [image] = layout.images;
    expect(image!.descriptor.digest).toBe(await readFile(digestFile, 'utf8'));
    expect(image!.descriptor.platform).toBeUndefined(); // kaniko's index.json has none
    expect(image!.platform).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(image!.config.config.Labels).toEqual({ arch: 'arm64' });
    expect(image!.manifest.layers[0]!.digest).toBe(multi.layerDigests['linux/arm64/v8']![0]);
    expect(await listTags(reg, 'multi/out')).toEqual([]);
  });

  it('builds byte-identical images with --reproducible, different ones without', async () => {
    const files = {
      Dockerfile: `FROM ${baseRef}\nCOPY a.txt /a.txt\nRUN echo x > /x\n`,
      'a.txt': 'a\n',
    };
    const digestOf = async (name: string, ...extra: string[]): Promise<string> => {
      const file = path.join(work, `${name}.digest`);
      const r = await build(name, files, ['--no-push', `--digest-file=${file}`, ...extra]);
      expect(r.code).toBe(0);
      return readFile(file, 'utf8');
    };
    const layout = path.join(work, 'layout-repro');
    const a = await digestOf('repro-a', '--reproducible', `--oci-layout-path=${layout}`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await digestOf('repro-b', '--reproducible')).toBe(a);
    const [image] = (await readOciLayout(layout)).images;
    expect(image!.config.created).toBe('0001-01-01T00:00:00Z');
    expect(new Set(image!.config.history!.map((h) => h.created))).toEqual(
      new Set(['0001-01-01T00:00:00Z']),
    );
    for (const l of image!.layers.slice(baseLayers.length)) {
      for (const f of await layerFiles(l)) expect(f.mtime.getTime()).toBe(0);
    }
    const c = await digestOf('plain-c');
    const d = await digestOf('plain-d');
    expect(c).not.toBe(d);
    expect(c).not.toBe(a);
  });

  const arm64Busybox = process.env.STANDIN_ARM64_BUSYBOX ?? '';
  const canRunArm64 =
    existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64') &&
    arm64Busybox !== '' &&
    existsSync(arm64Busybox);
  (canRunArm64 ? it : it.skip)(
    canRunArm64
      ? 'runs arm64 RUN steps through binfmt_misc'
      : 'runs arm64 RUN steps (skipped: needs /proc/sys/fs/binfmt_misc/qemu-aarch64 and STANDIN_ARM64_BUSYBOX)',
    async () => {
      await pushBusyboxImage(reg, 'arm/busybox', '1', {
        platforms: [
          { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
          { platform: 'linux/arm64', busybox: arm64Busybox },
        ],
      });
      const r = await build(
        'arm64',
        { Dockerfile: `FROM ${reg.host}/arm/busybox:1\nRUN uname -m > /arch\n` },
        [`--destination=${reg.host}/arm/app:1`, '--custom-platform=linux/arm64'],
      );
      expect(r.code).toBe(0);
      const img = await pushed('arm/app', '1');
      const files = byPath(await layerFiles(img.layers.at(-2)!));
      expect(files.get('arch')!.content.toString()).toBe('aarch64\n');
      expect(img.config.architecture).toBe('arm64');
    },
  );
});
