/**
 * Change detection in shallow clones (`fetch-depth: 1`): the commits a range needs are
 * fetched from origin, history is deepened in bounded steps for a merge-base, and when it
 * cannot be had the step fails asking for `fetch-depth: 0`.
 */
import { describe, expect, it } from 'vitest';
import { detect, type DetectInputs } from '../../src/detect/detect.js';
import type { GitHubEvent } from '../../src/detect/event.js';
import { DEEPEN_STEPS } from '../../src/detect/range.js';
import { Git } from '../../src/lib/git.js';
import { git, repoFixtures, RepoFixture, ZERO_SHA } from '../support/git-repo.js';
import { detectInputs } from '../support/inputs.js';

const fixture = repoFixtures();

async function run(workspace: string, event: GitHubEvent, overrides: Partial<DetectInputs> = {}) {
  const gitCalls = new Git(workspace);
  const detection = await detect(detectInputs(overrides), workspace, event, gitCalls);
  return { ...detection, calls: gitCalls.calls };
}

const isShallow = (dir: string): boolean =>
  git(dir, ['rev-parse', '--is-shallow-repository']) === 'true';

/** main with three image directories and a few commits of history. */
function seeded(): RepoFixture {
  const repo = fixture();
  for (const dir of ['api', 'web', 'worker']) {
    repo.write({ [`${dir}/Dockerfile`]: 'FROM scratch\n', [`${dir}/src.txt`]: '0\n' });
  }
  repo.commit('seed');
  for (let i = 1; i <= 5; i++) repo.write({ 'README.md': `${i}\n` }).commit(`docs ${i}`);
  repo.push();
  return repo;
}

describe('shallow clones', () => {
  it('push: fetches the before commit alone; git clone --depth 1 stays shallow', async () => {
    const repo = seeded();
    const before = repo.sha('HEAD');
    repo.write({ 'api/src.txt': '1\n' }).commit('api');
    repo.write({ 'web/src.txt': '1\n' }).commit('web');
    const after = repo.write({ 'README.md': 'x\n' }).commit('docs');
    repo.push();
    const ws = repo.shallowClone(1);
    expect(isShallow(ws)).toBe(true);

    const result = await run(ws, repo.pushEvent({ before, after, commits: 3 }));
    expect(result.directories).toEqual(['api', 'web']);
    const fetches = result.calls.filter((c) => c[0] === 'fetch');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toContain('--depth=1');
    expect(fetches[0]).toContain(before);
    expect(isShallow(ws)).toBe(true);
    // The tree is never listed: not once, and not a second time after the fetch.
    expect(result.calls.filter((c) => c.includes('ls-tree'))).toEqual([]);
    expect(result.calls.filter((c) => c[0] === 'diff-tree')).toHaveLength(2);
  });

  it('pull request: deepens in bounded steps until the merge-base is found', async () => {
    const repo = seeded();
    repo.switch('feature', 'main');
    for (let i = 0; i < 4; i++) repo.write({ 'worker/src.txt': `f${i}\n` }).commit(`f${i}`);
    const head = repo.sha('HEAD');
    repo.push();
    repo.switch('main');
    for (let i = 0; i < 6; i++) repo.write({ 'api/src.txt': `m${i}\n` }).commit(`m${i}`);
    const base = repo.sha('HEAD');
    repo.push();
    const merge = repo.pullRequest(3, base, head);
    const ws = repo.checkout({ ref: 'refs/pull/3/merge', sha: merge, depth: 1 });

    const result = await run(ws, repo.pullRequestEvent({ number: 3, base, head }));
    expect(result.directories).toEqual(['worker']);
    const fetches = result.calls.filter((c) => c[0] === 'fetch');
    expect(fetches[0]).toEqual(expect.arrayContaining(['--depth=1', head]));
    expect(fetches[1]).toContain(`--deepen=${DEEPEN_STEPS[0]}`);
  });

  it('new branch: fetches the default branch and deepens for the merge-base', async () => {
    const repo = seeded();
    repo.switch('feature', 'main');
    repo.write({ 'web/src.txt': 'feature\n' }).commit('f1');
    const after = repo.write({ 'README.md': 'feature\n' }).commit('f2');
    repo.push();
    repo.switch('main').write({ 'api/src.txt': 'moved\n' }).commit('main moves');
    repo.push();
    const ws = repo.checkout({ ref: 'refs/heads/feature', sha: after, depth: 1 });

    const result = await run(
      ws,
      repo.pushEvent({ before: ZERO_SHA, after, ref: 'refs/heads/feature' }),
    );
    expect(result.directories).toEqual(['web']);
    expect(git(ws, ['rev-parse', 'refs/remotes/origin/main'])).toBe(repo.sha('main'));
  });

  it('other events: fetches the parent of a shallow HEAD', async () => {
    const repo = seeded();
    repo.write({ 'worker/src.txt': '1\n' }).commit('worker');
    repo.push();
    const ws = repo.checkout({ depth: 1 });
    const result = await run(ws, repo.event('workflow_dispatch', {}));
    expect(result.directories).toEqual(['worker']);
    expect(result.description).not.toMatch(/root commit/);
  });

  it('tells a root commit from a shallow boundary', async () => {
    const repo = fixture();
    repo.write({ 'a/Dockerfile': 'FROM scratch\n', 'b/Dockerfile': 'FROM scratch\n' });
    repo.commit('root');
    repo.push();
    const ws = repo.checkout({ depth: 1 });
    const result = await run(ws, repo.event('schedule', {}));
    expect(result.directories).toEqual(['a', 'b']);
    expect(result.description).toMatch(/is a root commit/);
    expect(result.calls.filter((c) => c[0] === 'fetch')).toEqual([]);
  });

  it('explicit base: deepens to resolve an expression such as HEAD~3', async () => {
    const repo = seeded();
    repo.write({ 'web/src.txt': '1\n' }).commit('web');
    repo.push();
    const ws = repo.checkout({ depth: 1 });
    const result = await run(ws, repo.event('push', {}), { base: 'HEAD~3' });
    expect(result.directories).toEqual(['web']);
    // Deeper than the whole history: the clone is complete and the revision is not there.
    await expect(run(ws, repo.event('push', {}), { base: 'HEAD~50' })).rejects.toThrow(
      `Input 'base': revision "HEAD~50" does not exist in the repository, nor on origin`,
    );
  });

  it('fails asking for fetch-depth: 0 when origin cannot serve the history', async () => {
    const repo = seeded();
    repo.switch('feature', 'main');
    for (let i = 0; i < 3; i++) repo.write({ 'worker/src.txt': `f${i}\n` }).commit(`f${i}`);
    const head = repo.sha('HEAD');
    repo.push();
    repo.switch('main');
    for (let i = 0; i < 3; i++) repo.write({ 'api/src.txt': `m${i}\n` }).commit(`m${i}`);
    const base = repo.sha('HEAD');
    repo.push();
    const merge = repo.pullRequest(9, base, head);
    const ws = repo.checkout({ ref: 'refs/pull/9/merge', sha: merge, depth: 1 });

    // An origin that holds only the last two commits of each ref: deepening never gets
    // to the branch point.
    const shallowOrigin = `${repo.root}/shallow-origin.git`;
    git(repo.root, ['init', '--quiet', '--bare', shallowOrigin]);
    git(shallowOrigin, ['fetch', '--quiet', '--depth=2', repo.url, '+refs/*:refs/*']);
    git(ws, ['remote', 'set-url', 'origin', `file://${shallowOrigin}`]);

    const event = repo.pullRequestEvent({ number: 9, base, head });
    await expect(run(ws, event)).rejects.toThrow(
      /history for the merge-base of the pull request's base [0-9a-f]{7} and head [0-9a-f]{7} is not available: the clone is shallow and 4672 more commits from origin did not reach it; check out with `fetch-depth: 0`/,
    );
  });

  it('fails asking for fetch-depth: 0 when origin is unreachable', async () => {
    const repo = seeded();
    const before = repo.sha('HEAD');
    repo.write({ 'api/src.txt': '1\n' }).commit('api');
    const after = repo.write({ 'web/src.txt': '1\n' }).commit('web');
    repo.push();
    const ws = repo.checkout({ depth: 1 });
    git(ws, ['remote', 'set-url', 'origin', `file://${repo.root}/no-such-origin.git`]);

    await expect(run(ws, repo.pushEvent({ before, after }))).rejects.toThrow(
      /The parent of [0-9a-f]{7} [0-9a-f]{40} is not in the clone and could not be fetched from origin; check out with `fetch-depth: 0`/,
    );
  });
});
