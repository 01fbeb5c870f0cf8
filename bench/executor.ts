/**
 * The executor install and the runtime, against a real local `docker-registry`:
 *
 * - cold install: index → manifest → config + layers downloaded, verified, unpacked and put in
 *   a fresh tool cache;
 * - warm install: the same image found in the tool cache and verified (requests made, blob
 *   requests: 0);
 * - runtime: one build's start + teardown under runc and crun (bundle with an overlay over the
 *   cached root, the container with Docker's profile, the executor's `version`, delete,
 *   unmount), beside the previous way — a copy of the root per build, kept here as a small
 *   baseline — and the same command run directly on the host.
 *
 * For two images: the stand-in executor (a few MiB), and the stand-in padded with
 * incompressible layers to the size of the real kaniko executor image (~80 MiB unpacked).
 * Prints medians (min–max) of several runs. The runtime part needs root.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installExecutor, type InstalledExecutor } from '../src/executor/install.js';
import { Registries } from '../src/registry/clients.js';
import { cleanupBuilds } from '../src/runtime/cleanup.js';
import { findRuntime, type OciRuntime } from '../src/runtime/discover.js';
import { selectRuntime } from '../src/runtime/select.js';
import { containerSpec, seccompArch } from '../src/runtime/spec.js';
import * as ociSupport from '../test/support/oci-image.js';
import * as registrySupport from '../test/support/registry.js';
import type { LocalRegistry } from '../test/support/registry.js';
import { testRuntimes } from '../test/support/runtimes.js';
import * as standinSupport from '../test/support/standin.js';

const support = { ...registrySupport, ...standinSupport, ...ociSupport };
const { buildStandin, hostGoArch, KANIKO_IMAGE_ENV, makeLayer, pushOciImage } = support;
const { pushStandinImage, startRegistry } = support;

const COLD_RUNS = 5;
const WARM_RUNS = 10;
const RUNTIME_RUNS = 10;
/** Padding of the kaniko-sized image: three layers of random bytes (credential helpers, …). */
const PADDING_MIB = [36, 24, 16];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (xs: number[]): string =>
  `${median(xs).toFixed(1).padStart(7)} ms  (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

function duSize(dir: string): number {
  let total = 0;
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.isDirectory()) walk(p);
      else total += st.size;
    }
  };
  walk(dir);
  return total;
}

/** The stand-in image padded with incompressible layers, as one linux manifest. */
async function pushPaddedImage(reg: LocalRegistry, repo: string): Promise<number> {
  const executor = fs.readFileSync(await buildStandin(hostGoArch()));
  const layers = [
    await makeLayer([
      { path: 'kaniko', type: 'dir', mode: 0o777 },
      { path: 'kaniko/executor', content: executor, mode: 0o755 },
      { path: 'kaniko/ssl', type: 'dir' },
      { path: 'kaniko/ssl/certs', type: 'dir' },
      {
        path: 'kaniko/ssl/certs/ca-certificates.crt',
        content: fs.readFileSync('/etc/ssl/certs/ca-certificates.crt'),
      },
      { path: 'kaniko/.docker', type: 'dir' },
    ]),
  ];
  for (const [i, mib] of PADDING_MIB.entries()) {
    layers.push(
      await makeLayer([
        { path: 'kaniko', type: 'dir', mode: 0o777 },
        { path: `kaniko/helper-${i}`, content: randomBytes(mib * 1024 * 1024), mode: 0o755 },
      ]),
    );
  }
  await pushOciImage(reg, repo, 'v1', layers, {
    os: 'linux',
    architecture: hostGoArch(),
    config: { Env: KANIKO_IMAGE_ENV, Entrypoint: ['/kaniko/executor'], WorkingDir: '/workspace' },
  });
  return layers.reduce((sum, l) => sum + l.size, 0);
}

async function benchImage(
  reg: LocalRegistry,
  label: string,
  image: string,
  base: string,
): Promise<InstalledExecutor> {
  const inputs = {
    executorImage: image,
    registry: 'docker.io',
    username: '',
    password: '',
    insecureRegistries: [reg.host],
    caCertificates: '',
  };
  const quiet = { log: () => undefined };
  const cold: number[] = [];
  let installed: InstalledExecutor | undefined;
  for (let i = 0; i < COLD_RUNS; i++) {
    process.env.RUNNER_TOOL_CACHE = fs.mkdtempSync(path.join(base, 'cache-'));
    const [ms, result] = await timed(() => installExecutor(inputs, quiet));
    cold.push(ms);
    installed = result;
  }
  const warm: number[] = [];
  const requests: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const registries = new Registries(inputs);
    const [ms, result] = await timed(() => installExecutor(inputs, { ...quiet, registries }));
    await registries.close();
    if (!result.cached) throw new Error('the warm install did not find the cache');
    warm.push(ms);
    requests.push(registries.http.requestCount);
  }
  const size = duSize(installed!.rootfs);
  console.log(`\n${label}: ${image} — rootfs ${(size / 1024 / 1024).toFixed(1)} MiB`);
  console.log(`  cold install (download, verify, unpack, cache)  ${fmt(cold)}`);
  console.log(
    `  warm install (found in the tool cache)          ${fmt(warm)}   requests: ${median(requests)} (manifest only, 0 blobs)`,
  );
  return installed!;
}

/**
 * Today's copy-based root, kept here as the baseline: each build copies the cached root
 * (`cp -a --reflink=auto`), runs in the same container profile, and deletes the copy.
 */
async function copyBasedRun(
  runtime: OciRuntime,
  stateRoot: string,
  executor: InstalledExecutor,
  base: string,
): Promise<void> {
  const bundle = fs.mkdtempSync(path.join(base, 'copy-bundle-'));
  try {
    const copy = spawnSync('cp', [
      '-a',
      '--reflink=auto',
      '--',
      executor.rootfs,
      path.join(bundle, 'rootfs'),
    ]);
    if (copy.status !== 0) throw new Error(`cp failed: ${copy.stderr}`);
    const spec = containerSpec({
      args: [...executor.entrypoint, 'version'],
      env: executor.env,
      root: 'rootfs',
      binds: [],
      arch: seccompArch()!,
      memoryBytes: 0,
      cpus: 0,
    });
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec), { mode: 0o600 });
    const id = `bench-${path.basename(bundle).slice(-6).toLowerCase()}`;
    const run = spawnSync(runtime.binary, ['--root', stateRoot, 'run', '--bundle', bundle, id]);
    if (run.status !== 0) throw new Error(`the copy-based run failed: ${run.stderr}`);
  } finally {
    fs.rmSync(bundle, { recursive: true, force: true });
  }
}

async function benchRuntime(executor: InstalledExecutor, base: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log(`  runtime: skipped (needs root)`);
    return;
  }
  const context = fs.mkdtempSync(path.join(base, 'context-'));
  const output = fs.mkdtempSync(path.join(base, 'output-'));
  const config = path.join(base, 'config.json');
  fs.writeFileSync(config, '{"auths":{}}', { mode: 0o600 });
  const direct: number[] = [];
  for (let i = 0; i < RUNTIME_RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(path.join(executor.rootfs, 'kaniko/executor'), ['version']);
    if (result.status !== 0) throw new Error('the executor did not run on the host');
    direct.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`  the executor's 'version' on the host, no container     ${fmt(direct)}`);
  for (const { name, choice, missing } of testRuntimes()) {
    if (missing) {
      console.log(`  ${name}: skipped (${missing})`);
      continue;
    }
    const runtime = await selectRuntime(
      { runtime: choice, caCertificates: '' },
      { log: () => undefined },
    );
    const overlay: number[] = [];
    for (let i = 0; i < RUNTIME_RUNS; i++) {
      const [ms, outcome] = await timed(() =>
        runtime.run({
          executor,
          args: ['version'],
          env: {},
          context,
          dockerConfig: config,
          outputDir: output,
          onLine: () => undefined,
        }),
      );
      if (outcome.exitCode !== 0) throw new Error(`the executor exited with ${outcome.exitCode}`);
      overlay.push(ms);
    }
    const oci = await findRuntime(choice);
    const stateRoot = fs.mkdtempSync(path.join(base, 'copy-state-'));
    const copied: number[] = [];
    for (let i = 0; i < RUNTIME_RUNS; i++) {
      const [ms] = await timed(() => copyBasedRun(oci, stateRoot, executor, base));
      copied.push(ms);
    }
    await cleanupBuilds(runtime.workDir, [], choice, process.env.RUNNER_TEMP!);
    const label = `${name}${choice.startsWith('/') ? ' (test wrapper: + unshare)' : ''}`;
    console.log(`  ${label}: per build, start + run + teardown`);
    console.log(`    overlay root (the action)                          ${fmt(overlay)}`);
    console.log(`    copy-based root (the previous way, baseline)       ${fmt(copied)}`);
    console.log(
      `    => ${(median(copied) / median(overlay)).toFixed(1)}× faster; ${(median(overlay) - median(direct)).toFixed(1)} ms over the bare executor (target ≤ 150 ms per build)`,
    );
  }
}

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-executor-')));
const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };
process.env.RUNNER_TEMP = path.join(base, 'runner-temp');
fs.mkdirSync(process.env.RUNNER_TEMP);
const reg = await startRegistry();
try {
  await pushStandinImage(reg, 'tools/kaniko', 'v1');
  const padded = await pushPaddedImage(reg, 'tools/kaniko-sized');
  console.log(
    `registry ${reg.host}; ${COLD_RUNS} cold, ${WARM_RUNS} warm installs, ${RUNTIME_RUNS} container runs each; ` +
      `the kaniko-sized image downloads ${(padded / 1024 / 1024).toFixed(1)} MiB`,
  );
  const standin = await benchImage(reg, 'stand-in', `${reg.host}/tools/kaniko:v1`, base);
  await benchRuntime(standin, base);
  const sized = await benchImage(reg, 'kaniko-sized', `${reg.host}/tools/kaniko-sized:v1`, base);
  await benchRuntime(sized, base);
} finally {
  await reg.stop();
  if (saved.cache === undefined) delete process.env.RUNNER_TOOL_CACHE;
  else process.env.RUNNER_TOOL_CACHE = saved.cache;
  if (saved.temp === undefined) delete process.env.RUNNER_TEMP;
  else process.env.RUNNER_TEMP = saved.temp;
  fs.rmSync(base, { recursive: true, force: true });
}
