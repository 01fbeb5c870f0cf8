/**
 * End to end: the bundled root action (dist/main.js, then dist/post.js) run the way the runner
 * runs it, on a monorepo in real git, against a real local docker-registry with htpasswd auth,
 * with the stand-in kaniko executor image downloaded from that registry and run in its container (runc).
 * Needs root (the container runtime) like CI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../src/lib/docker-hub.js';
import {
  listTags,
  manifestDigest,
  pushRandomImage,
  startRegistry,
  type LocalRegistry,
} from '../support/registry.js';
import {
  runAction,
  runMainAndPost,
  type ActionRun,
  type ImageOutput as Image,
} from '../support/run-action.js';
import { dockerfile, executorRuns, pushStandinImage, STANDIN_START } from '../support/standin.js';
import { gitIsolated as git, writeFiles } from '../support/git-repo.js';

const USERNAME = 'releaser';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-S3cret`;
const NAMESPACE = 'acme';
const TIMEOUT = 240_000;

let reg: LocalRegistry;
let executorImage: string;
let scratch: string;
/** One tool cache for every run, so the executor is downloaded once. */
let toolCache: string;

interface Repo {
  dir: string;
  before: string;
  after: string;
}

/** A repository with one commit of `base`, then one commit of `change` (the push). */
function monorepo(
  name: string,
  base: Record<string, string>,
  change: Record<string, string>,
): Repo {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, base);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const before = git(dir, 'rev-parse', 'HEAD');
  writeFiles(dir, change);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'change');
  return { dir, before, after: git(dir, 'rev-parse', 'HEAD') };
}

function pushEvent(repo: Repo): Record<string, string> {
  const eventPath = path.join(repo.dir, '..', `${path.basename(repo.dir)}-event.json`);
  fs.writeFileSync(
    eventPath,
    JSON.stringify({
      ref: 'refs/heads/main',
      before: repo.before,
      after: repo.after,
      repository: { default_branch: 'main', full_name: 'acme/mono' },
    }),
  );
  return {
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/mono',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: repo.after,
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TOOL_CACHE: toolCache,
  };
}

function releaseInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    patterns: 'airflow-*',
    registry: reg.host,
    namespace: NAMESPACE,
    username: USERNAME,
    password: PASSWORD,
    'executor-image': executorImage,
    'insecure-registries': reg.host,
    ...extra,
  };
}

/** main, then post with the state main saved, in the same runner directory. */
async function release(
  repo: Repo,
  inputs: Record<string, string>,
): Promise<{ main: ActionRun; post: ActionRun }> {
  const env = pushEvent(repo);
  const { main, post } = await runMainAndPost({ inputs, env, timeoutMs: TIMEOUT - 30_000 });
  return { main, post };
}

function images(run: ActionRun): Image[] {
  return JSON.parse(run.outputs.images ?? 'null') as Image[];
}

function byDirectory(run: ActionRun): Record<string, Image> {
  return Object.fromEntries(images(run).map((i) => [i.directory, i]));
}

/** Every file under `dir`, recursively (symbolic links not followed). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The secret never shows: not in logs (but for the runner's own mask command), outputs, summary, state. */
function expectNoSecret(run: ActionRun): void {
  const secrets = [PASSWORD, basicAuth(USERNAME, PASSWORD)];
  const visible = run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of secrets) {
    expect(visible).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
    expect(JSON.stringify(run.state)).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
  }
}

/** After post: no credentials directory and no file holding the secret in RUNNER_TEMP or HOME. */
function expectCredentialsGone(main: ActionRun, post: ActionRun): void {
  expect(post.exitCode).toBe(0);
  const dir = main.state['credentials-dir'];
  expect(dir).toBeTruthy();
  expect(fs.existsSync(dir ?? '')).toBe(false);
  const temp = path.join(main.runnerDir, 'temp');
  const auth = basicAuth(USERNAME, PASSWORD);
  for (const file of filesUnder(temp)) {
    const text = fs.readFileSync(file, 'latin1');
    expect(text.includes(PASSWORD) || text.includes(auth), file).toBe(false);
  }
  expect(fs.readdirSync(temp).filter((n) => n.startsWith('kaniko-release-auth-'))).toEqual([]);
  expect(fs.existsSync(path.join(main.runnerDir, '.docker'))).toBe(false);
}

/** The image config of `repo:tag`, read from the registry. */
async function imageConfig(repo: string, tag: string): Promise<{ config?: { Labels?: object } }> {
  const headers = { ...reg.authHeader() };
  const manifest = (await (
    await fetch(`${reg.url}/v2/${repo}/manifests/${tag}`, {
      headers: { ...headers, Accept: 'application/vnd.oci.image.manifest.v1+json' },
    })
  ).json()) as { config: { digest: string } };
  const blob = await fetch(`${reg.url}/v2/${repo}/blobs/${manifest.config.digest}`, { headers });
  return (await blob.json()) as { config?: { Labels?: object } };
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kaniko-release-e2e-'));
  toolCache = path.join(scratch, 'tool-cache');
  fs.mkdirSync(toolCache);
  reg = await startRegistry({ auth: { username: USERNAME, password: PASSWORD } });
  await pushStandinImage(reg, 'tools/kaniko', 'standin');
  executorImage = `${reg.host}/tools/kaniko:standin`;
}, 180_000);

afterAll(async () => {
  await reg?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the root action, bundled, on a monorepo', () => {
  it(
    'releases the two changed directories, one executor run each, and leaves no credentials',
    async () => {
      const previous = await pushRandomImage(reg, `${NAMESPACE}/airflow-base`, [
        'v1.0.4',
        'latest',
      ]);
      const untouched = await pushRandomImage(reg, `${NAMESPACE}/airflow-unchanged`, [
        'v2.0.0',
        'latest',
      ]);
      const repo = monorepo(
        'release',
        {
          'airflow-base/Dockerfile': dockerfile(),
          'airflow-unchanged/Dockerfile': dockerfile(),
          'README.md': 'monorepo\n',
        },
        {
          'airflow-base/requirements.txt': 'apache-airflow\n',
          'airflow-new/Dockerfile': dockerfile(),
          'docs/notes.md': 'not an image\n',
        },
      );

      const { main, post } = await release(repo, releaseInputs());
      expect(main.errors).toEqual([]);
      expect(main.exitCode, main.stdout).toBe(0);

      expect(JSON.parse(main.outputs.directories ?? '')).toEqual(['airflow-base', 'airflow-new']);
      expect(main.outputs.changed).toBe('true');
      expect(JSON.parse(main.outputs.matrix ?? '')).toEqual({
        include: [
          { directory: 'airflow-base', version: 'v1.0.5', previous: 'v1.0.4', wave: 0 },
          { directory: 'airflow-new', version: 'v1.0.0', previous: '', wave: 0 },
        ],
      });
      const out = byDirectory(main);
      expect(Object.keys(out).sort()).toEqual(['airflow-base', 'airflow-new']);
      for (const [dir, version] of [
        ['airflow-base', 'v1.0.5'],
        ['airflow-new', 'v1.0.0'],
      ] as const) {
        const img = out[dir]!;
        expect(img).toMatchObject({
          image: `${reg.host}/${NAMESPACE}/${dir}`,
          version,
          tags: [version, 'latest'],
          status: 'pushed',
          error: '',
        });
        expect(img.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(await manifestDigest(reg, `${NAMESPACE}/${dir}`, version)).toBe(img.digest);
        expect(await manifestDigest(reg, `${NAMESPACE}/${dir}`, 'latest')).toBe(img.digest);
        const labels = (await imageConfig(`${NAMESPACE}/${dir}`, version)).config?.Labels;
        expect(labels).toMatchObject({
          'org.opencontainers.image.source': 'https://github.com/acme/mono',
          'org.opencontainers.image.revision': repo.after,
          'org.opencontainers.image.version': version,
        });
      }
      expect(out['airflow-base']!.digest).not.toBe(previous);
      expect((await listTags(reg, `${NAMESPACE}/airflow-base`)).sort()).toEqual([
        'latest',
        'v1.0.4',
        'v1.0.5',
      ]);

      // The unchanged directory is untouched.
      expect((await listTags(reg, `${NAMESPACE}/airflow-unchanged`)).sort()).toEqual([
        'latest',
        'v2.0.0',
      ]);
      expect(await manifestDigest(reg, `${NAMESPACE}/airflow-unchanged`, 'latest')).toBe(untouched);

      expect(executorRuns(main)).toBe(2);
      expect(main.summary).toContain('airflow-base');
      expect(main.summary).toContain('airflow-new');
      expect(main.summary).toContain('pushed');
      expectNoSecret(main);
      expectNoSecret(post);
      expectCredentialsGone(main, post);
    },
    TIMEOUT,
  );

  it(
    'with fail-fast false, still pushes the other directory, fails the step, and sets every output',
    async () => {
      const repo = monorepo(
        'failing',
        { 'README.md': 'x\n' },
        {
          'airflow-broken/Dockerfile': dockerfile('fail 2'),
          'airflow-fine/Dockerfile': dockerfile(),
        },
      );
      const { main, post } = await release(repo, releaseInputs({ 'fail-fast': 'false' }));
      expect(main.exitCode).toBe(1);
      const out = byDirectory(main);
      expect(out['airflow-broken']).toMatchObject({
        status: 'failed',
        version: 'v1.0.0',
        digest: '',
      });
      expect(out['airflow-broken']!.error).toMatch(/exited with code 2/);
      expect(out['airflow-broken']!.error).toMatch(/standin:fail 2/);
      expect(out['airflow-fine']).toMatchObject({ status: 'pushed', version: 'v1.0.0' });
      expect(await manifestDigest(reg, `${NAMESPACE}/airflow-fine`, 'v1.0.0')).toBe(
        out['airflow-fine']!.digest,
      );
      expect(await listTags(reg, `${NAMESPACE}/airflow-broken`)).toEqual([]);
      expect(JSON.parse(main.outputs.directories ?? '')).toEqual([
        'airflow-broken',
        'airflow-fine',
      ]);
      expect(main.outputs.matrix).toBeTruthy();
      expect(main.errors.some((e) => e.includes('airflow-broken'))).toBe(true);
      expect(main.summary).toContain('failed');
      expect(main.summary).toContain('pushed');
      expect(executorRuns(main)).toBe(2);
      expectNoSecret(main);
      expectCredentialsGone(main, post);
    },
    TIMEOUT,
  );

  it(
    'fails a directory whose version appeared after the plan (a lost race), without building it',
    async () => {
      const repo = monorepo(
        'race',
        { 'README.md': 'x\n' },
        { 'airflow-raced/Dockerfile': dockerfile(), 'airflow-calm/Dockerfile': dockerfile() },
      );
      // A plan job picks the versions, as in the matrix workflow …
      const plan = await runAction('plan', { inputs: releaseInputs(), env: pushEvent(repo) });
      expect(plan.exitCode, plan.stdout).toBe(0);
      const matrix = JSON.parse(plan.outputs.matrix ?? '') as {
        include: { directory: string; version: string }[];
      };
      expect(matrix.include.map((e) => e.version)).toEqual(['v1.0.0', 'v1.0.0']);
      // … then another run pushes one of them before this build starts.
      const theirs = await pushRandomImage(reg, `${NAMESPACE}/airflow-raced`, ['v1.0.0']);

      const { main, post } = await release(
        repo,
        releaseInputs({ directories: 'airflow-calm,airflow-raced', version: 'v1.0.0' }),
      );
      expect(main.exitCode).toBe(1);
      const out = byDirectory(main);
      expect(out['airflow-raced']!.status).toBe('failed');
      expect(out['airflow-raced']!.error).toMatch(/already exists; another run may have pushed it/);
      expect(out['airflow-calm']!.status).toBe('pushed');
      // Theirs is still there, and kaniko never ran for the raced directory.
      expect(await manifestDigest(reg, `${NAMESPACE}/airflow-raced`, 'v1.0.0')).toBe(theirs);
      expect(await listTags(reg, `${NAMESPACE}/airflow-raced`)).toEqual(['v1.0.0']);
      expect(executorRuns(main)).toBe(1);
      expectCredentialsGone(main, post);
    },
    TIMEOUT,
  );

  it(
    'with push false, builds without pushing anything',
    async () => {
      const repo = monorepo(
        'nopush',
        { 'README.md': 'x\n' },
        { 'airflow-pr/Dockerfile': dockerfile() },
      );
      const { main, post } = await release(repo, releaseInputs({ push: 'false' }));
      expect(main.exitCode, main.stdout).toBe(0);
      const [img] = images(main);
      expect(img).toMatchObject({ directory: 'airflow-pr', status: 'built', version: 'v1.0.0' });
      expect(img!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(await listTags(reg, `${NAMESPACE}/airflow-pr`)).toEqual([]);
      expect(executorRuns(main)).toBe(1);
      expectCredentialsGone(main, post);
    },
    TIMEOUT,
  );

  it(
    'with parallel 2, builds at once and prints each directory in one unbroken group',
    async () => {
      const repo = monorepo(
        'parallel',
        { 'README.md': 'x\n' },
        {
          'airflow-one/Dockerfile': dockerfile('sleep 1'),
          'airflow-two/Dockerfile': dockerfile('sleep 1'),
          'images/--foo/Dockerfile': dockerfile(),
        },
      );
      const { main, post } = await release(
        repo,
        releaseInputs({ patterns: 'airflow-*\nimages/*', parallel: '2' }),
      );
      expect(main.exitCode, main.stdout).toBe(0);
      const out = byDirectory(main);
      expect(Object.keys(out).sort()).toEqual(['airflow-one', 'airflow-two', 'images/--foo']);
      for (const img of Object.values(out)) expect(img.status).toBe('pushed');
      expect(out['images/--foo']!.image).toBe(`${reg.host}/${NAMESPACE}/images---foo`);
      expect(await manifestDigest(reg, `${NAMESPACE}/images---foo`, 'v1.0.0')).toBe(
        out['images/--foo']!.digest,
      );

      const lines = main.stdout.split('\n');
      // Both workers started before any group was printed.
      const firstGroup = lines.findIndex((l) => l.startsWith('::group::Build '));
      const started = lines.filter((l, i) => i < firstGroup && l.startsWith('Started '));
      expect(started).toHaveLength(2);
      // Each group holds the lines of its own directory only.
      const groups: { title: string; body: string[] }[] = [];
      let current: { title: string; body: string[] } | undefined;
      for (const line of lines) {
        if (line.startsWith('::group::')) {
          expect(current).toBeUndefined();
          current = { title: line, body: [] };
        } else if (line === '::endgroup::') {
          groups.push(current!);
          current = undefined;
        } else if (current) {
          current.body.push(line);
        }
      }
      const builds = groups.filter((g) => g.title.startsWith('::group::Build '));
      expect(builds).toHaveLength(3);
      for (const name of ['airflow-one', 'airflow-two', 'images---foo']) {
        const own = builds.filter((g) => g.title.includes(`/${NAMESPACE}/${name}:`));
        expect(own).toHaveLength(1);
        const body = own[0]!.body.join('\n');
        expect(body).toContain(STANDIN_START);
        expect(body).toContain(`Pushed ${reg.host}/${NAMESPACE}/${name}@`);
        for (const other of ['airflow-one', 'airflow-two', 'images---foo'].filter(
          (n) => n !== name,
        )) {
          expect(body).not.toContain(`/${NAMESPACE}/${other}`);
        }
      }
      expect(executorRuns(main)).toBe(3);
      expectCredentialsGone(main, post);
    },
    TIMEOUT,
  );
});
