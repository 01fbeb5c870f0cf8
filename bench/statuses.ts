/**
 * Commit statuses and the build loop: 10 directories built one after another (each build a
 * fixed 200 ms, standing in for kaniko), with `commit-status` against a local GitHub statuses
 * endpoint (test/support/fake-github.ts) that takes 300 ms per answer, as a loaded API does.
 *
 * - background (what the action does): `started`/`finished` hand the status to a per-directory
 *   queue and the build goes on; the step waits for the queue once, at the end (`settle`);
 * - inline (what it would cost to wait): the same code, but each status awaited where it is set.
 *
 * Also: what loading `@actions/github` (Octokit) costs, which runs without `commit-status`
 * never pay since it is imported only when statuses are wanted. Run: `npm run bench -- statuses`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitStatusesFor, type CommitStatuses } from '../src/report/commit-status.js';
import type { ImagePlan, ImageResult } from '../src/contract.js';
import { imageRef } from '../src/versions/image-ref.js';
import { startFakeGitHub } from '../test/support/fake-github.js';

const DIRECTORIES = 10;
const BUILD_MS = 200;
const GITHUB_MS = 300;
const ROUNDS = 3;
const TOKEN = 'ghs_bench';
const SHA = 'a'.repeat(40);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function planOf(directory: string): ImagePlan {
  return {
    directory,
    name: directory,
    ref: imageRef('docker.io', 'acme', directory),
    version: 'v1.0.0',
    previous: '',
    reason: 'changed',
    wave: 0,
  };
}

function resultOf(plan: ImagePlan): ImageResult {
  return {
    directory: plan.directory,
    image: plan.ref.reference,
    version: plan.version,
    previous: '',
    tags: [plan.version, 'latest'],
    digest: `sha256:${'b'.repeat(64)}`,
    platforms: {},
    reason: 'changed',
    status: 'pushed',
    error: '',
    durationMs: BUILD_MS,
    webUrl: '',
  };
}

async function loop(statuses: CommitStatuses, inline: boolean): Promise<number> {
  const started = performance.now();
  const results: ImageResult[] = [];
  for (let i = 0; i < DIRECTORIES; i++) {
    const plan = planOf(`image-${i}`);
    statuses.started(plan);
    if (inline) await statuses.settle([]);
    await sleep(BUILD_MS);
    const result = resultOf(plan);
    statuses.finished(result);
    if (inline) await statuses.settle([]);
    results.push(result);
  }
  await statuses.settle(results);
  return performance.now() - started;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const gh = await startFakeGitHub({ token: TOKEN, repository: 'acme/mono' });
const figures: Record<'background' | 'inline', number[]> = { background: [], inline: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ['inline', 'background'] as const) {
    gh.reset();
    gh.fail({ kind: 'slow', ms: GITHUB_MS }, DIRECTORIES * 2);
    const statuses = await commitStatusesFor({ commitStatus: true, githubToken: TOKEN }, SHA, {
      GITHUB_REPOSITORY: 'acme/mono',
      GITHUB_API_URL: gh.url,
    });
    figures[mode].push(await loop(statuses!, mode === 'inline'));
    if (gh.requests.length !== DIRECTORIES * 2) throw new Error('not every status was sent');
  }
}
await gh.stop();

const builds = DIRECTORIES * BUILD_MS;
console.log(
  `${DIRECTORIES} directories × ${BUILD_MS} ms build, GitHub answering in ${GITHUB_MS} ms, median of ${ROUNDS}:`,
);
console.log(`  builds alone                       ${builds.toFixed(0).padStart(6)} ms`);
console.log(
  `  statuses awaited where they are set ${median(figures.inline).toFixed(0).padStart(5)} ms`,
);
console.log(
  `  statuses in the background (action) ${median(figures.background).toFixed(0).padStart(5)} ms`,
);

// Loading Octokit in a fresh process, as a run with commit-status does once: the bundle's chunk
// (dist/, as the runner loads it) and the package from node_modules.
const load = (specifier: string): number => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`,
      ],
      { encoding: 'utf8' },
    );
    times.push(Number(run.stdout.trim()));
  }
  return median(times);
};
const chunks = path.resolve(import.meta.dirname, '..', 'dist', 'chunks');
const chunk = fs.readdirSync(chunks).find((f) => /^github-.*\.js$/.test(f));
if (chunk) {
  const ms = load(path.join(chunks, chunk));
  console.log(
    `  loading Octokit (dist/chunks/${chunk}): ${ms.toFixed(0)} ms; runs without commit-status: 0 ms`,
  );
}
console.log(
  `  import('@actions/github') from node_modules: ${load('@actions/github').toFixed(0)} ms`,
);
