/**
 * The build loop with `platforms` and `skip-unchanged`: the real stand-in executor (run on the
 * host by test/support/host-runtime.ts, with its own --kaniko-dir) builds one OCI layout per
 * platform from a two-platform busybox base in a real docker-registry with htpasswd auth; the
 * action releases them. The machine's real binfmt_misc decides which platforms can be built.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const annotations: string[] = [];
vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return {
    ...actual,
    error: (message: string | Error) => annotations.push(String(message)),
    info: () => undefined,
    setSecret: () => undefined,
  };
});

const { buildImages } = await import('../../src/build/images.js');
const { writeCredentials } = await import('../../src/credentials/docker-config.js');
const { inputsFrom, planOf } = await import('../support/inputs.js');
const { buildStandin, hostGoArch } = await import('../support/standin.js');
const { HostRuntime } = await import('../support/host-runtime.js');
const { ARM64_BUSYBOX, HOST_BUSYBOX, pushBusyboxImage } =
  await import('../support/busybox-image.js');
const { getBlob, getManifest } = await import('../support/oci-image.js');
const { layerFiles } = await import('../support/layer-files.js');
const { writeFiles } = await import('../support/git-repo.js');
const { listTags, manifestDigest, pushRandomImage, startRegistry } =
  await import('../support/registry.js');

type InputValues = import('../support/inputs.js').InputValues;
type ImagePlan = import('../../src/contract.js').ImagePlan;
type LocalRegistry = import('../support/registry.js').LocalRegistry;
type HostRuntimeT = import('../support/host-runtime.js').HostRuntime;

const USERNAME = 'releaser';
const PASSWORD = 'release-pw-456';
const BINFMT = '/proc/sys/fs/binfmt_misc';
/** arm64 RUN steps need QEMU registered with the F flag and an arm64 busybox. */
const CAN_RUN_ARM64 =
  hostGoArch() === 'arm64' ||
  (ARM64_BUSYBOX !== '' &&
    fs.existsSync(`${BINFMT}/qemu-aarch64`) &&
    /^flags:.*F/m.test(fs.readFileSync(`${BINFMT}/qemu-aarch64`, 'utf8')));

let reg: LocalRegistry;
let standin: string;
let scratch: string;
let workspace: string;
let base: string;
let counter = 0;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'release-flow-'));
  [reg, standin] = await Promise.all([
    startRegistry({ auth: { username: USERNAME, password: PASSWORD } }),
    buildStandin(hostGoArch()),
  ]);
  await pushBusyboxImage(reg, 'base/busybox', 'multi', {
    platforms: [
      { platform: 'linux/amd64', busybox: HOST_BUSYBOX },
      { platform: 'linux/arm64', busybox: ARM64_BUSYBOX || HOST_BUSYBOX },
    ],
  });
  base = `${reg.host}/base/busybox:multi`;
}, 180_000);
afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  annotations.length = 0;
  workspace = fs.mkdtempSync(path.join(scratch, 'ws-'));
});

/** A directory with these files, planned as `version` (bumped from `previous`). */
function directory(files: Record<string, string>, version = 'v1.0.0', previous = ''): ImagePlan {
  const dir = `img-${++counter}`;
  writeFiles(path.join(workspace, dir), files);
  return planOf(dir, { registry: reg.host, namespace: 'flow', version, previous });
}

async function build(plan: ImagePlan, values: InputValues) {
  const inputs = inputsFrom(
    {
      registry: reg.host,
      namespace: 'flow',
      username: USERNAME,
      password: PASSWORD,
      'insecure-registries': reg.host,
      ...values,
    },
    { workspace },
  );
  const env = { RUNNER_TEMP: fs.mkdtempSync(path.join(scratch, 'temp-')), HOME: scratch };
  const runtime: HostRuntimeT = new HostRuntime(standin);
  runtime.workDir = fs.mkdtempSync(path.join(env.RUNNER_TEMP, 'work-'));
  const lines: string[] = [];
  const [result] = await buildImages([plan], {
    inputs,
    workspace,
    executor: { rootfs: '/nonexistent', digest: '', env: [], entrypoint: ['/kaniko/executor'] },
    runtime,
    credentials: await writeCredentials(inputs, env),
    revision: 'abcdef0123456789abcdef0123456789abcdef01',
    env,
    log: { startGroup: () => undefined, endGroup: () => undefined, info: (l) => lines.push(l) },
  });
  // Every output directory of the runs was removed afterwards.
  expect(fs.readdirSync(runtime.workDir)).toEqual([]);
  return { result: result!, runtime, lines };
}

describe('platforms', () => {
  it.runIf(CAN_RUN_ARM64)(
    CAN_RUN_ARM64
      ? 'builds each platform with its own kaniko run and releases one index whose arm64 layer says aarch64'
      : 'two-platform build with RUN (skipped: no qemu-aarch64 binfmt_misc registration with the F flag, or no test/.cache/busybox-arm64; run scripts/setup.sh)',
    async () => {
      const plan = directory(
        { Dockerfile: `FROM ${base}\nRUN uname -m > /arch\n` },
        'v1.2.4',
        'v1.2.3',
      );
      await pushRandomImage(reg, plan.ref.repository, ['v1.2.3']);
      const { result, runtime, lines } = await build(plan, {
        platforms: 'linux/amd64,linux/arm64',
        tags: '{{prefix}}{{major}}\nsha-{{sha}}',
      });
      expect(result.error).toBe('');
      expect(result).toMatchObject({
        status: 'pushed',
        version: 'v1.2.4',
        previous: 'v1.2.3',
        tags: ['v1.2.4', 'latest', 'v1', 'sha-abcdef0'],
      });
      expect(
        runtime.specs.map((s) => s.args.find((a) => a.startsWith('--custom-platform='))),
      ).toEqual(['--custom-platform=linux/amd64', '--custom-platform=linux/arm64']);
      for (const spec of runtime.specs) {
        expect(spec.args).toContain('--no-push');
        expect(spec.args.some((a) => a.startsWith('--destination='))).toBe(false);
      }
      const repo = plan.ref.repository;
      expect((await listTags(reg, repo)).sort()).toEqual([
        'latest',
        'sha-abcdef0',
        'v1',
        'v1.2.3',
        'v1.2.4',
      ]);
      for (const tag of result.tags)
        expect(await manifestDigest(reg, repo, tag)).toBe(result.digest);
      const archs: Record<string, string> = {};
      for (const [platform, digest] of Object.entries(result.platforms)) {
        const manifest = (await getManifest(reg, repo, digest)).json as {
          layers: { digest: string }[];
        };
        // The layer of `RUN uname -m`, right after the busybox layer.
        const files = await layerFiles(await getBlob(reg, repo, manifest.layers[1]!.digest));
        archs[platform] = files.find((f) => f.path === 'arch')!.content.toString();
      }
      expect(archs['linux/arm64']).toBe('aarch64\n');
      expect(archs['linux/amd64']).toBe('x86_64\n');
      expect(lines.join('\n')).toContain('Blobs: ');
    },
    120_000,
  );

  const s390x = fs.existsSync(`${BINFMT}/qemu-s390x`);
  it.runIf(!s390x)(
    s390x
      ? 'unregistered platform (skipped: this machine registers qemu-s390x)'
      : 'fails a platform the runner can neither run nor emulate before any build, saying how to register QEMU',
    async () => {
      const plan = directory({ Dockerfile: `FROM ${base}\nRUN echo hi > /hi\n` });
      const { result, runtime } = await build(plan, { platforms: 'linux/amd64,linux/s390x' });
      expect(result.status).toBe('failed');
      expect(result.error).toContain('linux/s390x needs QEMU user emulation');
      expect(result.error).toContain('sudo apt-get install -y qemu-user-static');
      expect(runtime.specs).toEqual([]);
      expect(await listTags(reg, plan.ref.repository)).toEqual([]);
      expect(annotations.join('\n')).toContain('Nothing was built. Register the emulation');
    },
  );

  it('builds a cross-compiling Dockerfile for a platform without emulation: RUN only on the build platform', async () => {
    const plan = directory({
      Dockerfile: [
        `FROM --platform=$BUILDPLATFORM ${base} AS build`,
        'ARG TARGETARCH',
        'RUN echo "built for $TARGETARCH on $(uname -m)" > /out',
        'FROM scratch',
        'COPY --from=build /out /out',
        '',
      ].join('\n'),
    });
    const { result, runtime } = await build(plan, { platforms: 'linux/amd64,linux/s390x' });
    expect(result.error).toBe('');
    expect(result.status).toBe('pushed');
    expect(runtime.specs).toHaveLength(2);
    const repo = plan.ref.repository;
    const manifest = (await getManifest(reg, repo, result.platforms['linux/s390x']!)).json as {
      layers: { digest: string }[];
      config: { digest: string };
    };
    const config = JSON.parse((await getBlob(reg, repo, manifest.config.digest)).toString()) as {
      architecture: string;
    };
    expect(config.architecture).toBe('s390x');
    const files = await layerFiles(await getBlob(reg, repo, manifest.layers[0]!.digest));
    expect(files.find((f) => f.path === 'out')!.content.toString()).toMatch(
      /^built for s390x on (x86_64|aarch64)\n$/,
    );
  });

  it('without push, reports the index it would release and pushes nothing', async () => {
    const plan = directory({
      Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n',
      'app.txt': 'x\n',
    });
    const { result, runtime } = await build(plan, {
      platforms: 'linux/amd64,linux/arm64',
      push: 'false',
    });
    expect(result).toMatchObject({ status: 'built', error: '' });
    expect(Object.keys(result.platforms)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(result.digest).toMatch(/^sha256:/);
    expect(runtime.specs).toHaveLength(2);
    expect(await listTags(reg, plan.ref.repository)).toEqual([]);
  });
});

describe('skip-unchanged', () => {
  it('releases a changed single-platform image, then finds a rebuild of it unchanged', async () => {
    const files = { Dockerfile: `FROM ${base}\nCOPY app.txt /app.txt\n`, 'app.txt': 'same\n' };
    const plan = directory(files, 'v1.0.0');
    const first = await build(plan, { 'skip-unchanged': 'true' });
    expect(first.result).toMatchObject({ status: 'pushed', version: 'v1.0.0', platforms: {} });
    const args = first.runtime.specs[0]!.args;
    expect(args).toContain('--reproducible');
    expect(args.some((a) => a.startsWith('--custom-platform='))).toBe(false);
    expect(first.lines).toContain('Changed: there is no latest yet.');

    // The next push changes nothing the image holds.
    fs.writeFileSync(path.join(workspace, plan.directory, 'README.md'), 'docs\n');
    const second = await build(
      { ...plan, version: 'v1.0.1', previous: 'v1.0.0' },
      { 'skip-unchanged': 'true' },
    );
    expect(second.result).toMatchObject({
      status: 'unchanged',
      version: 'v1.0.0',
      previous: 'v1.0.0',
      tags: [],
      digest: first.result.digest,
      error: '',
    });
    expect((await listTags(reg, plan.ref.repository)).sort()).toEqual(['latest', 'v1.0.0']);

    fs.writeFileSync(path.join(workspace, plan.directory, 'app.txt'), 'different\n');
    const third = await build(
      { ...plan, version: 'v1.0.1', previous: 'v1.0.0' },
      { 'skip-unchanged': 'true' },
    );
    expect(third.result).toMatchObject({ status: 'pushed', version: 'v1.0.1' });
    expect(third.lines).toContain('Changed: its layers differ.');
  }, 60_000);
});
