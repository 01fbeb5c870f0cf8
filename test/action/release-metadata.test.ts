/**
 * Release metadata end to end: the bundled root action (dist/main.js, then dist/post.js) run as
 * the runner runs it, on a monorepo in real git, against the real local docker-registry, with the
 * stand-in kaniko executor (pinned by tag and digest) run in its container (runc), and a local server that
 * behaves like GitHub's commit statuses endpoint. Extra `tags` land on the one digest; each image
 * gets its `kaniko-release/<directory>` status; a GitHub that fails never fails the release.
 * Needs root (the container runtime) like CI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { isolateGit, RepoFixture } from '../support/git-repo.js';
import {
  listTags,
  manifestDigest,
  pushRandomImage,
  startRegistry,
  type LocalRegistry,
} from '../support/registry.js';
import {
  runMainAndPost,
  type ActionRun,
  type ImageOutput as Image,
} from '../support/run-action.js';
import { dockerfile, pushStandinImage } from '../support/standin.js';

const NAMESPACE = 'acme';
const REPOSITORY = 'acme/mono';
const TOKEN = `ghs_${Math.random().toString(36).slice(2)}Token`;
const TIMEOUT = 240_000;

let reg: LocalRegistry;
let gh: FakeGitHub;
let executorImage: string;
let scratch: string;
let gitHome: string;
let toolCache: string;

beforeAll(async () => {
  gitHome = isolateGit();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'release-metadata-'));
  toolCache = path.join(scratch, 'tool-cache');
  fs.mkdirSync(toolCache);
  [reg, gh] = await Promise.all([
    startRegistry(),
    startFakeGitHub({ token: TOKEN, repository: REPOSITORY }),
  ]);
  const standin = await pushStandinImage(reg, 'tools/kaniko', 'standin');
  // Pinned by tag and digest: the digest is what is fetched and verified.
  executorImage = `${reg.host}/tools/kaniko:standin@${standin.indexDigest}`;
}, 180_000);

afterAll(async () => {
  await Promise.all([reg?.stop(), gh?.stop()]);
  for (const dir of [scratch, gitHome]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => gh.reset());

/** A checkout whose HEAD commit changes `changed` (workflow_dispatch compares HEAD^..HEAD). */
function checkout(changed: Record<string, string>): { workspace: string; sha: string } {
  const repo = RepoFixture.create();
  repo.write({ 'README.md': 'monorepo\n' }).commit('base');
  const sha = repo.write(changed).commit('change');
  repo.push();
  return { workspace: repo.checkout(), sha };
}

async function release(
  workspace: string,
  sha: string,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const env = {
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: gh.url,
    GITHUB_RUN_ID: '777',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TOOL_CACHE: toolCache,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL ?? '',
  };
  const all = {
    registry: reg.host,
    'insecure-registries': reg.host,
    namespace: NAMESPACE,
    'executor-image': executorImage,
    'commit-status': 'true',
    'github-token': TOKEN,
    ...inputs,
  };
  const { main, post } = await runMainAndPost({ inputs: all, env, timeoutMs: TIMEOUT - 30_000 });
  expect(post.exitCode).toBe(0);
  return main;
}

const images = (run: ActionRun): Image[] => JSON.parse(run.outputs.images ?? 'null') as Image[];

/** Every status request for `context`, in order, as [state, description, target_url]. */
function statusesOf(context: string): [string?, string?, string?][] {
  return gh.requests
    .filter((r) => r.body?.context === context)
    .map((r) => [r.body?.state, r.body?.description, r.body?.target_url]);
}

describe('extra tags and commit statuses, through the bundled action', () => {
  it(
    'pushes the version, latest, v2, v2.3 and sha-<commit> to one digest, and a green status',
    async () => {
      await pushRandomImage(reg, `${NAMESPACE}/airflow-api`, ['v2.3.4', 'latest']);
      const { workspace, sha } = checkout({ 'airflow-api/Dockerfile': dockerfile() });
      const run = await release(workspace, sha, {
        patterns: 'airflow-*',
        tags: '{{prefix}}{{major}}\n{{prefix}}{{major}}.{{minor}}\nsha-{{sha}}',
      });
      expect(run.errors).toEqual([]);
      expect(run.warnings).toEqual([]);
      expect(run.exitCode, run.stdout).toBe(0);

      const expected = ['v2.3.5', 'latest', 'v2', 'v2.3', `sha-${sha.slice(0, 7)}`];
      const [image] = images(run);
      expect(image).toMatchObject({
        directory: 'airflow-api',
        version: 'v2.3.5',
        tags: expected,
        status: 'pushed',
      });
      expect(image!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      for (const tag of expected) {
        expect(await manifestDigest(reg, `${NAMESPACE}/airflow-api`, tag), tag).toBe(image!.digest);
      }
      expect((await listTags(reg, `${NAMESPACE}/airflow-api`)).sort()).toEqual(
        [...expected, 'v2.3.4'].sort(),
      );
      for (const tag of expected) expect(run.summary).toContain(`<code>${tag}</code>`);

      // pending when the build started, then success with the reference and short digest.
      const context = 'kaniko-release/airflow-api';
      expect(statusesOf(context)).toEqual([
        [
          'pending',
          `Building ${reg.host}/${NAMESPACE}/airflow-api:v2.3.5`,
          `https://github.com/${REPOSITORY}/actions/runs/777`,
        ],
        [
          'success',
          `Pushed ${reg.host}/${NAMESPACE}/airflow-api:v2.3.5 (${image!.digest.slice(0, 19)})`,
          // A registry without a known web page: nothing to link.
          undefined,
        ],
      ]);
      for (const r of gh.requests) {
        expect(r.path).toBe(`/repos/${REPOSITORY}/statuses/${sha}`);
        expect(r.headers.authorization).toBe(`token ${TOKEN}`);
        expect(r.answered).toBe(201);
      }
      // The token was masked first and never shown otherwise.
      expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
      const shown = run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      for (const text of [shown, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
        expect(text).not.toContain(TOKEN);
      }
    },
    TIMEOUT,
  );

  it(
    'sets failure on a failed build with its reason, success on the other',
    async () => {
      const { workspace, sha } = checkout({
        'svc-broken/Dockerfile': dockerfile('fail 3'),
        'svc-fine/Dockerfile': dockerfile(),
      });
      const run = await release(workspace, sha, { patterns: 'svc-*' });
      expect(run.exitCode).toBe(1);
      expect(images(run).map((i) => [i.directory, i.status])).toEqual([
        ['svc-broken', 'failed'],
        ['svc-fine', 'pushed'],
      ]);
      const broken = statusesOf('kaniko-release/svc-broken');
      expect(broken.map((s) => s[0])).toEqual(['pending', 'failure']);
      expect(broken[1]![1]).toMatch(/^Failed: kaniko exited with code 3/);
      expect(Array.from(broken[1]![1]!).length).toBeLessThanOrEqual(140);
      expect(broken[1]![2]).toBe(`https://github.com/${REPOSITORY}/actions/runs/777`);
      expect(statusesOf('kaniko-release/svc-fine').map((s) => s[0])).toEqual([
        'pending',
        'success',
      ]);
      expect(gh.statuses.get(sha)?.size).toBe(2);
    },
    TIMEOUT,
  );

  it('sets error on directories the action could not try, without a pending first', async () => {
    const { workspace, sha } = checkout({
      'svc-ok/Dockerfile': dockerfile(),
      'Bad_/Dockerfile': dockerfile(),
    });
    const run = await release(workspace, sha, {
      directories: 'svc-ok, Bad_',
      version: 'v1.0.0',
      'fail-fast': 'true',
    });
    expect(run.exitCode).toBe(1);
    expect(images(run).map((i) => [i.directory, i.status])).toEqual([
      ['Bad_', 'failed'],
      ['svc-ok', 'skipped'],
    ]);
    const bad = statusesOf('kaniko-release/Bad_');
    expect(bad.map((s) => s[0])).toEqual(['error']);
    expect(bad[0]![1]).toMatch(/^Not built: Directory "Bad_" cannot be an image name/);
    expect(statusesOf('kaniko-release/svc-ok')).toEqual([
      [
        'error',
        "Not built: an earlier directory failed and 'fail-fast' is true",
        `https://github.com/${REPOSITORY}/actions/runs/777`,
      ],
    ]);
  });

  it(
    'releases as usual when GitHub keeps failing: a warning per status, exit code 0',
    async () => {
      gh.fail({ kind: 'status', status: 500 }, 100);
      const { workspace, sha } = checkout({ 'web-app/Dockerfile': dockerfile() });
      const run = await release(workspace, sha, { patterns: 'web-*' });
      expect(run.errors).toEqual([]);
      expect(run.exitCode, run.stdout).toBe(0);
      const [image] = images(run);
      expect(image).toMatchObject({ directory: 'web-app', status: 'pushed', version: 'v1.0.0' });
      expect(await manifestDigest(reg, `${NAMESPACE}/web-app`, 'v1.0.0')).toBe(image!.digest);
      // Bounded: three tries of each of the two statuses, then one warning each.
      expect(gh.requests).toHaveLength(6);
      expect(gh.requests.every((r) => r.answered === 500)).toBe(true);
      expect(run.warnings).toHaveLength(2);
      for (const [warning, state] of [
        [run.warnings[0], 'pending'],
        [run.warnings[1], 'success'],
      ] as const) {
        expect(warning).toContain(
          `Could not set the commit status kaniko-release/web-app to ${state} after 3 tries: 500`,
        );
      }
    },
    TIMEOUT,
  );
});
