/**
 * The benchmark monorepo, generated once per size with `git fast-import` and cached under
 * `.bench/`: `dirs` image directories `svc-NNNN/` of 70 files each (a Dockerfile built
 * `FROM bench/base-python:latest` or `bench/base-node:latest` that copies the shared `lib/common`
 * and `proto` and its own directory), the two base image directories, the shared paths,
 * 200 pages of docs and a `.dockerignore`; then a push of 30 commits changing 10 files each:
 * one page of docs and nine files of image directories (a few directories get many).
 * The same seed gives the same push on every size. Nothing is checked out: the action reads
 * git's objects, and a work tree of 700,000 files would only fill the disk.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: benchmarks run bundled from `.bench/`, one level below it. */
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const COMMITS = 30;
const FILES_PER_DIR = 70;
const FILES_PER_COMMIT = 10;
const LAYOUT = 'v2: dirs x 70 files, 2 bases, lib/common, proto, docs, 30 commits x 10 files';

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

export function git(cwd: string, args: string[], input?: string | Buffer): string {
  const result = spawnSync('git', args, {
    cwd,
    env: GIT_ENV,
    input: typeof input === 'string' ? Buffer.from(input, 'utf8') : input,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${result.stderr.toString()}`);
  }
  return result.stdout.toString('utf8').trim();
}

export const dirName = (i: number): string => `svc-${String(i).padStart(4, '0')}`;

/** The files of one image directory: its Dockerfile and 69 others, some nested. */
export function dirFiles(i: number): string[] {
  const dir = dirName(i);
  const files = [`${dir}/Dockerfile`, `${dir}/README.md`, `${dir}/config/app.yaml`];
  for (let m = 0; files.length < FILES_PER_DIR; m++) {
    for (let f = 0; f < 6 && files.length < FILES_PER_DIR; f++) {
      files.push(`${dir}/src/mod-${m}/file-${f}.txt`);
    }
  }
  return files;
}

/** An image directory's Dockerfile: a base of the monorepo, shared paths, its own directory. */
function dockerfile(i: number): string {
  const base = i % 2 === 0 ? 'base-python' : 'base-node';
  return [
    `FROM bench/${base}:latest`,
    'WORKDIR /app',
    'COPY lib/common /lib/common',
    'COPY proto /proto',
    `COPY ${dirName(i)}/ /app/`,
    'RUN echo "building in $PWD" && make -C /app',
    'CMD ["/app/run"]',
    '',
  ].join('\n');
}

/** A small deterministic generator, so every run touches the same files. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generate(dir: string, dirs: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
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
  const file = (name: string, content: string): string =>
    `M 100644 inline ${name}\n${data(content)}`;
  const seed: string[] = [];
  for (let i = 0; i < dirs; i++) {
    for (const name of dirFiles(i)) {
      seed.push(file(name, name.endsWith('Dockerfile') ? dockerfile(i) : `${name}\n`));
    }
  }
  for (const base of ['base-python', 'base-node']) {
    seed.push(file(`${base}/Dockerfile`, `FROM debian:bookworm-slim\nCOPY ${base}/etc /etc\n`));
    seed.push(file(`${base}/etc/profile`, `${base}\n`));
  }
  for (let f = 0; f < 50; f++) seed.push(file(`lib/common/mod-${f}.py`, `${f}\n`));
  for (let f = 0; f < 20; f++) seed.push(file(`proto/api-${f}.proto`, `${f}\n`));
  for (let d = 0; d < 200; d++) seed.push(file(`docs/page-${d}.md`, `${d}\n`));
  seed.push(file('.dockerignore', 'docs\n**/*.md\n'));
  commit('seed', seed);

  const random = lcg(42);
  for (let c = 0; c < COMMITS; c++) {
    const lines: string[] = [];
    for (let f = 0; f < FILES_PER_COMMIT; f++) {
      // Most changes land in image directories, some in docs; a few dirs get many.
      let name: string;
      if (f === 0) {
        name = `docs/page-${Math.floor(random() * 200)}.md`;
      } else {
        const i = Math.floor(random() * random() * dirs);
        const files = dirFiles(i);
        name = files[1 + Math.floor(random() * (files.length - 1))] ?? `${dirName(i)}/x`;
      }
      lines.push(file(name, `change ${c}.${f}\n`));
    }
    commit(`change ${c}`, lines);
  }
  git(dir, ['fast-import', '--quiet'], chunks.join(''));
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  fs.writeFileSync(path.join(dir, '.git', 'bench-layout'), `${LAYOUT} (${dirs})`);
}

/** The cached monorepo of `dirs` image directories, generated when missing or outdated. */
export function ensureMonorepo(dirs: number): string {
  const dir = path.join(ROOT, '.bench', `monorepo-${dirs}`);
  const marker = path.join(dir, '.git', 'bench-layout');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === `${LAYOUT} (${dirs})`) {
    return dir;
  }
  const started = performance.now();
  generate(dir, dirs);
  console.log(`generated ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
