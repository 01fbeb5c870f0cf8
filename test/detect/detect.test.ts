/**
 * Change detection against real git: a bare origin, commits pushed from a dev clone, fresh
 * checkouts made the way actions/checkout makes them, and events read from JSON payloads.
 * Shallow clones are in detect-shallow.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect, type DetectInputs } from '../../src/detect/detect.js';
import type { GitHubEvent } from '../../src/detect/event.js';
import { Git } from '../../src/lib/git.js';
import { repoFixtures, RepoFixture, ZERO_SHA } from '../support/git-repo.js';
import { detectInputs } from '../support/inputs.js';

const fixture = repoFixtures();

const inputs = detectInputs;

async function run(
  workspace: string,
  event: GitHubEvent,
  overrides: Partial<DetectInputs> = {},
): Promise<Awaited<ReturnType<typeof detect>> & { calls: string[][] }> {
  const git = new Git(workspace);
  const detection = await detect(inputs(overrides), workspace, event, git);
  return { ...detection, calls: git.calls };
}

const image = (dir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  [`${dir}/Dockerfile`]: 'FROM scratch\n',
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`${dir}/${k}`, v])),
});

/** A repository with a few image directories on main, pushed; returns the first commit. */
function seeded(): { repo: RepoFixture; first: string } {
  const repo = fixture();
  repo.write({
    ...image('api', { 'main.go': 'package main\n' }),
    ...image('web', { 'index.html': '<p>\n' }),
    ...image('worker', { 'app.py': 'print()\n' }),
    'README.md': 'hello\n',
    'docs/guide.md': 'guide\n',
  });
  const first = repo.commit('seed');
  repo.push();
  return { repo, first };
}

describe('push', () => {
  it('compares before..after: every commit of the push, not only the last', async () => {
    const { repo, first } = seeded();
    repo.write({ 'api/main.go': 'package main // 1\n' }).commit('api');
    repo.write({ 'web/index.html': '<p>2\n' }).commit('web');
    const after = repo.write({ 'README.md': 'only docs\n' }).commit('docs');
    repo.push();
    const ws = repo.checkout();

    const result = await run(ws, repo.pushEvent({ before: first, after, commits: 3 }));
    expect(result.directories).toEqual(['api', 'web']);
    expect(result.description).toBe(
      `push ${first.slice(0, 7)}..${after.slice(0, 7)} (3 commits), 3 changed paths`,
    );
    expect(result.notices).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('uses one diff and one lookup, whatever the number of directories', async () => {
    const repo = fixture();
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) Object.assign(files, image(`svc-${i}`, { 'a.txt': `${i}\n` }));
    repo.write(files);
    const before = repo.commit('seed');
    for (let i = 0; i < 60; i += 3) repo.write({ [`svc-${i}/a.txt`]: 'changed\n' });
    const after = repo.commit('many');
    repo.push();
    const ws = repo.checkout();

    const result = await run(ws, repo.pushEvent({ before, after }));
    expect(result.directories).toHaveLength(20);
    // One diff of the range, one lookup of the directories that enclose a changed path.
    expect(result.calls.map((c) => c[0]).sort()).toEqual(['cat-file', 'diff-tree']);
  });

  it('treats file names as data: spaces, quotes, newlines, non-ASCII, regex characters', async () => {
    const repo = fixture();
    const names = ['with space', 'quote"d', "it's", 'new\nline', 'ünïcödé', 'a+b', '[x]', '-dash'];
    repo.write(Object.assign({}, ...names.map((n) => image(n, { 'f e\tx': '1\n' }))));
    const before = repo.commit('seed');
    repo.write(Object.assign({}, ...names.map((n) => ({ [`${n}/f e\tx`]: '2\n' }))));
    repo.write({
      'aab/Dockerfile': 'FROM scratch\n',
      'aab/x': '1\n',
      'x/Dockerfile': 'FROM scratch\n',
    });
    const after = repo.commit('all');
    repo.push();
    const ws = repo.checkout();
    const event = repo.pushEvent({ before, after });

    const all = await run(ws, event);
    expect(all.directories).toEqual([
      '-dash',
      '[x]',
      'a+b',
      'aab',
      "it's",
      'new\nline',
      'quote"d',
      'with space',
      'x',
      'ünïcödé',
    ]);
    expect((await run(ws, event, { patterns: ['a+b'] })).directories).toEqual(['a+b']);
    expect((await run(ws, event, { patterns: ['\\[x\\]'] })).directories).toEqual(['[x]']);
    expect((await run(ws, event, { patterns: ['new?line', 'ü*'] })).directories).toEqual([
      'new\nline',
      'ünïcödé',
    ]);
  });

  it('maps nested paths to the nearest enclosing matching directory; * does not cross /', async () => {
    const repo = fixture();
    repo.write({
      ...image('images/x', { 'a.txt': '1\n' }),
      ...image('images/x/sub', { 'deep/b.txt': '1\n' }),
      ...image('top', { 'deep/er/c.txt': '1\n' }),
    });
    const before = repo.commit('seed');
    repo.write({ 'images/x/sub/deep/b.txt': '2\n', 'top/deep/er/c.txt': '2\n' });
    const after = repo.commit('nested');
    repo.push();
    const ws = repo.checkout();
    const event = repo.pushEvent({ before, after });

    expect((await run(ws, event)).directories).toEqual(['top']);
    expect((await run(ws, event, { patterns: ['**'] })).directories).toEqual([
      'images/x/sub',
      'top',
    ]);
    // images/x/sub does not match `images/*`: its change belongs to images/x.
    expect((await run(ws, event, { patterns: ['images/*'] })).directories).toEqual(['images/x']);
  });

  it('counts both sides of a rename', async () => {
    const { repo, first } = seeded();
    repo.move('api/main.go', 'web/main.go');
    const after = repo.commit('move a file between images');
    repo.push();
    const ws = repo.checkout();
    expect((await run(ws, repo.pushEvent({ before: first, after }))).directories).toEqual([
      'api',
      'web',
    ]);
  });

  it('does not build a renamed-away or deleted directory and names it in a notice', async () => {
    const { repo, first } = seeded();
    repo.move('api', 'api-v2'); // renamed directory: api is gone, api-v2 is new
    repo.remove('web/Dockerfile'); // web stays, without its Dockerfile
    repo.remove('worker/app.py'); // a deletion inside an image directory
    const after = repo.commit('reshape');
    repo.push();
    const ws = repo.checkout();

    const result = await run(ws, repo.pushEvent({ before: first, after }));
    expect(result.directories).toEqual(['api-v2', 'worker']);
    expect(result.notices).toEqual([
      'Not built, no longer image directories at head: "api" (deleted), "web" (its Dockerfile was removed).',
    ]);
  });

  it('finds image directories by a custom dockerfile path', async () => {
    const repo = fixture();
    repo.write({
      'svc/docker/Dockerfile.prod': 'FROM scratch\n',
      'svc/app.py': '1\n',
      'plain/Dockerfile': 'FROM scratch\n',
      'plain/app.py': '1\n',
    });
    const before = repo.commit('seed');
    repo.write({ 'svc/app.py': '2\n', 'plain/app.py': '2\n' });
    const after = repo.commit('both');
    repo.push();
    const ws = repo.checkout();
    const result = await run(ws, repo.pushEvent({ before, after }), {
      dockerfile: 'docker/Dockerfile.prod',
    });
    expect(result.directories).toEqual(['svc']);
  });

  it('new branch: compares with the merge-base of the default branch', async () => {
    const { repo } = seeded();
    repo.switch('feature', 'main');
    repo.write({ 'worker/app.py': 'feature\n' }).commit('feature work');
    const after = repo.write({ 'docs/guide.md': 'more\n' }).commit('docs');
    repo.push();
    // main moves on after the branch point; its changes are not the feature's.
    repo.switch('main').write({ 'api/main.go': 'main moved\n' }).commit('main');
    repo.push();
    const ws = repo.checkout({ ref: 'refs/heads/feature', sha: after });

    const result = await run(
      ws,
      repo.pushEvent({ before: ZERO_SHA, after, ref: 'refs/heads/feature' }),
    );
    expect(result.directories).toEqual(['worker']);
    expect(result.description).toMatch(
      /^push of new ref refs\/heads\/feature: merge-base with main /,
    );
  });

  it('new branch in a single-branch checkout fetches the default branch from origin', async () => {
    const { repo } = seeded();
    repo.switch('feature', 'main');
    const after = repo.write({ 'web/index.html': 'feature\n' }).commit('feature');
    repo.push();
    const ws = repo.checkout({ ref: 'refs/heads/feature', sha: after, singleRef: true });
    const result = await run(
      ws,
      repo.pushEvent({ before: ZERO_SHA, after, ref: 'refs/heads/feature' }),
    );
    expect(result.directories).toEqual(['web']);
    expect(result.calls.some((c) => c[0] === 'fetch')).toBe(true);
  });

  it('new branch without common history (orphan) counts every matching directory', async () => {
    const { repo } = seeded();
    repo.orphan('gh-pages').write({ ...image('site'), ...image('docs-img'), 'x.txt': '1\n' });
    const after = repo.commit('orphan');
    repo.push();
    const ws = repo.checkout({ ref: 'refs/heads/gh-pages', sha: after });
    const result = await run(
      ws,
      repo.pushEvent({ before: ZERO_SHA, after, ref: 'refs/heads/gh-pages' }),
    );
    expect(result.directories).toEqual(['docs-img', 'site']);
    expect(result.description).toMatch(/no common history with main/);
  });

  it('first push of the default branch counts every matching directory', async () => {
    const repo = fixture();
    repo.write({ ...image('a'), ...image('b'), ...image('nested/c') });
    repo.commit('one');
    const after = repo.write({ 'a/x': '1\n' }).commit('two');
    repo.push();
    const ws = repo.checkout();
    const result = await run(ws, repo.pushEvent({ before: ZERO_SHA, after }));
    expect(result.directories).toEqual(['a', 'b']);
    expect(result.description).toMatch(/first push of the default branch/);
  });

  it('a push that deletes its ref builds nothing', async () => {
    const { repo, first } = seeded();
    const ws = repo.checkout();
    const result = await run(
      ws,
      repo.pushEvent({ before: first, after: ZERO_SHA, ref: 'refs/heads/gone' }),
    );
    expect(result.directories).toEqual([]);
    expect(result.description).toBe('push deleted refs/heads/gone: nothing to build');
  });

  it('force push: fetches a before that origin still has', async () => {
    const { repo, first } = seeded();
    repo.write({ 'api/main.go': 'old\n' });
    const old = repo.commit('to be rewritten');
    repo.push();
    repo.reset(first);
    const after = repo.write({ 'web/index.html': 'new\n' }).commit('rewritten');
    repo.push(undefined, { force: true });
    const ws = repo.checkout(); // has main's history only, not `old`
    expect(repo.originHas(old)).toBe(true);

    const result = await run(ws, repo.pushEvent({ before: old, after, forced: true }));
    // The trees of old and after differ in api (reverted) and web (new).
    expect(result.directories).toEqual(['api', 'web']);
    expect(result.warnings).toEqual([]);
    expect(result.calls.some((c) => c[0] === 'fetch')).toBe(true);
  });

  it('force push: falls back to HEAD^..HEAD with a warning when before is gone', async () => {
    const { repo, first } = seeded();
    repo.write({ 'api/main.go': 'old\n' });
    const old = repo.commit('to be rewritten');
    repo.push();
    repo.reset(first);
    repo.write({ 'worker/app.py': 'new\n' }).commit('rewritten 1');
    const after = repo.write({ 'web/index.html': 'new\n' }).commit('rewritten 2');
    repo.push(undefined, { force: true });
    repo.pruneOrigin();
    expect(repo.originHas(old)).toBe(false);
    const ws = repo.checkout();

    const result = await run(ws, repo.pushEvent({ before: old, after, forced: true }));
    expect(result.directories).toEqual(['web']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      new RegExp(
        `'before' commit ${old.slice(0, 7)} is not in the history \\(force push\\).*HEAD\\^\\.\\.HEAD`,
      ),
    );
  });
});

describe('pull_request', () => {
  for (const name of ['pull_request', 'pull_request_target'] as const) {
    it(`${name}: merge-base of base and head..head, also when the base moved on`, async () => {
      const { repo } = seeded();
      const branchPoint = repo.sha('HEAD');
      repo.switch('feature', 'main');
      repo.write({ 'worker/app.py': 'feature\n' }).commit('f1');
      const head = repo.write({ 'README.md': 'feature docs\n' }).commit('f2');
      repo.push();
      repo.switch('main').write({ 'api/main.go': 'base moved\n' });
      const base = repo.commit('main moves on');
      repo.push();
      const merge = repo.pullRequest(7, base, head);
      const ws = repo.checkout({ ref: 'refs/pull/7/merge', sha: merge });

      const result = await run(ws, repo.pullRequestEvent({ number: 7, base, head, name }));
      expect(result.directories).toEqual(['worker']);
      expect(result.calls.map((c) => c[0]).sort()).toEqual([
        'cat-file',
        'cat-file',
        'diff-tree',
        'merge-base',
      ]);
      expect(result.description).toBe(
        `${name} #7: merge-base ${branchPoint.slice(0, 7)}..head ${head.slice(0, 7)} (base ${base.slice(0, 7)}), 2 changed paths`,
      );
    });
  }
});

describe('other events and explicit revisions', () => {
  it('compares HEAD^..HEAD for any other event', async () => {
    const { repo } = seeded();
    repo.write({ 'api/main.go': '1\n' }).commit('api');
    repo.write({ 'web/index.html': '2\n' }).commit('web');
    repo.push();
    const ws = repo.checkout();
    const result = await run(ws, repo.event('workflow_dispatch', {}));
    expect(result.directories).toEqual(['web']);
    expect(result.description).toMatch(
      /^workflow_dispatch: HEAD\^\.\.HEAD \([0-9a-f]{7}\.\.[0-9a-f]{7}\)/,
    );
  });

  it('a root commit counts every file as changed', async () => {
    const { repo } = seeded();
    const ws = repo.checkout();
    const result = await run(ws, repo.event('schedule', {}));
    expect(result.directories).toEqual(['api', 'web', 'worker']);
    expect(result.description).toMatch(/is a root commit, every file counts as changed/);
  });

  it('compares explicit base and head, fetching names origin has', async () => {
    const { repo, first } = seeded();
    repo.write({ 'api/main.go': '1\n' }).commit('api');
    const mid = repo.write({ 'web/index.html': '2\n' }).commit('web');
    repo.write({ 'worker/app.py': '3\n' }).commit('worker');
    repo.push();
    repo.push(`${mid}:refs/heads/release`);
    const ws = repo.checkout();
    const event = repo.event('push', {});

    expect((await run(ws, event, { base: first, head: mid })).directories).toEqual(['api', 'web']);
    expect((await run(ws, event, { base: 'HEAD~1' })).directories).toEqual(['worker']);
    // Not a local name (the checkout has origin/release): fetched from origin.
    expect((await run(ws, event, { base: 'release' })).directories).toEqual(['worker']);
    // `head` alone: its parent..head.
    expect((await run(ws, event, { head: 'HEAD~1' })).directories).toEqual(['web']);
  });

  it('fails with a message naming the input and the revision that does not exist', async () => {
    const { repo } = seeded();
    const ws = repo.checkout();
    const event = repo.event('push', {});
    await expect(run(ws, event, { base: 'no-such-branch' })).rejects.toThrow(
      `Input 'base': revision "no-such-branch" does not exist in the repository, nor on origin`,
    );
    await expect(run(ws, event, { base: 'HEAD', head: 'deadbeef' })).rejects.toThrow(
      `Input 'head': revision "deadbeef" does not exist`,
    );
    await expect(run(ws, event, { base: '--upload-pack=touch /tmp/x' })).rejects.toThrow(
      `Input 'base': "--upload-pack=touch /tmp/x" is not a git revision`,
    );
  });

  it('fails on a bad pattern before running git', async () => {
    const { repo } = seeded();
    const ws = repo.checkout();
    await expect(run(ws, repo.event('push', {}), { patterns: ['airflow-{api'] })).rejects.toThrow(
      /^Input 'patterns': "airflow-\{api" is not a valid glob/,
    );
  });

  it('fails when the workspace is not a git repository', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'not-git-'));
    try {
      await expect(run(dir, { name: 'push', payload: {} })).rejects.toThrow(
        /is not a git repository; check the repository out/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('build-all and directories', () => {
  it('build-all: every matching directory that holds the Dockerfile at head', async () => {
    const { repo, first } = seeded();
    repo.write({ ...image('images/deep'), 'nodocker/x': '1\n' }).commit('more');
    repo.push();
    const ws = repo.checkout();
    const event = repo.pushEvent({ before: first, after: repo.sha('HEAD') });
    const all = await run(ws, event, { buildAll: true });
    expect(all.directories).toEqual(['api', 'web', 'worker']);
    expect(all.description).toMatch(/^build-all: every matching directory at [0-9a-f]{7}$/);
    expect((await run(ws, event, { buildAll: true, patterns: ['**'] })).directories).toEqual([
      'api',
      'images/deep',
      'web',
      'worker',
    ]);
    expect(
      (await run(ws, event, { buildAll: true, head: first, patterns: ['**'] })).directories,
    ).toEqual(['api', 'web', 'worker']);
  });

  it('directories: no detection, sorted, each checked in the workspace', async () => {
    const { repo } = seeded();
    const ws = repo.checkout();
    const result = await run(ws, repo.event('push', {}), { directories: ['worker', 'api'] });
    expect(result).toMatchObject({
      directories: ['api', 'worker'],
      description: "'directories' input: 2 directories, no change detection",
      calls: [],
    });
  });

  it('directories: fails naming each directory that is missing or lacks the Dockerfile', async () => {
    const { repo } = seeded();
    const ws = repo.checkout();
    await expect(
      run(ws, repo.event('push', {}), { directories: ['api', 'docs', 'nope', 'README.md'] }),
    ).rejects.toThrow(
      `Input 'directories': "docs" holds no Dockerfile; "nope" does not exist in the workspace; "README.md" is not a directory.`,
    );
    await expect(
      run(ws, repo.event('push', {}), {
        directories: ['api'],
        dockerfile: 'docker/Dockerfile.prod',
      }),
    ).rejects.toThrow(`"api" holds no docker/Dockerfile.prod`);
  });
});
