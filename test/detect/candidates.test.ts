/**
 * Detection that asks git only about what the push touched, against real repositories: the
 * directories enclosing a changed path are looked up in one `cat-file`, and the tree is walked
 * only where a rule needs every image directory, level by level as the patterns reach. Every
 * answer is checked against an oracle that lists the whole tree, as detection used to.
 */
import { describe, expect, it } from 'vitest';
import { detect, type DetectInputs } from '../../src/detect/detect.js';
import { anyImageDirectory, imageDirectoriesAt } from '../../src/detect/image-directories.js';
import { compilePatterns, type ImageRule } from '../../src/detect/patterns.js';
import { Git } from '../../src/lib/git.js';
import { sortUnique } from '../../src/lib/names.js';
import { git, repoFixtures, RepoFixture } from '../support/git-repo.js';
import { detectInputs } from '../support/inputs.js';

const newFixture = repoFixtures();
/** The fixture made last: the repository `run` plans a push of. */
let latest: RepoFixture;

function fixture(): RepoFixture {
  latest = newFixture();
  return latest;
}

async function run(ws: string, before: string, after: string, overrides: Partial<DetectInputs>) {
  const g = new Git(ws);
  const found = await detect(detectInputs(overrides), ws, latest.pushEvent({ before, after }), g);
  return { ...found, calls: g.calls.map((c) => c.find((a) => !a.startsWith('-')) ?? '') };
}

const rule = (patterns: string[], dockerfile = 'Dockerfile'): ImageRule => ({
  patterns,
  matches: compilePatterns(patterns),
  dockerfile,
});

/** The old way: list every file of `rev` and keep the matching directories that hold the file. */
function oracle(ws: string, rev: string, r: ImageRule): string[] {
  const files = git(ws, ['ls-tree', '-r', '-z', '--name-only', rev]).split('\0');
  const suffix = `/${r.dockerfile}`;
  return sortUnique(
    files
      .filter((f) => f.endsWith(suffix) && f.length > suffix.length)
      .map((f) => f.slice(0, -suffix.length))
      .filter((d) => r.matches(d)),
  );
}

const df = 'FROM scratch\n';

describe('candidate directories of a push', () => {
  it('nested image directories: the nearest enclosing one that matches', async () => {
    const repo = fixture();
    repo.write({
      'images/x/Dockerfile': df,
      'images/x/a': '1',
      'images/x/sub/Dockerfile': df,
      'images/x/sub/deep/b': '1',
      'images/x/plain/c': '1',
    });
    const before = repo.commit('seed');
    repo.write({ 'images/x/sub/deep/b': '2', 'images/x/plain/c': '2' });
    const after = repo.commit('nested');
    repo.push();
    const ws = repo.checkout();

    const all = await run(ws, before, after, { patterns: ['**'] });
    expect(all.directories).toEqual(['images/x', 'images/x/sub']);
    expect(all.calls.sort()).toEqual(['cat-file', 'diff-tree']);
    // `images/*` does not reach images/x/sub: its change belongs to images/x.
    expect((await run(ws, before, after, { patterns: ['images/*'] })).directories).toEqual([
      'images/x',
    ]);
  });

  it('deleted directories and renames: the old side is gone, the new side is built', async () => {
    const repo = fixture();
    repo.write({ 'api/Dockerfile': df, 'api/main.go': '1', 'web/Dockerfile': df, 'web/i': '1' });
    const before = repo.commit('seed');
    repo.move('api', 'api-v2');
    repo.remove('web');
    const after = repo.commit('rename and delete');
    repo.push();
    const ws = repo.checkout();
    const found = await run(ws, before, after, {});
    expect(found.directories).toEqual(['api-v2']);
    expect(found.notices).toEqual([
      'Not built, no longer image directories at head: "api" (deleted), "web" (deleted).',
    ]);
    expect(found.warnings).toEqual([]);
  });

  it('a Dockerfile that appeared makes an image directory; one that vanished is named', async () => {
    const repo = fixture();
    repo.write({ 'tool/x': '1', 'svc/Dockerfile': df, 'svc/y': '1' });
    const before = repo.commit('seed');
    repo.write({ 'tool/Dockerfile': df }).remove('svc/Dockerfile');
    const after = repo.commit('swap');
    repo.push();
    const ws = repo.checkout();
    const found = await run(ws, before, after, {});
    expect(found.directories).toEqual(['tool']);
    expect(found.notices).toEqual([
      'Not built, no longer an image directory at head: "svc" (its Dockerfile was removed).',
    ]);
  });

  it('dot-directories only for patterns that spell the dot', async () => {
    const repo = fixture();
    repo.write({ '.devcontainer/Dockerfile': df, 'app/Dockerfile': df });
    const before = repo.commit('seed');
    repo.write({ '.devcontainer/Dockerfile': 'FROM scratch # 2\n', 'app/Dockerfile': 'FROM x\n' });
    const after = repo.commit('both');
    repo.push();
    const ws = repo.checkout();
    expect((await run(ws, before, after, {})).directories).toEqual(['app']);
    expect((await run(ws, before, after, { patterns: ['.*'] })).directories).toEqual([
      '.devcontainer',
    ]);
  });

  it('a custom Dockerfile path inside the directory', async () => {
    const repo = fixture();
    repo.write({ 'svc/docker/Dockerfile.prod': df, 'svc/a': '1', 'other/Dockerfile': df });
    const before = repo.commit('seed');
    repo.write({ 'svc/a': '2', 'other/x': '1' });
    const after = repo.commit('c');
    repo.push();
    const ws = repo.checkout();
    const found = await run(ws, before, after, { dockerfile: 'docker/Dockerfile.prod' });
    expect(found.directories).toEqual(['svc']);
  });

  it('warns, naming the patterns and the Dockerfile, when nothing at head matches', async () => {
    const repo = fixture();
    repo.write({ 'airflow-api/Dockerfile': df, 'airflow-api/a': '1' });
    const before = repo.commit('seed');
    const after = repo.write({ 'airflow-api/a': '2' }).commit('c');
    repo.push();
    const ws = repo.checkout();
    for (const patterns of [['airlfow-*'], ['**/airlfow-*']]) {
      const found = await run(ws, before, after, { patterns });
      expect(found.directories).toEqual([]);
      expect(found.warnings).toEqual([
        `No directory at ${after.slice(0, 7)} matches 'patterns' (${JSON.stringify(patterns[0])}) and holds "Dockerfile", so there is nothing to build. Check 'patterns' and 'dockerfile' for a typo.`,
      ]);
    }
    const typo = await run(ws, before, after, { dockerfile: 'Dockerfiel' });
    expect(typo.warnings[0]).toMatch(/holds "Dockerfiel"/);
    // Patterns that match, and a push that touched nothing of theirs: no warning.
    const docs = repo.write({ 'README.md': '1' }).commit('docs');
    repo.push();
    const quiet = await run(repo.checkout(), after, docs, {});
    expect(quiet).toMatchObject({ directories: [], warnings: [] });
  });
});

describe('image directories at a commit', () => {
  const repo = fixture();
  repo.write({
    Dockerfile: df,
    'api/Dockerfile': df,
    'web/Dockerfile': df,
    'web/sub/Dockerfile': df,
    'nodocker/a': '1',
    'images/x/Dockerfile': df,
    'images/y/Dockerfile': df,
    'images/y/deep/er/Dockerfile': df,
    'images/z/readme': '1',
    'teams/a/svc-1/Dockerfile': df,
    'teams/b/svc-2/Dockerfile': df,
    'teams/b/tool/Dockerfile': df,
    '.hidden/Dockerfile': df,
    'legacy-api/Dockerfile': df,
    'a b/Dockerfile': df,
    'new\nline/Dockerfile': df,
    'dir/Dockerfile/not-a-file': '1',
    'svc/docker/Dockerfile.prod': df,
  });
  const head = repo.commit('seed');
  repo.push();
  const ws = repo.checkout();

  it.each([
    [['*']],
    [['**']],
    [['images/*']],
    [['images/**']],
    [['*/*']],
    [['teams/*/svc-*']],
    [['teams/*/*', '!teams/b/tool']],
    [['*', '!legacy-*']],
    [['api', 'images/x', 'nope']],
    [['{api,web}', 'images/{x,y}']],
    [['.*']],
    [['new?line', 'a b']],
    [['images/*', 'images/**']],
  ])('%j: the same directories as listing the whole tree', async (patterns) => {
    const r = rule(patterns);
    const g = new Git(ws);
    const found = (await imageDirectoriesAt(g, head, r)).map((d) => d.directory);
    expect(found).toEqual(oracle(ws, head, r));
    expect(await anyImageDirectory(g, head, r)).toBe(found.length > 0);
  });

  it('a custom Dockerfile path, and the texts when asked', async () => {
    const r = rule(['*'], 'docker/Dockerfile.prod');
    const found = await imageDirectoriesAt(new Git(ws), head, r, { text: true });
    expect(found).toEqual([{ directory: 'svc', text: df }]);
  });

  it('asks git about the reachable directories only', async () => {
    const g = new Git(ws);
    await imageDirectoriesAt(g, head, rule(['images/*']));
    expect(g.calls).toHaveLength(2);
    expect(g.calls[0]).toEqual(expect.arrayContaining(['ls-tree', '--', 'images/']));
    expect(g.calls[0]).not.toContain('-r');
    const deeper = new Git(ws);
    await imageDirectoriesAt(deeper, head, rule(['teams/*/svc-*']));
    expect(deeper.calls.map((c) => c.slice(c.indexOf('--') + 1))).toEqual([
      ['teams/'],
      ['teams/a/', 'teams/b/'],
      expect.anything(),
    ]);
  });

  it('stops listing the whole tree at the first image directory', async () => {
    const g = new Git(ws);
    expect(await anyImageDirectory(g, head, rule(['**']))).toBe(true);
    expect(await anyImageDirectory(g, head, rule(['**/nothing-*']))).toBe(false);
    expect(g.calls.map((c) => c[0])).toEqual(['ls-tree', 'ls-tree']);
  });
});

describe('build-all and first pushes', () => {
  it('walk only what the patterns reach, with the answers of a full listing', async () => {
    const repo = fixture();
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`svc-${i}/Dockerfile`] = df;
    for (let i = 0; i < 30; i++) files[`svc-${i}/src/deep/file`] = `${i}`;
    files['lib/Dockerfile'] = df;
    repo.write(files);
    const head = repo.commit('seed');
    repo.push();
    const ws = repo.checkout();
    const g = new Git(ws);
    const found = await detect(
      detectInputs({ patterns: ['svc-*'], buildAll: true }),
      ws,
      repo.event('push', {}),
      g,
    );
    expect(found.directories).toEqual(oracle(ws, head, rule(['svc-*'])));
    expect(found.directories).toHaveLength(30);
    // The head's commit, the root's directories, their Dockerfiles: nothing lists every file.
    expect(g.calls.map((c) => c.find((a) => !a.startsWith('-')))).toEqual([
      'cat-file',
      'ls-tree',
      'cat-file',
    ]);
    expect(g.calls.some((c) => c.includes('-r'))).toBe(false);
  });
});
