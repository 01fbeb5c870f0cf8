import { describe, expect, it } from 'vitest';
import {
  candidateDirectories,
  enclosingImageDirectory,
  mapChangedPaths,
  touchedDockerfiles,
} from '../../src/detect/mapping.js';
import { compareBytes, sortUnique } from '../../src/lib/names.js';
import { compilePatterns, patternReach } from '../../src/detect/patterns.js';

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

describe('patternReach', () => {
  it.each([
    // pattern, kind, start, depth
    ['*', 'depth', '', 1],
    ['airflow-*', 'depth', '', 1],
    ['images/*', 'depth', 'images', 2],
    ['./images/*/', 'depth', 'images', 2],
    ['*/svc-?', 'depth', '', 2],
    ['api', 'depth', 'api', 1],
    ['images/api', 'depth', 'images/api', 2],
    ['[x]', 'depth', '', 1],
    ['**', 'any', '', undefined],
    ['images/**', 'any', 'images', undefined],
    ['images/**/x', 'any', 'images', undefined],
    ['airflow-{api,worker}', 'any', '', undefined],
    ['a/@(b|c/d)', 'any', 'a', undefined],
    ['a[/]b', 'any', '', undefined],
  ])('%j reaches %s below %j', (pattern, kind, start, depth) => {
    const [reach] = patternReach([pattern]);
    expect(reach).toMatchObject({ kind, start, ...(depth === undefined ? {} : { depth }) });
  });

  it('leaves exclusions out, and matches prefixes level by level', () => {
    const reaches = patternReach(['*/svc-*', '!legacy/*']);
    expect(reaches).toHaveLength(1);
    const [reach] = reaches;
    if (reach?.kind !== 'depth') throw new Error('expected a depth');
    expect(reach.prefixes.map((m) => m('team'))).toEqual([true, false]);
    expect(reach.prefixes[0]!('.hidden')).toBe(false);
    expect(reach.prefixes[1]!('team/svc-a')).toBe(true);
  });
});

describe('candidateDirectories and touchedDockerfiles', () => {
  const matches = compilePatterns(['*', 'images/**']);

  it('are the matching directories that enclose a changed path, never the root', () => {
    expect(
      candidateDirectories(
        ['images/x/sub/deep/f', 'api/src/a b.go', 'README.md', 'docs/x/y', '.hidden/Dockerfile'],
        matches,
      ),
    ).toEqual(['api', 'docs', 'images', 'images/x', 'images/x/sub', 'images/x/sub/deep']);
  });

  it('finds the directories whose Dockerfile changed', () => {
    const changed = ['api/Dockerfile', 'Dockerfile', 'x/Dockerfile.old', 'docs/a/Dockerfile'];
    expect(touchedDockerfiles(changed, 'Dockerfile', matches)).toEqual(['api']);
    expect(
      touchedDockerfiles(['svc/docker/Dockerfile.prod'], 'docker/Dockerfile.prod', matches),
    ).toEqual(['svc']);
  });
});

describe('mapChangedPaths', () => {
  const matches = compilePatterns(['*', 'images/**']);
  const head = {
    imageDirectories: new Set(['api', 'images/x', 'images/x/sub']),
    existing: new Set(['api', 'images', 'images/x', 'images/x/sub', 'web']),
  };

  it('maps each path to its nearest enclosing image directory', () => {
    const dirs = head.imageDirectories;
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
