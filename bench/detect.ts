/**
 * Change detection and the build graph on large monorepos (`bench/support/monorepo.ts`):
 * 1,000 and 10,000 image directories of 70 files each, and the same push of 30 commits.
 * Prints, for interleaved rounds in one run (so a busy machine loads every figure alike):
 *
 * - plan:      the whole plan action (`node dist/plan.js`, `version` set so no registry is
 *              asked), process start to exit, on both sizes; and on 1,000 directories with
 *              `context: .`, where every Dockerfile copies shared paths;
 * - detect():  detection in this process, and with the build graph after it;
 * - floor:     a bare `git diff --name-only` of the range, on both sizes;
 * - listing:   `git diff` + `git ls-tree -r` of head, what detection cost before it asked git
 *              only about the directories a push touched;
 * - old loop:  the replaced shell pipeline's per-directory work, one
 *              `git diff --name-only HEAD~30 HEAD -- <dir>` per directory (1,000 only);
 *
 * then the ratios the issues set targets for: 10,000 / 1,000 directories ≤ 1.5, detection /
 * floor ≤ 2, `context: .` / plain ≤ 1.5. Figures are medians of wall-clock time, with the mean
 * CPU time (user + system, this process and its children) next to them.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detect, type DetectInputs } from '../src/detect/detect.js';
import type { GitHubEvent } from '../src/detect/event.js';
import { planGraph } from '../src/graph/targets.js';
import { Git } from '../src/lib/git.js';
import { imageName, imageRef } from '../src/versions/image-ref.js';
import { COMMITS, dirName, ensureMonorepo, git, GIT_ENV, ROOT } from './support/monorepo.js';

const RUNS = 7;
const OLD_LOOP_RUNS = 2;
const PATTERNS = ['svc-*', 'base-*'];

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

  constructor(readonly label: string) {}

  async measure(fn: () => Promise<unknown>): Promise<void> {
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

/** Runs a process to its end, like a shell step would; resolves with its stdout. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args[0]} exit ${code}: ${stderr}`)),
    );
  });
}

/** One monorepo, its push, and the ways of planning it. */
class Subject {
  readonly before: string;
  readonly after: string;
  readonly event: GitHubEvent;
  private readonly runner: string;

  constructor(readonly dir: string) {
    this.before = git(dir, ['rev-parse', `HEAD~${COMMITS}`]);
    this.after = git(dir, ['rev-parse', 'HEAD']);
    this.runner = fs.mkdtempSync(path.join(ROOT, '.bench', 'runner-'));
    const payload = {
      ref: 'refs/heads/main',
      before: this.before,
      after: this.after,
      commits: Array.from({ length: COMMITS }, (_, i) => ({ id: String(i) })),
      repository: { default_branch: 'main' },
    };
    fs.writeFileSync(path.join(this.runner, 'event.json'), JSON.stringify(payload));
    this.event = { name: 'push', payload };
  }

  /** The plan action, bundled, as the runner runs it; resolves with its outputs and log. */
  async plan(inputs: Record<string, string> = {}): Promise<{ directories: string[]; log: string }> {
    const output = path.join(this.runner, 'output');
    fs.writeFileSync(output, '');
    const env: NodeJS.ProcessEnv = {
      ...GIT_ENV,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: path.join(this.runner, 'event.json'),
      GITHUB_WORKSPACE: this.dir,
      GITHUB_OUTPUT: output,
      GITHUB_STATE: path.join(this.runner, 'state'),
      RUNNER_TEMP: this.runner,
      RUNNER_DEBUG: '1',
      INPUT_PATTERNS: PATTERNS.join('\n'),
      INPUT_VERSION: 'v1.0.0',
      INPUT_NAMESPACE: 'bench',
      INPUT_SUMMARY: 'false',
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
      ),
    };
    const log = await run(process.execPath, [path.join(ROOT, 'dist', 'plan.js')], env, this.dir);
    const text = fs.readFileSync(output, 'utf8');
    const listed = /^directories<<(.+)\n([\s\S]*?)\n\1$/m.exec(text)?.[2] ?? '[]';
    return { directories: JSON.parse(listed) as string[], log };
  }

  inputs(context = ''): DetectInputs & { context: string } {
    return {
      patterns: PATTERNS,
      dockerfile: 'Dockerfile',
      directories: [],
      buildAll: false,
      base: '',
      head: '',
      context,
    };
  }

  /** detect() in this process; with `graph`, the build graph after it. */
  async detect(
    options: { graph?: boolean; context?: string } = {},
  ): Promise<{ directories: string[]; calls: string[][] }> {
    const g = new Git(this.dir, GIT_ENV);
    const inputs = this.inputs(options.context);
    const detection = await detect(inputs, this.dir, this.event, g);
    if (!options.graph) return { directories: detection.directories, calls: g.calls };
    const graph = await planGraph(
      detection,
      { ...inputs, buildArgs: [], target: '' },
      {
        git: g,
        workspace: this.dir,
        referenceOf: (d) => imageRef('docker.io', 'bench', imageName(d)).reference,
        platform: 'linux/amd64',
      },
    );
    return { directories: graph.targets.map((t) => t.directory), calls: g.calls };
  }

  floor(): Promise<string> {
    return run('git', ['diff', '--name-only', this.before, this.after], GIT_ENV, this.dir);
  }

  async listing(): Promise<void> {
    await this.floor();
    await run('git', ['ls-tree', '-r', '--name-only', this.after], GIT_ENV, this.dir);
  }

  async oldLoop(dirs: number): Promise<string[]> {
    const changed: string[] = [];
    for (let i = 0; i < dirs; i++) {
      const out = await run(
        'git',
        ['diff', '--name-only', `HEAD~${COMMITS}`, 'HEAD', '--', dirName(i)],
        GIT_ENV,
        this.dir,
      );
      if (out.trim() !== '') changed.push(dirName(i));
    }
    return changed;
  }

  cleanup(): void {
    fs.rmSync(this.runner, { recursive: true, force: true });
  }
}

const ms = (v: number): string => `${v.toFixed(1).padStart(8)} ms`;
const ratio = (a: Figure, b: Figure): string =>
  `${(a.wall / b.wall).toFixed(2)}x wall, ${(a.cpu / b.cpu).toFixed(2)}x cpu`;
const verdict = (a: Figure, b: Figure, target: number): string =>
  a.wall / b.wall <= target ? `target <= ${target}: met` : `target <= ${target}: NOT met`;

async function main(): Promise<void> {
  const small = new Subject(ensureMonorepo(1000));
  const large = new Subject(ensureMonorepo(10_000));
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('npm run build failed');

  // The answers, once: the plan action, detect() and the old loop must agree.
  const files = (s: Subject): number =>
    git(s.dir, ['ls-tree', '-r', '--name-only', 'HEAD']).split('\n').length;
  const changedPaths = (await small.floor()).trim().split('\n');
  const planned = await small.plan();
  const detected = await small.detect();
  const oldAnswer = await small.oldLoop(1000);
  const agree =
    JSON.stringify(planned.directories) === JSON.stringify(detected.directories) &&
    JSON.stringify(oldAnswer) === JSON.stringify(detected.directories);
  const largePlanned = await large.plan();
  const largeDetected = await large.detect();
  const largeAgree =
    JSON.stringify(largePlanned.directories) === JSON.stringify(largeDetected.directories);
  // With context '.', README.md files are ignored (.dockerignore) and each image copies its own
  // directory: the images are those with a change to a file other than a README.
  const contextPlanned = await small.plan({ context: '.' });
  const expected = [
    ...new Set(
      changedPaths
        .filter((p) => p.startsWith('svc-') && !p.endsWith('.md'))
        .map((p) => p.slice(0, p.indexOf('/'))),
    ),
  ].sort();
  const contextAgree = JSON.stringify(contextPlanned.directories) === JSON.stringify(expected);
  const parsed = /::debug::Dockerfiles parsed: (\d+)/.exec(contextPlanned.log)?.[1] ?? '?';
  const plainParsed = /::debug::Dockerfiles parsed: (\d+)/.exec(planned.log)?.[1] ?? '?';

  const figures = {
    plan1k: new Figure('plan action, 1,000 dirs'),
    plan10k: new Figure('plan action, 10,000 dirs'),
    planContext: new Figure('plan action, 1,000, context .'),
    detect1k: new Figure('detect(), 1,000 dirs'),
    detect10k: new Figure('detect(), 10,000 dirs'),
    graph1k: new Figure('detect()+graph, 1,000'),
    graph10k: new Figure('detect()+graph, 10,000'),
    graphContext: new Figure('detect()+graph, 1,000, ctx .'),
    floor1k: new Figure('floor: git diff, 1,000'),
    floor10k: new Figure('floor: git diff, 10,000'),
    listing1k: new Figure('git diff + ls-tree, 1,000'),
    listing10k: new Figure('git diff + ls-tree, 10,000'),
    node: new Figure('(node -e 0, for reference)'),
    old: new Figure('old per-directory loop, 1,000'),
  };
  for (let i = 0; i < RUNS; i++) {
    await figures.plan1k.measure(() => small.plan());
    await figures.plan10k.measure(() => large.plan());
    await figures.planContext.measure(() => small.plan({ context: '.' }));
    await figures.detect1k.measure(() => small.detect());
    await figures.detect10k.measure(() => large.detect());
    await figures.graph1k.measure(() => small.detect({ graph: true }));
    await figures.graph10k.measure(() => large.detect({ graph: true }));
    await figures.graphContext.measure(() => small.detect({ graph: true, context: '.' }));
    await figures.floor1k.measure(() => small.floor());
    await figures.floor10k.measure(() => large.floor());
    await figures.listing1k.measure(() => small.listing());
    await figures.listing10k.measure(() => large.listing());
    await figures.node.measure(() => run(process.execPath, ['-e', '0'], GIT_ENV, ROOT));
    if (i < OLD_LOOP_RUNS) await figures.old.measure(() => small.oldLoop(1000));
  }
  const calls = (await large.detect()).calls.map((c) => c.find((a) => !a.startsWith('-')));
  const graphCalls = (await large.detect({ graph: true })).calls.map((c) =>
    c.find((a) => !a.startsWith('-')),
  );
  small.cleanup();
  large.cleanup();

  console.log(
    `repositories: 1,000 image directories (${files(small)} files) and 10,000 (${files(large)} files); the same push of ${COMMITS} commits changing ${changedPaths.length} files`,
  );
  console.log(
    `images to build: ${detected.directories.length} of 1,000 (plan action, detect() and the old loop ${agree ? 'agree' : 'DISAGREE'}), ${largeDetected.directories.length} of 10,000 (plan action and detect() ${largeAgree ? 'agree' : 'DISAGREE'})`,
  );
  console.log(
    `with context '.': ${contextPlanned.directories.length} images (${contextAgree ? 'as expected' : 'NOT as expected'}: READMEs are ignored), ${parsed} Dockerfiles parsed of 1,002 (plain: ${plainParsed})`,
  );
  console.log(
    `git processes, detect() on 10,000: ${calls.length} (${calls.join(', ')}); with the graph: ${graphCalls.length} (${graphCalls.join(', ')})`,
  );
  console.log(
    `medians of ${RUNS} interleaved rounds (old loop: ${OLD_LOOP_RUNS}); cpu = user+sys of this process and its children`,
  );
  for (const f of Object.values(figures)) {
    console.log(`  ${f.label.padEnd(32)} wall ${ms(f.wall)}   cpu ${ms(f.cpu)}`);
  }
  const line = (label: string, a: Figure, b: Figure, target?: number): void =>
    console.log(
      `${label.padEnd(44)} = ${ratio(a, b)}${target ? `   (${verdict(a, b, target)})` : ''}`,
    );
  line('plan action, 10,000 / 1,000', figures.plan10k, figures.plan1k, 1.5);
  line('detect(), 10,000 / 1,000', figures.detect10k, figures.detect1k, 1.5);
  line('floor (git diff), 10,000 / 1,000', figures.floor10k, figures.floor1k);
  line('detect() / floor (git diff), 10,000', figures.detect10k, figures.floor10k, 2);
  line('detect() / floor (git diff), 1,000', figures.detect1k, figures.floor1k, 2);
  line('detect()+graph, 10,000 / 1,000', figures.graph10k, figures.graph1k);
  line('git diff + ls-tree, 10,000 / 1,000 (before)', figures.listing10k, figures.listing1k);
  line("plan action, context '.' / plain", figures.planContext, figures.plan1k, 1.5);
  line("detect()+graph, context '.' / plain", figures.graphContext, figures.graph1k);
  line('old per-directory loop / plan action', figures.old, figures.plan1k);
  if (!agree || !largeAgree || !contextAgree) process.exitCode = 1;
}

await main();
