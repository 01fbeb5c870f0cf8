/**
 * Releasing a two-platform image of 50 MiB (incompressible) per platform into a real local
 * `docker-registry` with htpasswd auth, two ways, alternating, in the same run:
 *
 * - kaniko pushes: one stand-in executor run per platform builds and pushes its image itself
 *   (`--destination`), as kaniko does without `platforms`;
 * - the action pushes: one stand-in run per platform builds into an OCI layout (`--no-push
 *   --oci-layout-path`), then the action's own client pushes each image by digest and puts the
 *   index under its tags (`release/`), as with `platforms`.
 *
 * Each run goes to a fresh repository, so every blob is uploaded. Prints medians (min–max),
 * the pushes alone (kaniko's from its `Pushing image to` line to its exit; the action's after
 * the builds), and the action's RSS while it pushes — also for one blob five times larger, to
 * show it does not grow with the blob: blobs are streamed from disk, never read whole.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registries } from '../src/registry/clients.js';
import { readLayout } from '../src/release/layout.js';
import { releaseBuilt } from '../src/release/release.js';
import type { NamedImage } from '../src/release/unchanged.js';
import { imageRef } from '../src/versions/image-ref.js';
import * as registrySupport from '../test/support/registry.js';
import * as standinSupport from '../test/support/standin.js';

const { startRegistry, manifestDigest } = registrySupport;
const { buildStandin, hostGoArch } = standinSupport;

const RUNS = 5;
const MIB = 1024 * 1024;
const SIZE = 50 * MIB;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const USER = 'bench';
const PASSWORD = 'bench-Pa55';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (xs: number[]): string =>
  `${median(xs).toFixed(0).padStart(6)} ms  (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs the stand-in; resolves with the milliseconds from its `Pushing image to` line to its
 * exit (its push alone), 0 when it pushed nothing.
 */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let pushing = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!pushing && stderr.includes('Pushing image to')) pushing = now();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(pushing ? now() - pushing : 0)
        : reject(new Error(`stand-in exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Samples the RSS while `work` runs; returns its result and the peak. */
async function peakRss<T>(work: () => Promise<T>): Promise<[T, number]> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await work();
    return [result, Math.max(peak, process.memoryUsage().rss)];
  } finally {
    clearInterval(timer);
  }
}

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-release-')));
const reg = await startRegistry({ auth: { username: USER, password: PASSWORD } });
try {
  const standin = await buildStandin(hostGoArch());
  const docker = path.join(base, 'docker');
  fs.mkdirSync(docker);
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  fs.writeFileSync(
    path.join(docker, 'config.json'),
    JSON.stringify({ auths: { [reg.host]: { auth } } }),
  );
  const env = { PATH: process.env.PATH, HOME: base, DOCKER_CONFIG: docker };
  // One context per platform, each with its own 50 MiB of random bytes.
  const contexts = PLATFORMS.map((platform) => {
    const ctx = path.join(base, `ctx-${platform.replace(/\//g, '-')}`);
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY payload.bin /payload.bin\n');
    fs.writeFileSync(path.join(ctx, 'payload.bin'), randomBytes(SIZE));
    return { platform, ctx };
  });
  const standinArgs = (ctx: string, platform: string, i: string): string[] => [
    '--force',
    `--context=dir://${ctx}`,
    `--kaniko-dir=${path.join(base, 'kaniko', i)}`,
    `--custom-platform=${platform}`,
    `--insecure-registry=${reg.host}`,
  ];
  const registries = new Registries(
    {
      registry: reg.host,
      username: USER,
      password: PASSWORD,
      insecureRegistries: [reg.host],
      caCertificates: '',
    },
    undefined,
    undefined,
    { HOME: base },
  );

  const kaniko = { total: [] as number[], push: [] as number[] };
  const action = {
    total: [] as number[],
    build: [] as number[],
    push: [] as number[],
    rss: [] as number[],
  };
  const baseline: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const byKaniko = async (): Promise<void> => {
      const repo = `bench/kaniko-${r}`;
      const start = now();
      let push = 0;
      for (const { platform, ctx } of contexts) {
        const arch = platform.split('/')[1]!;
        push += await run(
          standin,
          [
            ...standinArgs(ctx, platform, `k${r}${arch}`),
            `--destination=${reg.host}/${repo}:v1.0.0-${arch}`,
          ],
          env,
        );
      }
      kaniko.total.push(now() - start);
      kaniko.push.push(push);
      if (!(await manifestDigest(reg, repo, 'v1.0.0-arm64')))
        throw new Error('kaniko pushed nothing');
    };
    const byAction = async (): Promise<void> => {
      const start = now();
      const images: NamedImage[] = [];
      for (const { platform, ctx } of contexts) {
        const layout = path.join(base, 'layouts', `${r}-${platform.replace(/\//g, '-')}`);
        await run(
          standin,
          [...standinArgs(ctx, platform, `a${r}`), '--no-push', `--oci-layout-path=${layout}`],
          env,
        );
        images.push({ name: platform, image: await readLayout(layout) });
      }
      global.gc?.();
      baseline.push(process.memoryUsage().rss);
      const built = now();
      const [released, rss] = await peakRss(() =>
        releaseBuilt(
          registries,
          {
            ref: imageRef(reg.host, 'bench', `action-${r}`),
            version: 'v1.0.0',
            previous: '',
            tags: ['v1.0.0', 'latest'],
            images,
            multiPlatform: true,
            skipUnchanged: false,
            push: true,
          },
          () => undefined,
        ),
      );
      const end = now();
      if (released.status !== 'pushed') throw new Error('the action pushed nothing');
      action.total.push(end - start);
      action.build.push(built - start);
      action.push.push(end - built);
      action.rss.push(rss);
      fs.rmSync(path.join(base, 'layouts'), { recursive: true, force: true });
    };
    // Alternate which goes first, so neither always meets a warm page cache.
    if (r % 2 === 0) {
      await byKaniko();
      await byAction();
    } else {
      await byAction();
      await byKaniko();
    }
  }
  // One blob five times larger than a platform's: the RSS must not grow with it.
  const big = path.join(base, 'big.bin');
  const fd = fs.openSync(big, 'w');
  for (let i = 0; i < 5; i++) fs.writeSync(fd, randomBytes(SIZE));
  fs.closeSync(fd);
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(big)) hash.update(chunk as Buffer);
  const bigBlob = { digest: `sha256:${hash.digest('hex')}`, size: 5 * SIZE, path: big };
  global.gc?.();
  const bigBase = process.memoryUsage().rss;
  const [, bigPeak] = await peakRss(() =>
    registries.pusher(reg.host).pushBlob('bench/big', bigBlob),
  );
  await registries.close();

  const ratio = (a: number[], b: number[]): string =>
    `${(median(a) / median(b)).toFixed(2).padStart(6)}×`;
  const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;
  console.log(
    `registry ${reg.host} (htpasswd); ${PLATFORMS.length} platforms × ${SIZE / MIB} MiB, ${RUNS} runs each, alternating`,
  );
  console.log(`  kaniko builds and pushes, one run per platform  ${fmt(kaniko.total)}`);
  console.log(`    of which its pushes                           ${fmt(kaniko.push)}`);
  console.log(`  kaniko builds layouts, the action pushes        ${fmt(action.total)}`);
  console.log(`    of which the builds                           ${fmt(action.build)}`);
  console.log(`    of which the action's push, index and tags    ${fmt(action.push)}`);
  console.log(
    `  => action / kaniko, build and push              ${ratio(action.total, kaniko.total)}   (target ≤ 1.20×)`,
  );
  console.log(
    `  => action / kaniko, the push alone              ${ratio(action.push, kaniko.push)}`,
  );
  const over = Math.max(...action.rss.map((peak, i) => peak - baseline[i]!));
  console.log(
    `  action's RSS pushing 2 × ${SIZE / MIB} MiB: peak ${mib(Math.max(...action.rss))}, at most ` +
      `${mib(over)} over the ${mib(median(baseline))} before`,
  );
  console.log(
    `  action's RSS pushing one ${(5 * SIZE) / MIB} MiB blob: peak ${mib(bigPeak)}, ${mib(bigPeak - bigBase)} over ` +
      `the ${mib(bigBase)} before (streamed from disk; read buffers are freed at the next GC)`,
  );
} finally {
  await reg.stop();
  fs.rmSync(base, { recursive: true, force: true });
}
