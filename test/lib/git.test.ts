/** The git module against real repositories: NUL-separated output, lookups, errors. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Git, GitError, isSafeRevision, splitNul } from '../../src/lib/git.js';
import { parentsOf, parseObjectBatch, parseRawDiff } from '../../src/lib/git-output.js';
import { git as gitIn, isolateGit, RepoFixture } from '../support/git-repo.js';

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
  it('lists changed paths, both sides of a rename, and the changed trees at head', async () => {
    const changes = await git.changes(first, second);
    expect([...changes.paths].sort()).toEqual(
      ['a b/c d', 'new\nline/x', 'ünï/cödé', 'ünï/renamed'].sort(),
    );
    expect([...changes.trees.keys()].sort()).toEqual(['a b', 'new\nline', 'ünï'].sort());
    expect(changes.trees.get('ünï')).toBe(gitIn(repo.dev, ['rev-parse', `${second}:ünï`]));
  });

  it('looks objects up in one process, names with line breaks included', async () => {
    const before = git.calls.length;
    const names = [`${second}:a b/c d`, `${second}:new\nline/x`, `${second}:nope\nx`, second];
    const [blob, odd, missing, commit] = await git.objects(names, { content: true });
    expect(blob).toMatchObject({ type: 'blob', size: 2 });
    expect(blob!.content.toString()).toBe('2\n');
    expect(odd!.content.toString()).toBe('2\n');
    expect(missing).toBeNull();
    expect(commit).toMatchObject({ oid: second, type: 'commit' });
    const [tree] = await git.objects([`${second}:ünï`]);
    expect(tree).toMatchObject({ type: 'tree', content: Buffer.alloc(0) });
    expect(git.calls.length - before).toBe(2);
    expect(git.calls.at(-2)).toContain('-z');
    expect(git.calls.at(-1)).not.toContain('-z');
  });

  it('lists the trees inside directories, or every tree below them', async () => {
    const top = await git.listTrees(second, ['']);
    expect(top.map((e) => e.path).sort()).toEqual(
      ['-dash', 'a b', "it's", 'new\nline', 'q"uote', 'tab\there', 'ünï'].sort(),
    );
    expect(top.every((e) => e.type === 'tree' && /^[0-9a-f]{40}$/.test(e.oid))).toBe(true);
    expect(await git.listTrees(second, ['-dash'])).toEqual([]);
    const all = await git.listTrees(second, [''], { recursive: true });
    expect(all.map((e) => e.path).sort()).toEqual(top.map((e) => e.path).sort());
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
    const error = await git.changes('deadbeef', second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(
      /^git diff-tree -r -t -z .* deadbeef [0-9a-f]{40} failed \(exit 128\): .*deadbeef/,
    );
  });

  it('treats a revision that looks like an option as data', async () => {
    await expect(git.changes('--output=/tmp/pwned', second)).rejects.toThrow(GitError);
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
    expect(isSafeRevision('--output=x')).toBe(false);
    expect(isSafeRevision('HEAD~1')).toBe(true);
    expect(isSafeRevision('a b')).toBe(false);
  });

  it('splits NUL-separated output and reads the parents of a commit object', () => {
    expect(splitNul('a\0b c\0new\nline\0')).toEqual(['a', 'b c', 'new\nline']);
    expect(splitNul('')).toEqual([]);
    const body = 'tree t\nparent p1\nparent p2\nauthor x\n\nparent not-a-header\n';
    expect(parentsOf(Buffer.from(body))).toEqual(['p1', 'p2']);
  });

  it('parses object answers knowing the names, which git echoes when missing', () => {
    const oid = 'b'.repeat(40);
    const names = ['x:a\nb', `${oid}:f`];
    const out = Buffer.from(`x:a\nb missing\n${oid} blob 3\nhi\n\n`);
    const [missing, found] = parseObjectBatch(out, names, true);
    expect(missing).toBeNull();
    expect(found).toMatchObject({ oid, type: 'blob', size: 3 });
    expect(found!.content.toString()).toBe('hi\n');
    expect(() => parseObjectBatch(Buffer.from('garbage\n'), ['y'], false)).toThrow(
      /expected 1 answers, understood 0/,
    );
  });

  it('parses a raw diff with trees: files, and trees that exist at head', () => {
    const [a, b, z] = ['a'.repeat(40), 'b'.repeat(40), '0'.repeat(40)];
    const raw = [
      `:040000 040000 ${a} ${b} M`,
      'dir',
      `:100644 100644 ${a} ${b} M`,
      'dir/f',
      `:040000 000000 ${a} ${z} D`,
      'gone',
      `:100644 000000 ${a} ${z} D`,
      'gone/f',
      `:160000 160000 ${a} ${b} M`,
      'sub',
      '',
    ].join('\0');
    const changes = parseRawDiff(Buffer.from(raw));
    expect(changes.paths).toEqual(['dir/f', 'gone/f', 'sub']);
    expect([...changes.trees]).toEqual([['dir', b]]);
  });
});
