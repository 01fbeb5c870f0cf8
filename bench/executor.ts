/**
 * The executor install and the sandbox, against a real local `docker-registry`:
 *
 * - cold install: index → manifest → config + layers downloaded, verified, unpacked and put in
 *   a fresh tool cache;
 * - warm install: the same image found in the tool cache (requests made, blob requests: 0);
 * - sandbox: one build's setup + teardown (copy of the root, namespaces, mounts, exec of the
 *   executor's `version`, unmount, delete), beside the same command run directly on the host.
 *
 * For two images: the stand-in executor (a few MiB), and the stand-in padded with
 * incompressible layers to the size of the real kaniko executor image (~80 MiB unpacked).
 * Prints medians (min–max) of several runs. The sandbox part needs root.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installExecutor, type InstalledExecutor } from '../src/executor/install.js';
import { Registries } from '../src/registry/clients.js';
import { cleanupSandboxes, selectRuntime } from '../src/runtime/select.js';
import * as ociSupport from '../test/support/oci-image.js';
import * as registrySupport from '../test/support/registry.js';
import type { LocalRegistry } from '../test/support/registry.js';
import * as standinSupport from '../test/support/standin.js';

const support = { ...registrySupport, ...standinSupport, ...ociSupport };
const { buildStandin, hostGoArch, KANIKO_IMAGE_ENV, makeLayer, pushOciImage } = support;
const { pushStandinImage, startRegistry } = support;

const COLD_RUNS = 5;
const WARM_RUNS = 10;
const SANDBOX_RUNS = 10;
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

async function benchSandbox(
  label: string,
  executor: InstalledExecutor,
  base: string,
): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log(`  sandbox: skipped (needs root)`);
    return;
  }
  const runtime = await selectRuntime({ runtime: 'auto', caCertificates: '' });
  const context = fs.mkdtempSync(path.join(base, 'context-'));
  const output = fs.mkdtempSync(path.join(base, 'output-'));
  const config = path.join(base, 'config.json');
  fs.writeFileSync(config, '{"auths":{}}', { mode: 0o600 });
  const sandbox: number[] = [];
  for (let i = 0; i < SANDBOX_RUNS; i++) {
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
    if (outcome.exitCode !== 0)
      throw new Error(`the sandboxed executor exited with ${outcome.exitCode}`);
    sandbox.push(ms);
  }
  const direct: number[] = [];
  for (let i = 0; i < SANDBOX_RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(path.join(executor.rootfs, 'kaniko/executor'), ['version']);
    if (result.status !== 0) throw new Error('the executor did not run on the host');
    direct.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await cleanupSandboxes(runtime.workDir);
  console.log(`  sandbox per build (setup + run + teardown)      ${fmt(sandbox)}`);
  console.log(`  same command without a sandbox                  ${fmt(direct)}`);
  console.log(
    `  => sandbox overhead per build                   ${(median(sandbox) - median(direct)).toFixed(1).padStart(7)} ms`,
  );
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
    `registry ${reg.host}; ${COLD_RUNS} cold, ${WARM_RUNS} warm installs, ${SANDBOX_RUNS} sandboxed builds each; ` +
      `the kaniko-sized image downloads ${(padded / 1024 / 1024).toFixed(1)} MiB`,
  );
  const standin = await benchImage(reg, 'stand-in', `${reg.host}/tools/kaniko:v1`, base);
  await benchSandbox('stand-in', standin, base);
  const sized = await benchImage(reg, 'kaniko-sized', `${reg.host}/tools/kaniko-sized:v1`, base);
  await benchSandbox('kaniko-sized', sized, base);
} finally {
  await reg.stop();
  if (saved.cache === undefined) delete process.env.RUNNER_TOOL_CACHE;
  else process.env.RUNNER_TOOL_CACHE = saved.cache;
  if (saved.temp === undefined) delete process.env.RUNNER_TEMP;
  else process.env.RUNNER_TEMP = saved.temp;
  fs.rmSync(base, { recursive: true, force: true });
}
