import { describe, expect, it } from 'vitest';
import {
  enclosingImageDirectory,
  findImageDirectories,
  mapChangedPaths,
  TreeListing,
} from '../../src/detect/mapping.js';
import { compareBytes, sortUnique } from '../../src/lib/names.js';
import { compilePatterns } from '../../src/detect/patterns.js';

describe('compilePatterns', () => {
  it.each([
    // pattern, directory, matches
    ['*', 'airflow-api', true],
    ['*', 'images/api', false], // `*` does not cross `/`
    ['**', 'images/api', true],
    ['**', 'images/api/sub', true],
    ['images/*', 'images/api', true],
    ['images/*', 'images/api/sub', false],
    ['images/**', 'images/api/sub', true],
    ['**/api', 'images/api', true],
    ['**/api', 'api', true],
    ['airflow-*', 'airflow-api', true],
    ['airflow-*', 'airflow', false],
    ['airflow-{api,worker}', 'airflow-worker', true],
    ['airflow-{api,worker}', 'airflow-web', false],
    ['svc-[ab]', 'svc-b', true],
    ['svc-[ab]', 'svc-c', false],
    ['svc-?', 'svc-é', true],
    // Characters that mean something in regular expressions are literal.
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['a+b', 'ab', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['a$b', 'a$b', true],
    ['a^b', 'a^b', true],
    ['a|b', 'a|b', true],
    ['a|b', 'a', false],
    // A bracket pattern is a class, yet a pattern equal to the name matches it too.
    ['[x]', 'x', true],
    ['[x]', '[x]', true],
    ['\\[x\\]', '[x]', true],
    ['\\[x\\]', 'x', false],
    ['*', 'a+b', true],
    ['*', '[x]', true],
    ['*', 'with space', true],
    ['*', 'quote"d', true],
    ['*', 'new\nline', true],
    ['*', 'ünïcödé', true],
    // Dot directories only by a pattern that spells the dot.
    ['*', '.devcontainer', false],
    ['.*', '.devcontainer', true],
    ['.devcontainer', '.devcontainer', true],
    // Leading `./` and trailing `/` are ignored; matching is case-sensitive.
    ['./images/*/', 'images/api', true],
    ['Airflow-*', 'airflow-api', false],
  ])('%j on %j → %s', (pattern, directory, expected) => {
    expect(compilePatterns([pattern])(directory)).toBe(expected);
  });

  it('matches a directory that matches any pattern', () => {
    const matches = compilePatterns(['airflow-*', 'images/**']);
    expect(['airflow-api', 'images/x/y', 'other'].map(matches)).toEqual([true, true, false]);
  });

  it('excludes directories matched by a pattern that starts with !', () => {
    const matches = compilePatterns(['*', '!legacy-*', '!(nope)']);
    expect(matches('api')).toBe(true);
    expect(matches('legacy-api')).toBe(false);
  });

  it.each([
    ['airflow-{api', /"airflow-\{api" is not a valid glob: .*closing: "\}"/],
    ['svc-[ab', /"svc-\[ab" is not a valid glob: .*closing: "\]"/],
    ['@(a|b', /"@\(a\|b" is not a valid glob: .*closing: "\)"/],
    ['./', /"\.\/" matches no directory/],
    ['!x', /only excludes/],
  ])('rejects %j with a message naming it', (pattern, message) => {
    expect(() => compilePatterns([pattern])).toThrow(message);
    expect(() => compilePatterns([pattern])).toThrow(/^Input 'patterns': /);
  });
});

describe('sortUnique', () => {
  it('sorts by UTF-8 bytes and drops duplicates', () => {
    // By UTF-16 code units U+FF21 would sort after U+1F600's surrogates; by bytes it is first.
    const items = ['b', 'a', 'Z', 'a', 'é', '\u{1F600}', '\uFF21', 'a b', 'a+b'];
    expect(sortUnique(items)).toEqual(['Z', 'a', 'a b', 'a+b', 'b', 'é', '\uFF21', '\u{1F600}']);
    expect(compareBytes('\uFF21', '\u{1F600}')).toBeLessThan(0);
  });
});

describe('findImageDirectories', () => {
  const files = TreeListing.of([
    'Dockerfile', // the root is never an image directory
    'api/Dockerfile',
    'api/src/main.go',
    'images/x/Dockerfile',
    'images/x/sub/Dockerfile',
    'docs/README.md',
    'prod/docker/Dockerfile.prod',
    'notadockerfile/XDockerfile',
    'a/Dockerfile/not-at-the-end',
  ]);

  it('finds matching directories that hold the Dockerfile', () => {
    expect(sortUnique(findImageDirectories(files, 'Dockerfile', compilePatterns(['*'])))).toEqual([
      'api',
    ]);
    expect(sortUnique(findImageDirectories(files, 'Dockerfile', compilePatterns(['**'])))).toEqual([
      'api',
      'images/x',
      'images/x/sub',
    ]);
  });

  it('uses a custom dockerfile path', () => {
    expect(
      sortUnique(findImageDirectories(files, 'docker/Dockerfile.prod', compilePatterns(['*']))),
    ).toEqual(['prod']);
  });
});

describe('TreeListing', () => {
  const listing = TreeListing.of([
    'x/Dockerfile',
    'new\nline/Dockerfile',
    'ünï/Dockerfile',
    'a b/c/Dockerfile',
    'Dockerfile',
    'keep/file',
  ]);

  it('finds the directories holding a file, decoding only those entries', () => {
    expect(listing.directoriesHolding('Dockerfile')).toEqual(['x', 'new\nline', 'ünï', 'a b/c']);
    expect(listing.directoriesHolding('file')).toEqual(['keep']);
    expect(TreeListing.of([]).directoriesHolding('Dockerfile')).toEqual([]);
  });

  it('tells whether a directory has entries', () => {
    expect(listing.hasEntryUnder('x')).toBe(true);
    expect(listing.hasEntryUnder('a b')).toBe(true);
    expect(listing.hasEntryUnder('a')).toBe(false);
    expect(listing.hasEntryUnder('keep')).toBe(true);
    expect(listing.hasEntryUnder('kee')).toBe(false);
  });

  it('decodes every path', () => {
    expect(listing.paths()).toHaveLength(6);
    expect(TreeListing.of([]).paths()).toEqual([]);
  });
});

describe('mapChangedPaths', () => {
  const head = TreeListing.of([
    'api/Dockerfile',
    'api/src/a b.go',
    'images/x/Dockerfile',
    'images/x/sub/Dockerfile',
    'images/x/sub/deep/f',
    'web/index.html', // web lost its Dockerfile
  ]);
  const matches = compilePatterns(['*', 'images/**']);
  const dirs = findImageDirectories(head, 'Dockerfile', matches);

  it('maps each path to its nearest enclosing image directory', () => {
    expect(enclosingImageDirectory('images/x/sub/deep/f', dirs)).toBe('images/x/sub');
    expect(enclosingImageDirectory('images/x/other', dirs)).toBe('images/x');
    expect(enclosingImageDirectory('README.md', dirs)).toBeUndefined();
    expect(enclosingImageDirectory('api', dirs)).toBeUndefined();
  });

  it('collects directories sorted and names the ones that are gone', () => {
    const mapping = mapChangedPaths(
      [
        'images/x/sub/deep/f',
        'api/src/a b.go',
        'api/Dockerfile',
        'README.md',
        'web/Dockerfile', // removed: web is left without its Dockerfile
        'old/Dockerfile', // removed with everything else in old/
        'old/app.py',
        'docs/x/Dockerfile', // docs/x does not match the patterns: not named
      ],
      head,
      dirs,
      'Dockerfile',
      matches,
    );
    expect(mapping.directories).toEqual(['api', 'images/x/sub']);
    expect(mapping.gone).toEqual([
      { directory: 'old', reason: 'deleted' },
      { directory: 'web', reason: 'lost-dockerfile' },
    ]);
  });
});
