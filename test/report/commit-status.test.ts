/**
 * Commit statuses through `@actions/github`'s Octokit against a local server that behaves like
 * GitHub's statuses endpoint (test/support/fake-github.ts): what is sent (state, context,
 * description, target_url, Authorization), in which order, and what a failing GitHub does to
 * the run (warnings, bounded retries, never a thrown error).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImageResult } from '../../src/contract.js';
import {
  statusCommit,
  commitStatusesFor,
  finalStatus,
  MAX_CONTEXT,
  pendingStatus,
  runUrl,
  statusContext,
  truncate,
  type CommitStatuses,
  type StatusRetry,
} from '../../src/report/commit-status.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { planOf } from '../support/inputs.js';

const TOKEN = 'ghs_FakeInstallationToken0123456789';
const REPOSITORY = 'acme/mono';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

let gh: FakeGitHub;
let warnings: string[];
let sleeps: number[];

beforeAll(async () => {
  gh = await startFakeGitHub({ token: TOKEN, repository: REPOSITORY });
});
afterAll(async () => gh?.stop());
beforeEach(() => {
  gh.reset();
  warnings = [];
  sleeps = [];
});

const ENV = {
  GITHUB_REPOSITORY: REPOSITORY,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '4242',
};

async function statuses(
  options: { token?: string; url?: string; retry?: Partial<StatusRetry> } = {},
): Promise<CommitStatuses> {
  const made = await commitStatusesFor(
    { commitStatus: true, githubToken: options.token ?? TOKEN },
    SHA,
    { ...ENV, GITHUB_API_URL: options.url ?? gh.url },
    {
      warn: (m) => warnings.push(m),
      sleep: async (ms) => void sleeps.push(ms),
      retry: options.retry,
    },
  );
  if (!made) throw new Error('expected commit statuses');
  return made;
}

function result(directory: string, overrides: Partial<ImageResult> = {}): ImageResult {
  const plan = planOf(directory, { version: 'v1.0.5', previous: 'v1.0.4' });
  return {
    directory,
    image: plan.ref.reference,
    version: plan.version,
    previous: plan.previous,
    tags: ['v1.0.5', 'latest'],
    digest: DIGEST,
    platforms: {},
    reason: 'changed',
    status: 'pushed',
    error: '',
    durationMs: 1,
    webUrl: `https://hub.docker.com/r/myorg/${directory}`,
    ...overrides,
  };
}

const posted = (): { state?: string; context?: string }[] =>
  gh.requests.map((r) => ({ state: r.body?.state, context: r.body?.context }));

describe('commit statuses against a GitHub statuses endpoint', () => {
  it('sets pending, then success with the pushed reference, short digest and image page', async () => {
    const s = await statuses();
    s.started(planOf('airflow-api', { version: 'v1.0.5' }));
    s.finished(result('airflow-api'));
    await s.settle([result('airflow-api')]);

    expect(gh.requests.map((r) => [r.method, r.path, r.answered])).toEqual([
      ['POST', `/repos/${REPOSITORY}/statuses/${SHA}`, 201],
      ['POST', `/repos/${REPOSITORY}/statuses/${SHA}`, 201],
    ]);
    expect(gh.requests.map((r) => r.body)).toEqual([
      {
        state: 'pending',
        context: 'kaniko-release/airflow-api',
        description: 'Building docker.io/myorg/airflow-api:v1.0.5',
        target_url: 'https://github.com/acme/mono/actions/runs/4242',
      },
      {
        state: 'success',
        context: 'kaniko-release/airflow-api',
        description: `Pushed docker.io/myorg/airflow-api:v1.0.5 (sha256:${'ab12'.repeat(3)})`,
        target_url: 'https://hub.docker.com/r/myorg/airflow-api',
      },
    ]);
    for (const r of gh.requests) {
      expect(r.headers.authorization).toBe(`token ${TOKEN}`);
      expect(r.headers['user-agent']).toContain('kaniko-release');
    }
    expect(gh.statuses.get(SHA)?.get('kaniko-release/airflow-api')?.state).toBe('success');
    expect(warnings).toEqual([]);
  });

  it('sends failure for a failed build and error for directories it could not try', async () => {
    const s = await statuses();
    s.started(planOf('broken'));
    s.finished(result('broken', { status: 'failed', digest: '', error: 'kaniko exited with 2' }));
    const skipped = result('child', { status: 'skipped', digest: '', error: 'base base failed' });
    const unnamed = result('Bad_', { status: 'failed', digest: '', error: 'cannot be a name' });
    await s.settle([result('broken', { status: 'failed' }), skipped, unnamed]);

    const last = gh.statuses.get(SHA)!;
    expect(last.get('kaniko-release/broken')).toMatchObject({
      state: 'failure',
      description: 'Failed: kaniko exited with 2',
      target_url: 'https://github.com/acme/mono/actions/runs/4242',
    });
    expect(last.get('kaniko-release/child')).toMatchObject({
      state: 'error',
      description: 'Not built: base base failed',
    });
    expect(last.get('kaniko-release/bad_')).toMatchObject({
      state: 'error',
      context: 'kaniko-release/Bad_',
    });
    // `broken` got its last status from the build: settle did not send it again.
    expect(posted().filter((p) => p.context === 'kaniko-release/broken')).toHaveLength(2);
  });

  it('truncates a long failure to 140 characters, which GitHub would refuse', async () => {
    const error = `kaniko exited with code 1: ${'error building image: '.repeat(20)}`;
    // The endpoint refuses what was not truncated …
    const raw = await fetch(`${gh.url}/repos/${REPOSITORY}/statuses/${SHA}`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}` },
      body: JSON.stringify({ state: 'failure', context: 'x', description: `Failed: ${error}` }),
    });
    expect(raw.status).toBe(422);
    expect(await raw.text()).toContain('description is too long (maximum is 140 characters)');
    gh.requests.length = 0;

    const s = await statuses();
    s.finished(result('broken', { status: 'failed', error: `${error}\nsecond line` }));
    await s.settle([]);
    expect(gh.requests.map((r) => r.answered)).toEqual([201]);
    const description = gh.requests[0]!.body!.description!;
    expect(Array.from(description)).toHaveLength(140);
    expect(description.startsWith('Failed: kaniko exited with code 1: error building image:')).toBe(
      true,
    );
    expect(description.endsWith('…')).toBe(true);
    expect(description).not.toContain('\n');
    expect(warnings).toEqual([]);
  });

  it('retries a 500 a bounded number of times, then warns; settle still resolves', async () => {
    gh.fail({ kind: 'status', status: 500 }, 10);
    const s = await statuses({ retry: { attempts: 3, baseDelayMs: 100 } });
    s.finished(result('api'));
    await s.settle([]);
    expect(gh.requests.map((r) => r.answered)).toEqual([500, 500, 500]);
    expect(sleeps).toEqual([100, 200]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^Could not set the commit status kaniko-release\/api to success after 3 tries: 500 Server Error\. The release itself is not affected\.$/,
    );
  });

  it('recovers from a reset connection and a 502 without a warning', async () => {
    gh.fail({ kind: 'reset' });
    gh.fail({ kind: 'status', status: 502 });
    const s = await statuses();
    s.finished(result('api'));
    await s.settle([]);
    expect(gh.requests.map((r) => r.answered)).toEqual([0, 502, 201]);
    expect(warnings).toEqual([]);
  });

  it("honours a 429's Retry-After within bounds, and gives up at once beyond them", async () => {
    gh.fail({ kind: 'status', status: 429, retryAfter: 2 });
    const s = await statuses();
    s.finished(result('api'));
    await s.settle([]);
    expect(sleeps).toEqual([2000]);
    expect(gh.requests.map((r) => r.answered)).toEqual([429, 201]);

    gh.requests.length = 0;
    gh.fail({ kind: 'status', status: 429, retryAfter: 3600 });
    const t = await statuses();
    t.finished(result('api'));
    await t.settle([]);
    expect(gh.requests.map((r) => r.answered)).toEqual([429]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('429 API rate limit exceeded');
  });

  it('bounds a slow answer by the time limit of each try', async () => {
    gh.fail({ kind: 'slow', ms: 5_000 }, 2);
    const s = await statuses({ retry: { attempts: 2, timeoutMs: 300 } });
    s.finished(result('api'));
    await s.settle([]);
    // Both tries gave up before the server answered.
    expect(gh.requests).toHaveLength(2);
    expect(warnings).toEqual([
      'Could not set the commit status kaniko-release/api to success after 2 tries: no answer within 0.3 s. The release itself is not affected.',
    ]);
  });

  it('warns once when the token may not write statuses, and stops calling', async () => {
    const s = await statuses({ token: 'ghs_wrong' });
    s.started(planOf('api'));
    s.finished(result('api'));
    await s.settle([result('api'), result('web', { status: 'skipped', error: 'x' })]);
    // Four statuses were asked for; only those already on their way were sent.
    expect(gh.requests.length).toBeLessThan(4);
    for (const r of gh.requests) expect(r.answered).toBe(401);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('GitHub answered 401 Bad credentials');
    expect(warnings[0]).toContain("'permissions: statuses: write'");
    expect(warnings.join('\n')).not.toContain('ghs_wrong');
  });

  it('uses GITHUB_API_URL with a path, as GitHub Enterprise Server serves it', async () => {
    const ghes = await startFakeGitHub({ token: TOKEN, repository: REPOSITORY, prefix: '/api/v3' });
    try {
      const s = await statuses({ url: ghes.url });
      s.finished(result('api'));
      await s.settle([]);
      expect(ghes.requests.map((r) => [r.path, r.answered])).toEqual([
        [`/api/v3/repos/${REPOSITORY}/statuses/${SHA}`, 201],
      ]);
      expect(gh.requests).toEqual([]);
    } finally {
      await ghes.stop();
    }
  });
});

describe('commitStatusesFor', () => {
  it('is off unless commit-status is true', async () => {
    expect(await commitStatusesFor({ commitStatus: false, githubToken: TOKEN }, SHA, ENV)).toBe(
      undefined,
    );
  });

  it('warns and sets none when the GitHub client cannot be made, instead of failing', async () => {
    const said: string[] = [];
    const made = await commitStatusesFor({ commitStatus: true, githubToken: '' }, SHA, ENV, {
      warn: (m) => said.push(m),
    });
    expect(made).toBeUndefined();
    expect(said).toEqual([
      'Commit statuses are not set: the GitHub client cannot be made (Parameter token or opts.auth is required). The release itself is not affected.',
    ]);
  });

  it.each([
    [{ ...ENV, GITHUB_REPOSITORY: '' }, SHA, 'GITHUB_REPOSITORY is not owner/name'],
    [ENV, '', 'the commit built is not known'],
  ])('warns and sets none without a repository or commit (%#)', async (env, sha, message) => {
    const said: string[] = [];
    const made = await commitStatusesFor({ commitStatus: true, githubToken: TOKEN }, sha, env, {
      warn: (m) => said.push(m),
    });
    expect(made).toBeUndefined();
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(message);
  });
});

describe('statusCommit', () => {
  const built = 'a'.repeat(40);
  const head = 'b'.repeat(40);
  it.each(['pull_request', 'pull_request_target'])(
    'puts %s statuses on the head commit',
    (name) => {
      expect(
        statusCommit({ name, payload: { pull_request: { head: { sha: head } } } }, built),
      ).toBe(head);
    },
  );

  it('uses the commit built for other events and for a payload without a head', () => {
    expect(statusCommit({ name: 'push', payload: { after: head } }, built)).toBe(built);
    expect(statusCommit({ name: 'pull_request', payload: {} }, built)).toBe(built);
    expect(
      statusCommit(
        { name: 'pull_request', payload: { pull_request: { head: { sha: 'x' } } } },
        built,
      ),
    ).toBe(built);
  });
});

describe('status bodies', () => {
  const links = { runUrl: 'https://github.com/acme/mono/actions/runs/1' };

  it.each<[Partial<ImageResult>, boolean, object]>([
    [
      { status: 'built' },
      true,
      {
        state: 'success',
        description: `Built docker.io/myorg/d:v1.0.5 (sha256:${'ab12'.repeat(3)}), not pushed`,
      },
    ],
    [
      { status: 'unchanged', version: 'v1.0.4', digest: '' },
      true,
      {
        state: 'success',
        description: 'Unchanged: docker.io/myorg/d:v1.0.4 already holds this build',
        target_url: 'https://hub.docker.com/r/myorg/d',
      },
    ],
    [{ status: 'failed', error: 'boom' }, true, { state: 'failure', description: 'Failed: boom' }],
    [
      { status: 'failed', error: 'boom' },
      false,
      { state: 'error', description: 'Not built: boom' },
    ],
    [
      {
        status: 'skipped',
        error: "not built: an earlier directory failed and 'fail-fast' is true",
      },
      false,
      {
        state: 'error',
        description: "Not built: an earlier directory failed and 'fail-fast' is true",
      },
    ],
    [{ status: 'pushed', webUrl: '' }, true, { state: 'success' }],
  ])('%j (tried: %s)', (overrides, tried, expected) => {
    const body = finalStatus(result('d', overrides), tried, links);
    expect(body).toMatchObject({ context: 'kaniko-release/d', ...expected });
    if (overrides.status === 'pushed') expect(body).not.toHaveProperty('target_url');
  });

  it('links the run while pending, and nothing when the run is not known', () => {
    expect(pendingStatus(planOf('d'), links).target_url).toBe(links.runUrl);
    expect(pendingStatus(planOf('d'), { runUrl: '' })).not.toHaveProperty('target_url');
    expect(runUrl({ GITHUB_REPOSITORY: 'a/b' })).toBe('');
  });

  it('keeps a long directory distinct within 255 characters', () => {
    const a = statusContext(`${'x/'.repeat(200)}a`);
    const b = statusContext(`${'x/'.repeat(200)}b`);
    expect(Array.from(a).length).toBeLessThanOrEqual(MAX_CONTEXT);
    expect(a.startsWith('kaniko-release/x/x/')).toBe(true);
    expect(a).not.toBe(b);
    expect(statusContext('images/api')).toBe('kaniko-release/images/api');
  });

  it('counts characters as GitHub does, not UTF-16 units', () => {
    expect(truncate('é'.repeat(140), 140)).toBe('é'.repeat(140));
    expect(Array.from(truncate('🐳'.repeat(200), 140))).toHaveLength(140);
    expect(truncate(' a \n b ', 140)).toBe('a b');
  });
});
