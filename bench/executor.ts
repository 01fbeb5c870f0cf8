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
import { findRuntime } from '../src/runtime/discover.js';
import { selectRuntime, type Runtime } from '../src/runtime/select.js';
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
const RUNTIME_RUNS = 15;
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

/** `runtime.run` of the executor's `version`, `RUNTIME_RUNS` times; the durations. */
async function timeBuilds(
  runtime: Runtime,
  executor: InstalledExecutor,
  base: string,
): Promise<number[]> {
  const context = fs.mkdtempSync(path.join(base, 'context-'));
  const output = fs.mkdtempSync(path.join(base, 'output-'));
  const config = path.join(base, 'config.json');
  fs.writeFileSync(config, '{"auths":{}}', { mode: 0o600 });
  const times: number[] = [];
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
    times.push(ms);
  }
  return times;
}

/**
 * The same runtime started by hand on a ready bundle, with nothing prepared or cleaned up per
 * run: what the runtime itself costs, the floor under the action's figures.
 */
async function timeBareRuntime(
  choice: string,
  executor: InstalledExecutor,
  base: string,
): Promise<number[]> {
  const runtime = await findRuntime(choice);
  const bundle = fs.mkdtempSync(path.join(base, 'bare-'));
  // A copy made once, outside the timing: the runtime makes its mount points in the root.
  spawnSync('cp', ['-a', '--', executor.rootfs, path.join(bundle, 'rootfs')]);
  const spec = containerSpec({
    args: [...executor.entrypoint, 'version'],
    env: executor.env,
    root: 'rootfs',
    binds: [],
    arch: seccompArch()!,
    memoryBytes: 0,
    cpus: 0,
  });
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
  const state = fs.mkdtempSync(path.join(base, 'bare-state-'));
  const times: number[] = [];
  for (let i = 0; i < RUNTIME_RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(runtime.binary, [
      '--root',
      state,
      'run',
      '--bundle',
      bundle,
      `bare-${i}`,
    ]);
    if (run.status !== 0) throw new Error(`the bare run failed: ${run.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

/**
 * Start + run + teardown of one build under each runtime: the action's overlay root, beside
 * the copy-based root of before (the same code path, forced to copy by putting RUNNER_TEMP on
 * an overlay, where overlay cannot mount its upper layer) and the bare runtime.
 */
async function benchRuntime(executor: InstalledExecutor, base: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log(`  runtime: skipped (needs root)`);
    return;
  }
  const spawnCost: number[] = [];
  for (let i = 0; i < RUNTIME_RUNS; i++) {
    const start = process.hrtime.bigint();
    spawnSync('/bin/true');
    spawnCost.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`  (one process spawn on this machine: ${fmt(spawnCost)})`);
  const layers = path.join(base, 'overlay-temp');
  for (const d of ['lower', 'upper', 'work', 'merged'])
    fs.mkdirSync(path.join(layers, d), { recursive: true });
  const opts = `lowerdir=${layers}/lower,upperdir=${layers}/upper,workdir=${layers}/work`;
  spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', opts, `${layers}/merged`]);
  const temp = process.env.RUNNER_TEMP!;
  try {
    for (const { name, choice, missing } of testRuntimes()) {
      if (missing) {
        console.log(`  ${name}: skipped (${missing})`);
        continue;
      }
      const quiet = { log: () => undefined };
      const overlayRuntime = await selectRuntime({ runtime: choice, caCertificates: '' }, quiet);
      const overlay = await timeBuilds(overlayRuntime, executor, base);
      await cleanupBuilds(overlayRuntime.workDir, [], choice, temp);
      process.env.RUNNER_TEMP = path.join(layers, 'merged');
      const copyRuntime = await selectRuntime({ runtime: choice, caCertificates: '' }, quiet);
      const copied = await timeBuilds(copyRuntime, executor, base);
      await cleanupBuilds(copyRuntime.workDir, [], choice, process.env.RUNNER_TEMP);
      process.env.RUNNER_TEMP = temp;
      const bare = await timeBareRuntime(choice, executor, base);
      const label = `${name}${choice.startsWith('/') ? ' (through the test wrapper: one more process)' : ''}`;
      console.log(`  ${label}: one build of the executor's 'version', start to teardown`);
      console.log(`    overlay root (the action)                          ${fmt(overlay)}`);
      console.log(`    copy-based root (the previous way)                 ${fmt(copied)}`);
      console.log(`    bare runtime, nothing prepared or cleaned up       ${fmt(bare)}`);
      console.log(
        `    => the action's own start + teardown: ${(median(overlay) - median(bare)).toFixed(1)} ms with overlay, ${(median(copied) - median(bare)).toFixed(1)} ms with a copy (target ≤ 150 ms per build)`,
      );
      console.log(
        `    => written to disk per build before the build writes anything: overlay ~0 MiB, copy ${(duSize(executor.rootfs) / 1024 / 1024).toFixed(1)} MiB`,
      );
    }
  } finally {
    process.env.RUNNER_TEMP = temp;
    spawnSync('umount', [`${layers}/merged`]);
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
