/**
 * The whole bundled root action (dist/main.js) on a monorepo push that changes 10 image
 * directories, with the stand-in executor image from a local registry (htpasswd auth) run in
 * the sandbox: `parallel` 1 vs 4, and where the time of one directory goes.
 *
 * Then base images: ten images `FROM` one 50 MiB base on that registry, `parallel` 1 and 4,
 * each without the job's base-image cache (before: every build pulls the base from the
 * registry; `extra-args` maps the registry to itself, which leaves it to kaniko) and with it
 * (after), interleaved in one run: the bytes of base blobs the registry served (from its access
 * log) and the wall time of the step.
 *
 * Per directory the action logs how long the sandboxed executor run took and how long the
 * whole directory took; the difference is the action's own work around the run (tag check
 * before, output directory, digest checks of both tags after). The stand-in itself is also
 * timed bare on the host, so the sandbox's cost (fresh root, namespaces, teardown) shows apart
 * from the executor's. Needs root, like the sandbox. Run: `npm run bench -- pipeline`.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as net from 'node:net';
import { Transform } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pushBusyboxImage } from '../test/support/busybox-image.js';
import { startRegistry, type LocalRegistry } from '../test/support/registry.js';
import { buildStandin, hostGoArch, pushStandinImage } from '../test/support/standin.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIRECTORIES = 10;
const ROUNDS = 3;
/** Rounds of the base-image figures (each: parallel 1 and 4, before and after). */
const BASE_ROUNDS = 3;
const BASE_MIB = 50;
/** The link of the second base-image scenario, in MiB/s (about 840 Mbit/s). */
const LINK_MIB_S = 100;
const USERNAME = 'bench';
const PASSWORD = 'bench-password';

interface Run {
  wallMs: number;
  exitCode: number | null;
  /** Per directory: the whole directory, and the sandboxed executor run inside it. */
  dirs: { dirMs: number; runMs: number }[];
  stdout: string;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@e',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@e',
    },
  });
}

function revParse(cwd: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
}

/** Runs dist/main.js the way the runner does and times it. */
async function runMain(env: Record<string, string>, inputs: Record<string, string>): Promise<Run> {
  const runner = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runner-'));
  const files = {
    GITHUB_OUTPUT: path.join(runner, 'output'),
    GITHUB_STATE: path.join(runner, 'state'),
    GITHUB_STEP_SUMMARY: path.join(runner, 'summary'),
  };
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  fs.mkdirSync(path.join(runner, 'temp'));
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: runner,
    RUNNER_TEMP: path.join(runner, 'temp'),
    GITHUB_ACTIONS: 'true',
    ...files,
    ...env,
  };
  for (const [k, v] of Object.entries(inputs)) childEnv[`INPUT_${k.toUpperCase()}`] = v;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    env: childEnv,
    cwd: env.GITHUB_WORKSPACE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  // The post step's job, done here: nothing of the run stays behind.
  execFileSync('rm', ['-rf', '--one-file-system', runner]);

  const runMs = [...stdout.matchAll(/kaniko exited with code 0 after (\d+) ms\./g)].map((m) =>
    Number(m[1]),
  );
  const dirMs = [...stdout.matchAll(/^\S+: (?:pushed|built) in (\d+) ms\.$/gm)].map((m) =>
    Number(m[1]),
  );
  return {
    wallMs,
    exitCode,
    stdout,
    dirs: dirMs.map((d, i) => ({ dirMs: d, runMs: runMs[i] ?? NaN })),
  };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const ms = (x: number): string => `${x.toFixed(0).padStart(6)} ms`;

/** Times the stand-in binary itself on the host, pushing one image, without any sandbox. */
async function bareStandin(binary: string, context: string, image: string, config: string) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    execFileSync(
      binary,
      [
        '--force',
        `--context=dir://${context}`,
        `--dockerfile=${context}/Dockerfile`,
        `--destination=${image}:bare-${i}`,
        `--destination=${image}:latest`,
        `--digest-file=${out}/digest`,
        `--insecure-registry=${image.split('/')[0]}`,
      ],
      { env: { PATH: '/usr/bin:/bin', DOCKER_CONFIG: config }, stdio: 'ignore' },
    );
    times.push(performance.now() - started);
  }
  fs.rmSync(out, { recursive: true, force: true });
  return median(times);
}

/** Base blob downloads in a registry's access log, from byte `offset` on: count and bytes. */
function blobReads(
  reg: LocalRegistry,
  offset: number,
  digests: readonly string[],
): { gets: number; bytes: number } {
  const log = fs.readFileSync(reg.logFile, 'utf8').slice(offset);
  let gets = 0;
  let bytes = 0;
  for (const m of log.matchAll(/"GET \S+\/blobs\/(sha256:[a-f0-9]{64}) HTTP\/1\.1" 200 (\d+)/g)) {
    if (!digests.includes(m[1]!)) continue;
    gets++;
    bytes += Number(m[2]);
  }
  return { gets, bytes };
}

interface BaseRun {
  wallMs: number;
  gets: number;
  bytes: number;
}

/**
 * A network link in front of the registry: a TCP relay on 127.0.0.1 whose downloads (registry
 * to client) share `bytesPerSecond`, as the runner's connection to a registry does. Uploads
 * pass unthrottled.
 */
async function startLink(
  upstream: LocalRegistry,
  bytesPerSecond: number,
): Promise<{ host: string; close(): Promise<void> }> {
  const [upHost, upPort] = upstream.host.split(':') as [string, string];
  let free = 0; // when the link has sent everything queued so far
  const throttle = (): Transform =>
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        free = Math.max(performance.now(), free) + (chunk.length / bytesPerSecond) * 1000;
        setTimeout(() => done(null, chunk), Math.max(0, free - performance.now()));
      },
    });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const up = net.connect(Number(upPort), upHost);
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        up.destroy();
      });
    }
    client.pipe(up);
    up.pipe(throttle()).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A monorepo whose last push added ten images on the base `from`. */
function baseRepo(
  scratch: string,
  name: string,
  from: string,
): { dir: string; event: string; sha: string } {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README.md'), 'bench\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const before = revParse(dir);
  for (let i = 1; i <= DIRECTORIES; i++) {
    const svc = path.join(dir, `svc-${String(i).padStart(2, '0')}`);
    fs.mkdirSync(svc);
    fs.writeFileSync(path.join(svc, 'Dockerfile'), `FROM ${from}\nCOPY . /app\n`);
    fs.writeFileSync(path.join(svc, 'app.txt'), `service ${i}\n`);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'ten services on one base');
  const sha = revParse(dir);
  const event = path.join(scratch, `${name}-event.json`);
  fs.writeFileSync(event, JSON.stringify({ ref: 'refs/heads/main', before, after: sha }));
  return { dir, event, sha };
}

/**
 * Ten images on one 50 MiB base, `parallel` 1 and 4, before (the registry left to kaniko) and
 * after (the job's base-image cache), interleaved; the registry on the loopback, then behind
 * a link of `LINK_MIB_S`.
 */
async function baseImages(
  reg: LocalRegistry,
  scratch: string,
  env: Record<string, string>,
  inputs: (parallel: number) => Record<string, string>,
): Promise<void> {
  const big = randomBytes(BASE_MIB * 1024 * 1024);
  const base = await pushBusyboxImage(reg, 'base/big', '1', {
    extraLayers: [
      [
        { path: 'opt/', type: 'dir' },
        { path: 'opt/big.bin', content: big },
      ],
    ],
  });
  const manifest = (await (
    await fetch(`${reg.url}/v2/base/big/manifests/${base.digest}`, {
      headers: { ...reg.authHeader(), accept: 'application/vnd.oci.image.manifest.v1+json' },
    })
  ).json()) as {
    config: { digest: string; size: number };
    layers: { digest: string; size: number }[];
  };
  const blobs = [manifest.config, ...manifest.layers];
  const digests = blobs.map((b) => b.digest);
  const baseBytes = blobs.reduce((sum, b) => sum + b.size, 0);
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MiB`;
  console.log('');
  console.log(
    `base images: ${DIRECTORIES} images FROM one ${mib(baseBytes).trim()} base (${blobs.length} blobs); ` +
      `before = every build pulls the base itself, after = the job's base-image cache; ` +
      `median of ${BASE_ROUNDS} rounds, interleaved.`,
  );

  const link = await startLink(reg, LINK_MIB_S * 1024 * 1024);
  try {
    for (const [where, host] of [
      ['registry on the loopback', reg.host],
      [`registry behind a ${LINK_MIB_S} MiB/s link`, link.host],
    ] as const) {
      const repo = baseRepo(scratch, `repo-${where.replace(/\W+/g, '-')}`, `${host}/base/big:1`);
      const scenario = (parallel: number): Record<string, string> => ({
        ...inputs(parallel),
        registry: host,
        'executor-image': `${host}/tools/kaniko:standin`,
        'insecure-registries': host,
      });
      const runEnv = {
        ...env,
        GITHUB_WORKSPACE: repo.dir,
        GITHUB_EVENT_PATH: repo.event,
        GITHUB_SHA: repo.sha,
      };
      const modes = {
        // A map of the registry to itself leaves it to kaniko: every build pulls the base.
        before: { 'extra-args': `--registry-map=${host}=${host}` },
        after: {},
      } as const;
      const figures: Record<string, BaseRun[]> = {};
      for (let r = 0; r < BASE_ROUNDS; r++) {
        for (const parallel of [1, 4]) {
          for (const [mode, extra] of Object.entries(modes)) {
            const offset = fs.statSync(reg.logFile).size;
            const run = await runMain(runEnv, { ...scenario(parallel), ...extra });
            if (run.exitCode !== 0 || run.dirs.length !== DIRECTORIES) {
              throw new Error(`${where}, ${mode}, parallel ${parallel} failed:\n${run.stdout}`);
            }
            (figures[`${mode} ${parallel}`] ??= []).push({
              wallMs: run.wallMs,
              ...blobReads(reg, offset, digests),
            });
          }
        }
      }
      console.log('');
      console.log(
        `${where}:           base blob GETs   base bytes read from the registry       wall`,
      );
      for (const parallel of [1, 4]) {
        for (const mode of Object.keys(modes)) {
          const runs = figures[`${mode} ${parallel}`]!;
          const bytes = median(runs.map((x) => x.bytes));
          console.log(
            `  parallel ${parallel}, ${mode.padEnd(6)}  ${String(median(runs.map((x) => x.gets))).padStart(14)}   ${mib(bytes)} (${(bytes / baseBytes).toFixed(1).padStart(4)}x the base)   ${ms(median(runs.map((x) => x.wallMs)))}`,
          );
        }
        const b = median(figures[`before ${parallel}`]!.map((x) => x.wallMs));
        const a = median(figures[`after ${parallel}`]!.map((x) => x.wallMs));
        console.log(`  parallel ${parallel}: after / before wall time ${(a / b).toFixed(2)}x`);
      }
      const once = Object.entries(figures)
        .filter(([k]) => k.startsWith('after'))
        .every(([, runs]) => runs.every((x) => x.gets === blobs.length));
      console.log(`  target, each base blob fetched once per job: ${once ? 'met' : 'NOT met'}`);
    }
  } finally {
    await link.close();
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench/pipeline needs root (the sandbox runtime); skipped.');
    return;
  }
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) {
    throw new Error('dist/main.js is missing: run `npm run build` first.');
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  const reg = await startRegistry({ auth: { username: USERNAME, password: PASSWORD } });
  try {
    await pushStandinImage(reg, 'tools/kaniko', 'standin');
    const toolCache = path.join(scratch, 'tool-cache');
    fs.mkdirSync(toolCache);

    // A monorepo whose last push changed 10 image directories.
    const repo = path.join(scratch, 'repo');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'README.md'), 'bench\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    const before = revParse(repo);
    for (let i = 1; i <= DIRECTORIES; i++) {
      const dir = path.join(repo, `svc-${String(i).padStart(2, '0')}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM scratch\nCOPY . /app\n`);
      fs.writeFileSync(path.join(dir, 'app.txt'), `service ${i}\n`);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'ten services');
    const after = revParse(repo);
    const eventPath = path.join(scratch, 'event.json');
    fs.writeFileSync(eventPath, JSON.stringify({ ref: 'refs/heads/main', before, after }));
    const env = {
      GITHUB_WORKSPACE: repo,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'bench/mono',
      GITHUB_SHA: after,
      RUNNER_TOOL_CACHE: toolCache,
    };
    let round = 0;
    const inputs = (parallel: number): Record<string, string> => ({
      patterns: 'svc-*',
      registry: reg.host,
      // A fresh namespace per run: every run releases v1.0.0 of 10 new images.
      namespace: `bench${++round}`,
      username: USERNAME,
      password: PASSWORD,
      'executor-image': `${reg.host}/tools/kaniko:standin`,
      'insecure-registries': reg.host,
      parallel: String(parallel),
    });

    console.log(
      `${DIRECTORIES} changed directories, stand-in executor in the sandbox, local registry with auth; ` +
        `median of ${ROUNDS} runs after one warm-up (which fills the tool cache).`,
    );
    const cold = await runMain(env, inputs(1));
    if (cold.exitCode !== 0) throw new Error(`warm-up run failed:\n${cold.stdout}`);
    console.log(`warm-up (cold tool cache), parallel 1: ${ms(cold.wallMs)} wall`);

    const figures: Record<number, Run[]> = { 1: [], 4: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const parallel of [1, 4]) {
        const run = await runMain(env, inputs(parallel));
        if (run.exitCode !== 0 || run.dirs.length !== DIRECTORIES) {
          throw new Error(`parallel ${parallel} run failed:\n${run.stdout}`);
        }
        figures[parallel]!.push(run);
      }
    }

    const wall1 = median(figures[1]!.map((r) => r.wallMs));
    const wall4 = median(figures[4]!.map((r) => r.wallMs));
    const dirs1 = figures[1]!.flatMap((r) => r.dirs);
    const perDir = median(dirs1.map((d) => d.dirMs));
    const perRun = median(dirs1.map((d) => d.runMs));
    const around = median(dirs1.map((d) => d.dirMs - d.runMs));
    const fixed = median(
      figures[1]!.map((r) => r.wallMs - r.dirs.reduce((a, d) => a + d.dirMs, 0)),
    );

    const binary = await buildStandin(hostGoArch());
    const config = path.join(scratch, 'docker-config');
    fs.mkdirSync(config);
    fs.writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({
        auths: {
          [reg.host]: { auth: Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64') },
        },
      }),
    );
    const bare = await bareStandin(
      binary,
      path.join(repo, 'svc-01'),
      `${reg.host}/bare/svc`,
      config,
    );

    console.log('');
    console.log('whole step, 10 directories (wall, median):');
    console.log(`  parallel 1                 ${ms(wall1)}`);
    console.log(`  parallel 4                 ${ms(wall4)}   (${(wall1 / wall4).toFixed(2)}x)`);
    console.log('');
    console.log('one directory, parallel 1 (median):');
    console.log(`  whole directory            ${ms(perDir)}`);
    console.log(`  sandboxed executor run     ${ms(perRun)}`);
    console.log(`    stand-in alone (bare)    ${ms(bare)}`);
    console.log(`    sandbox set-up+teardown  ${ms(perRun - bare)}`);
    console.log(
      `  action's own work around   ${ms(around)}   (tag check, output dir, 2 digest checks)`,
    );
    console.log(
      `  action overhead per dir    ${ms(perDir - bare)}   (everything but the executor)`,
    );
    console.log('');
    console.log(
      `fixed cost per step        ${ms(fixed)}   (node start, inputs, detect, versions of 10, cached install, auth, outputs)`,
    );
    console.log(
      `sandboxed runs at p1       ${(((mean(dirs1.map((d) => d.runMs)) * DIRECTORIES) / wall1) * 100).toFixed(0)} % of the wall time`,
    );

    await baseImages(reg, scratch, env, inputs);
  } finally {
    await reg.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
