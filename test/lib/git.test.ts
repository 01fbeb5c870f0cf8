/** The git module against real repositories: NUL-separated output, lookups, errors. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Git, GitError, isSafeRevision, parseCatFileBatch, splitNul } from '../../src/lib/git.js';
import { TreeListing } from '../../src/detect/mapping.js';
import { isolateGit, RepoFixture } from '../support/git-repo.js';

const home = isolateGit();
const repo = RepoFixture.create();
afterAll(() => {
  repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

const odd = ['a b/c d', 'q"uote/x', "it's/x", 'new\nline/x', 'tab\there/x', 'ünï/cödé', '-dash/x'];
repo.write(Object.fromEntries(odd.map((p) => [p, '1\n'])));
const first = repo.commit('first');
repo.write({ 'a b/c d': '2\n', 'new\nline/x': '2\n' });
repo.move('ünï/cödé', 'ünï/renamed');
const second = repo.commit('second');
const git = new Git(repo.dev);

describe('Git', () => {
  it('lists every file of a commit, names as data', async () => {
    const listing = await git.listTree(first);
    expect(listing.at(-1)).toBe(0);
    expect(new TreeListing(listing).paths().sort()).toEqual([...odd].sort());
  });

  it('lists changed paths, both sides of a rename', async () => {
    expect((await git.changedPaths(first, second)).sort()).toEqual(
      ['a b/c d', 'new\nline/x', 'ünï/cödé', 'ünï/renamed'].sort(),
    );
  });

  it('resolves revisions in one process, with the parents written in each commit', async () => {
    const before = git.calls.length;
    const [a, b, missing, blob] = await git.commits(['HEAD', 'HEAD~1', 'no-such', 'HEAD:a b']);
    expect(a).toEqual({ oid: second, parents: [first] });
    expect(b).toEqual({ oid: first, parents: [] });
    expect(missing).toBeNull();
    expect(blob).toBeNull();
    expect(git.calls.length - before).toBe(1);
  });

  it('answers merge-base, null for unrelated histories', async () => {
    expect(await git.mergeBase(first, second)).toBe(first);
    repo.orphan('lonely').write({ x: '1' });
    const lonely = repo.commit('lonely');
    repo.switch('main');
    expect(await git.mergeBase(lonely, second)).toBeNull();
  });

  it('fails with the command and what git said', async () => {
    const error = await git.changedPaths('deadbeef', second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(
      /^git diff-tree -r -z --name-only .* deadbeef [0-9a-f]{40} failed \(exit 128\): .*deadbeef/,
    );
  });

  it('treats a revision that looks like an option as data', async () => {
    await expect(git.changedPaths('--output=/tmp/pwned', second)).rejects.toThrow(GitError);
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
    expect(isSafeRevision('--output=x')).toBe(false);
    expect(isSafeRevision('HEAD~1')).toBe(true);
    expect(isSafeRevision('a b')).toBe(false);
  });

  it('splits NUL-separated output and parses cat-file answers', () => {
    expect(splitNul('a\0b c\0new\nline\0')).toEqual(['a', 'b c', 'new\nline']);
    expect(splitNul('')).toEqual([]);
    const body = 'tree t\nparent p1\nparent p2\nauthor x\n\nparent not-a-header\n';
    const oid = 'a'.repeat(40);
    const out = Buffer.from(`x missing\n${oid} commit ${body.length}\n${body}\n`);
    expect(parseCatFileBatch(out, 2)).toEqual([null, { oid, parents: ['p1', 'p2'] }]);
  });
});
