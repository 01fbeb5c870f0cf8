/** The pure version rule over many tag sets: what the old `sort -V | grep v` pipeline got wrong. */
import { describe, expect, it } from 'vitest';
import type { Bump } from '../../src/contract.js';
import { nextVersion, versionPrefix } from '../../src/versions/rule.js';

interface Case {
  name: string;
  tags: string[] | null;
  defaultVersion?: string;
  bump?: Bump;
  version: string;
  previous: string;
  ignored?: string[];
}

const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

const hundredsAscending = Array.from({ length: 150 }, (_, i) => `v1.0.${i}`);

const cases: Case[] = [
  // numeric, not lexical order
  {
    name: 'patch 10 beats patch 9',
    tags: ['v1.0.9', 'v1.0.10'],
    version: 'v1.0.11',
    previous: 'v1.0.10',
  },
  {
    name: 'minor 10 beats minor 9',
    tags: ['v1.10.0', 'v1.9.9'],
    version: 'v1.10.1',
    previous: 'v1.10.0',
  },
  {
    name: 'major 10 beats major 9',
    tags: ['v9.99.99', 'v10.0.0'],
    version: 'v10.0.1',
    previous: 'v10.0.0',
  },
  {
    name: 'order of the list does not matter',
    tags: ['v2.0.0', 'v1.0.0', 'v1.5.0'],
    version: 'v2.0.1',
    previous: 'v2.0.0',
  },
  // bumps
  {
    name: 'minor bump resets patch',
    tags: ['v1.4.7'],
    bump: 'minor',
    version: 'v1.5.0',
    previous: 'v1.4.7',
  },
  {
    name: 'major bump resets minor and patch',
    tags: ['v1.4.7'],
    bump: 'major',
    version: 'v2.0.0',
    previous: 'v1.4.7',
  },
  { name: 'patch bump from zero', tags: ['v0.0.0'], version: 'v0.0.1', previous: 'v0.0.0' },
  // prereleases and build metadata
  {
    name: 'a prerelease never wins over its release',
    tags: ['v1.0.0-rc1', 'v1.0.0'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
  },
  {
    name: 'a prerelease of a higher version is ignored, with a warning',
    tags: ['v1.2.9', 'v1.2.10-rc1'],
    version: 'v1.2.10',
    previous: 'v1.2.9',
    ignored: ['v1.2.10-rc1'],
  },
  {
    name: 'build metadata is not a candidate',
    tags: ['v1.0.0', 'v1.0.1+build.5'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['v1.0.1+build.5'],
  },
  // arch suffixes (the old pipeline read v3.4.5-amd64 as v3.4.565)
  {
    name: 'arch suffixes are ignored',
    tags: ['v3.4.5-amd64', 'v3.4.5-arm64', 'v3.4.5'],
    version: 'v3.4.6',
    previous: 'v3.4.5',
  },
  {
    name: 'only arch-suffixed tags: default-version, with a warning',
    tags: ['v3.4.5-amd64', 'v3.4.5-arm64'],
    version: 'v1.0.0',
    previous: '',
    ignored: ['v3.4.5-amd64', 'v3.4.5-arm64'],
  },
  // other prefixes and case
  {
    name: 'V1.2.3 is not v1.2.3',
    tags: ['v1.0.0', 'V2.0.0'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['V2.0.0'],
  },
  {
    name: 'v-less tags do not count for a v prefix',
    tags: ['1.5.0', 'v1.0.0'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['1.5.0'],
  },
  {
    name: 'a v-less default-version counts only v-less tags',
    tags: ['v9.0.0', '1.2.3', '1.2.4'],
    defaultVersion: '0.1.0',
    version: '1.2.5',
    previous: '1.2.4',
    ignored: ['v9.0.0'],
  },
  {
    name: 'a longer prefix',
    tags: ['release-1.0.0', 'release-1.1.0', 'v5.0.0'],
    defaultVersion: 'release-1.0.0',
    version: 'release-1.1.1',
    previous: 'release-1.1.0',
    ignored: ['v5.0.0'],
  },
  {
    name: 'a prefix with regular-expression characters is literal',
    tags: ['v.1.0.0', 'vx1.0.0', 'v.1.2.3'],
    defaultVersion: 'v.0.0.1',
    version: 'v.1.2.4',
    previous: 'v.1.2.3',
  },
  // two- and four-part tags
  {
    name: 'two-part tags are ignored',
    tags: ['v1.0.0', 'v2.0'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['v2.0'],
  },
  {
    name: 'four-part tags are ignored',
    tags: ['v1.0.0', 'v1.0.0.1', 'v1.2.3.4'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['v1.2.3.4'],
  },
  // leading zeros
  {
    name: 'leading zeros are not candidates',
    tags: ['v1.0.0', 'v01.0.0', 'v1.02.0', 'v1.0.03'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
    ignored: ['v1.02.0', 'v1.0.03'],
  },
  // tags that do not look like versions at all
  {
    name: 'sha- and branch tags are not versions',
    tags: ['sha-3f2a1b9', 'latest', 'main', 'pr-42', 'sha-12ab34.5', 'v1.0.0'],
    version: 'v1.0.1',
    previous: 'v1.0.0',
  },
  { name: 'only non-version tags', tags: ['latest', 'sha-abc'], version: 'v1.0.0', previous: '' },
  {
    name: 'the bare prefix is not a version',
    tags: ['v', 'v.', 'v..1', 'v1..0'],
    version: 'v1.0.0',
    previous: '',
  },
  // empty and missing
  { name: 'no tags', tags: [], version: 'v1.0.0', previous: '' },
  { name: 'repository does not exist', tags: null, version: 'v1.0.0', previous: '' },
  {
    name: 'a custom default-version',
    tags: null,
    defaultVersion: 'v0.1.0',
    version: 'v0.1.0',
    previous: '',
  },
  {
    name: 'tags below the default-version still win (the registry decides)',
    tags: ['v0.0.3'],
    defaultVersion: 'v1.0.0',
    version: 'v0.0.4',
    previous: 'v0.0.3',
  },
  // more than one page of tags, either order
  {
    name: '150 tags ascending',
    tags: hundredsAscending,
    version: 'v1.0.150',
    previous: 'v1.0.149',
  },
  {
    name: '150 tags descending',
    tags: [...hundredsAscending].reverse(),
    version: 'v1.0.150',
    previous: 'v1.0.149',
  },
  {
    name: '150 tags shuffled',
    tags: shuffled(hundredsAscending, 7),
    version: 'v1.0.150',
    previous: 'v1.0.149',
  },
  // beyond Number.MAX_SAFE_INTEGER (9007199254740991)
  {
    name: 'numbers beyond MAX_SAFE_INTEGER are compared and bumped exactly',
    tags: ['v1.0.9007199254740992', 'v1.0.9007199254740993'],
    version: 'v1.0.9007199254740994',
    previous: 'v1.0.9007199254740993',
  },
  {
    name: 'a huge major wins over a smaller one that a float would round to the same',
    tags: ['v18014398509481985.0.0', 'v18014398509481984.0.0'],
    bump: 'major',
    version: 'v18014398509481986.0.0',
    previous: 'v18014398509481985.0.0',
  },
  {
    name: 'patch rolls past 99…9 without losing digits',
    tags: ['v1.0.99999999999999999999'],
    version: 'v1.0.100000000000000000000',
    previous: 'v1.0.99999999999999999999',
  },
];

describe('nextVersion', () => {
  it.each(cases)('$name', (c) => {
    const decision = nextVersion(c.tags, c.defaultVersion ?? 'v1.0.0', c.bump ?? 'patch');
    expect(decision).toEqual({
      version: c.version,
      previous: c.previous,
      ignored: c.ignored ?? [],
    });
  });

  it('names ignored tags highest first', () => {
    const decision = nextVersion(
      ['v1.0.0', 'v1.0.5-rc1', 'v3.0', 'V2.0.0', 'v2.5.0-beta'],
      'v1.0.0',
      'patch',
    );
    expect(decision.ignored).toEqual(['v3.0', 'v2.5.0-beta', 'V2.0.0', 'v1.0.5-rc1']);
  });

  it('refuses a version too long to be a tag', () => {
    const huge = `v1.0.${'9'.repeat(123)}`;
    expect(huge.length).toBe(128);
    expect(() => nextVersion([huge], 'v1.0.0', 'patch')).toThrow(/more than a tag may hold/);
  });
});

describe('versionPrefix', () => {
  it.each([
    ['v1.0.0', 'v'],
    ['1.0.0', ''],
    ['release-0.1.0', 'release-'],
  ])('%s → %j', (defaultVersion, prefix) => {
    expect(versionPrefix(defaultVersion)).toBe(prefix);
  });

  it('rejects a default-version that is not <prefix>MAJOR.MINOR.PATCH', () => {
    expect(() => versionPrefix('v1.0')).toThrow(/default-version/);
  });
});
