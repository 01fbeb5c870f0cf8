/**
 * Change detection on a large monorepo: 1,000 image directories, ~70,000 files, and a push
 * of 30 commits touching 300 files. Prints, for several interleaved runs:
 *
 * - plan:     the whole plan action (`node dist/plan.js`, `version` set so no registry is
 *             asked), process start to exit;
 * - detect:   `detect()` in this process, and how many git processes it started;
 * - floor:    a bare `git diff --name-only` + `git ls-tree -r --name-only` of the same range;
 * - old loop: the replaced shell pipeline's per-directory work, one
 *             `git diff --name-only HEAD~30 HEAD -- <dir>` process per directory;
 *
 * and the ratios plan/floor (target ≤ 3) and old loop/plan (target ≥ 4), of wall-clock
 * medians and of CPU time (user + system, this process and its children), which a busy
 * machine disturbs less. Runs are interleaved so that load falls on every figure alike.
 * The repository is generated once with `git fast-import` and cached under `.bench/`.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detect } from '../src/detect/detect.js';
import { Git } from '../src/lib/git.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CACHE = path.join(ROOT, '.bench', 'detect-repo');
const LAYOUT = 'v1: 1000 dirs x 70 files, 30 commits x 10 files';
const DIRS = 1000;
const FILES_PER_DIR = 70;
const COMMITS = 30;
const FILES_PER_COMMIT = 10;
const RUNS = 7;
const OLD_LOOP_RUNS = 3;

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

function git(args: string[], input?: string | Buffer): string {
  const result = spawnSync('git', args, {
    cwd: CACHE,
    env: GIT_ENV,
    input: typeof input === 'string' ? Buffer.from(input, 'utf8') : input,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${result.stderr.toString()}`);
  }
  return result.stdout.toString('utf8').trim();
}

const dirName = (i: number): string => `svc-${String(i).padStart(4, '0')}`;

/** The files of one image directory: its Dockerfile and 69 others, some nested. */
function dirFiles(i: number): string[] {
  const dir = dirName(i);
  const files = [`${dir}/Dockerfile`, `${dir}/README.md`, `${dir}/config/app.yaml`];
  for (let m = 0; files.length < FILES_PER_DIR; m++) {
    for (let f = 0; f < 6 && files.length < FILES_PER_DIR; f++) {
      files.push(`${dir}/src/mod-${m}/file-${f}.txt`);
    }
  }
  return files;
}

/** A small deterministic generator, so every run touches the same files. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generate(): void {
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  git(['init', '--quiet', '--initial-branch=main']);
  const chunks: string[] = [];
  const data = (content: string): string => `data ${Buffer.byteLength(content)}\n${content}\n`;
  let time = 1_700_000_000;
  // A commit to the branch fast-import is writing continues from its tip.
  const commit = (message: string, lines: string[]): void => {
    chunks.push(
      'commit refs/heads/main\n',
      `committer Bench <bench@example.com> ${time++} +0000\n`,
      data(message),
    );
    for (const line of lines) chunks.push(line);
    chunks.push('\n');
  };
  const seed: string[] = [];
  for (let i = 0; i < DIRS; i++) {
    for (const file of dirFiles(i)) {
      const content = file.endsWith('Dockerfile')
        ? `FROM scratch\nCOPY . /app/${i}\n`
        : `${file}\n`;
      seed.push(`M 100644 inline ${file}\n`, data(content));
    }
  }
  for (let d = 0; d < 200; d++) seed.push(`M 100644 inline docs/page-${d}.md\n`, data(`${d}\n`));
  commit('seed', seed);

  const random = lcg(42);
  for (let c = 0; c < COMMITS; c++) {
    const lines: string[] = [];
    for (let f = 0; f < FILES_PER_COMMIT; f++) {
      // Most changes land in image directories, some in docs; a few dirs get many.
      const file =
        f === 0
          ? `docs/page-${Math.floor(random() * 200)}.md`
          : (() => {
              const i = Math.floor(random() * random() * DIRS);
              const files = dirFiles(i);
              return files[1 + Math.floor(random() * (files.length - 1))] ?? `${dirName(i)}/x`;
            })();
      lines.push(`M 100644 inline ${file}\n`, data(`change ${c}.${f}\n`));
    }
    commit(`change ${c}`, lines);
  }
  git(['fast-import', '--quiet'], chunks.join(''));
  git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
  fs.writeFileSync(path.join(CACHE, '.git', 'bench-layout'), LAYOUT);
}

function ensureRepo(): void {
  const marker = path.join(CACHE, '.git', 'bench-layout');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === LAYOUT) return;
  const started = performance.now();
  generate();
  console.log(`generated ${CACHE} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** CPU milliseconds (user + system) of this process and of its children that ended. */
function cpuMs(): number {
  const self = process.cpuUsage();
  let children: number;
  try {
    // Fields 16 and 17 of /proc/self/stat: cutime and cstime, in clock ticks (100 per second).
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    children = NaN;
  }
  return (self.user + self.system) / 1000 + children;
}

/** Wall-clock samples (median) and CPU time per run (mean) of one measured thing. */
class Figure {
  private samples: number[] = [];
  private cpuTotal = 0;

  async measure(fn: () => Promise<void>): Promise<void> {
    const cpu = cpuMs();
    const started = performance.now();
    await fn();
    this.samples.push(performance.now() - started);
    this.cpuTotal += cpuMs() - cpu;
  }

  get wall(): number {
    return median(this.samples);
  }

  get cpu(): number {
    return this.cpuTotal / this.samples.length;
  }
}

/** Runs a process to its end, like a shell step would, discarding its output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = CACHE): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} exit ${code}: ${stderr}`)),
    );
  });
}

const ms = (v: number): string => `${v.toFixed(1).padStart(8)} ms`;

async function main(): Promise<void> {
  ensureRepo();
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('npm run build failed');

  const before = git(['rev-parse', `HEAD~${COMMITS}`]);
  const after = git(['rev-parse', 'HEAD']);
  const files = Number(git(['ls-tree', '-r', '--name-only', 'HEAD']).split('\n').length);
  const touched = git(['diff', '--name-only', before, after]).split('\n').length;

  const runner = fs.mkdtempSync(path.join(ROOT, '.bench', 'runner-'));
  const eventPath = path.join(runner, 'event.json');
  fs.writeFileSync(
    eventPath,
    JSON.stringify({
      ref: 'refs/heads/main',
      before,
      after,
      commits: Array.from({ length: COMMITS }, (_, i) => ({ id: String(i) })),
      repository: { default_branch: 'main' },
    }),
  );
  const outputFile = path.join(runner, 'output');
  const planEnv: NodeJS.ProcessEnv = {
    ...GIT_ENV,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: CACHE,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STATE: path.join(runner, 'state'),
    GITHUB_STEP_SUMMARY: path.join(runner, 'summary'),
    RUNNER_TEMP: runner,
    INPUT_PATTERNS: 'svc-*',
    INPUT_VERSION: 'v1.0.0',
    INPUT_NAMESPACE: 'bench',
  };

  // The answer, once, to check the plan action and detect() agree with the old loop.
  fs.writeFileSync(outputFile, '');
  await run(process.execPath, [path.join(ROOT, 'dist', 'plan.js')], planEnv);
  const outputs = fs.readFileSync(outputFile, 'utf8');
  const planned = /^directories<<(.+)\n([\s\S]*?)\n\1$/m.exec(outputs)?.[2] ?? '[]';
  const planDirs = JSON.parse(planned) as string[];

  const inputs = {
    patterns: ['svc-*'],
    dockerfile: 'Dockerfile',
    directories: [],
    buildAll: false,
    base: '',
    head: '',
  };
  const event = {
    name: 'push',
    payload: JSON.parse(fs.readFileSync(eventPath, 'utf8')) as Record<string, unknown>,
  };
  const probe = new Git(CACHE, GIT_ENV);
  const detected = await detect(inputs, CACHE, event, probe);

  const oldDirs: string[] = [];
  for (let i = 0; i < DIRS; i++) {
    const out = spawnSync(
      'git',
      ['diff', '--name-only', `HEAD~${COMMITS}`, 'HEAD', '--', dirName(i)],
      {
        cwd: CACHE,
        env: GIT_ENV,
        encoding: 'utf8',
      },
    ).stdout;
    if (out.trim() !== '') oldDirs.push(dirName(i));
  }
  const agree =
    JSON.stringify(planDirs) === JSON.stringify(detected.directories) &&
    JSON.stringify(oldDirs) === JSON.stringify(detected.directories);

  // Interleaved, so that the load of a busy machine falls on every figure alike.
  const planRun = (): Promise<void> =>
    run(process.execPath, [path.join(ROOT, 'dist', 'plan.js')], planEnv);
  const floorRun = async (): Promise<void> => {
    await run('git', ['diff', '--name-only', before, after], GIT_ENV);
    await run('git', ['ls-tree', '-r', '--name-only', after], GIT_ENV);
  };
  const detectRun = async (): Promise<void> => {
    await detect(inputs, CACHE, event, new Git(CACHE, GIT_ENV));
  };
  const nodeRun = (): Promise<void> => run(process.execPath, ['-e', '0'], GIT_ENV);
  const oldRun = async (): Promise<void> => {
    for (let i = 0; i < DIRS; i++) {
      await run(
        'git',
        ['diff', '--name-only', `HEAD~${COMMITS}`, 'HEAD', '--', dirName(i)],
        GIT_ENV,
      );
    }
  };
  const plan = new Figure();
  const floor = new Figure();
  const inProcess = new Figure();
  const node = new Figure();
  const old = new Figure();
  for (let i = 0; i < RUNS; i++) {
    await plan.measure(planRun);
    await floor.measure(floorRun);
    await inProcess.measure(detectRun);
    await node.measure(nodeRun);
    if (i < OLD_LOOP_RUNS) await old.measure(oldRun);
  }
  fs.rmSync(runner, { recursive: true, force: true });

  console.log(
    `repository: ${DIRS} image directories, ${files} files; push of ${COMMITS} commits changing ${touched} files`,
  );
  console.log(
    `changed image directories: ${detected.directories.length} (plan action, detect() and the old loop ${agree ? 'agree' : 'DISAGREE'})`,
  );
  console.log(`detect: ${detected.description}`);
  console.log(
    `git processes started by detect(): ${probe.calls.length} (${probe.calls.map((c) => c[0]).join(', ')})`,
  );
  console.log(
    `medians of ${RUNS} runs (old loop: ${OLD_LOOP_RUNS}); cpu = user+sys of this process and its children`,
  );
  const row = (label: string, f: Figure): void =>
    console.log(`  ${label.padEnd(28)} wall ${ms(f.wall)}   cpu ${ms(f.cpu)}`);
  row('plan action, whole process', plan);
  row('detect() in-process', inProcess);
  row('floor: git diff + ls-tree', floor);
  row('(node -e 0, for reference)', node);
  row('old per-directory loop', old);
  const ratio = (a: number, b: number): string => (a / b).toFixed(2);
  console.log(
    `plan / floor    = ${ratio(plan.wall, floor.wall)}x wall, ${ratio(plan.cpu, floor.cpu)}x cpu   (target <= 3)`,
  );
  console.log(
    `old loop / plan = ${ratio(old.wall, plan.wall)}x wall, ${ratio(old.cpu, plan.cpu)}x cpu   (target >= 4)`,
  );
  if (!agree) process.exitCode = 1;
}

await main();
