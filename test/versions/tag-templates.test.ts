import { describe, expect, it } from 'vitest';
import {
  branchOf,
  branchTag,
  checkTagTemplate,
  imageTags,
  renderTag,
  renderTags,
} from '../../src/versions/tag-templates.js';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('tag templates', () => {
  it.each([
    ['{{prefix}}{{major}}', 'v2'],
    ['{{prefix}}{{major}}.{{minor}}', 'v2.3'],
    ['sha-{{sha}}', 'sha-0123456'],
    ['{{ branch }}-{{patch}}', 'feature-x-5'],
    ['{{version}}-amd64', 'v2.3.5-amd64'],
    ['stable', 'stable'],
  ])('%s renders to %s', (template, tag) => {
    expect(renderTag(template, { version: 'v2.3.5', sha, branch: 'feature/x' })).toBe(tag);
  });

  it('renders the fields of a version without prefix', () => {
    expect(renderTag('{{prefix}}{{major}}', { version: '1.2.3', sha, branch: '' })).toBe('1');
  });

  it('makes a branch a valid tag', () => {
    expect(branchTag('refs/heads/feat/ä b..c')).toBe('feat-b..c');
    expect(branchTag('-x')).toBe('x');
    expect(branchTag('a'.repeat(200))).toHaveLength(128);
  });

  it.each([
    ['{{version}}', /an exact version/],
    ['{{prefix}}{{major}}.{{minor}}.{{patch}}', /an exact version/],
    ['latest', /'latest'/],
    ['{{nope}}', /is not a template field/],
    ['-{{sha}}', /not a valid tag/],
  ])('rejects %s before anything runs', (template, problem) => {
    expect(checkTagTemplate(template, 'v')).toMatch(problem);
  });

  it('accepts the usual moving tags', () => {
    for (const t of ['{{prefix}}{{major}}', '{{prefix}}{{major}}.{{minor}}', 'sha-{{sha}}']) {
      expect(checkTagTemplate(t, 'v')).toBeUndefined();
    }
  });

  it('lists the version, latest, then the rendered tags, without duplicates', () => {
    expect(
      imageTags('v2.3.5', true, ['{{prefix}}{{major}}', 'sha-{{sha}}', '{{prefix}}{{major}}'], {
        sha,
        branch: 'main',
      }),
    ).toEqual(['v2.3.5', 'latest', 'v2', 'sha-0123456']);
    expect(imageTags('v1.0.0', false, [], { sha: '', branch: '' })).toEqual(['v1.0.0']);
  });

  it('fails a template whose value is not known, naming it', () => {
    expect(() => renderTags(['sha-{{sha}}'], { version: 'v1.0.0', sha: '', branch: '' })).toThrow(
      /"sha-\{\{sha\}\}" uses \{\{sha\}\}, but the head commit is not known/,
    );
    expect(() => renderTags(['{{branch}}'], { version: 'v1.0.0', sha, branch: '' })).toThrow(
      /uses \{\{branch\}\}, but this run is not on a branch/,
    );
  });

  it('reads the branch from the runner', () => {
    expect(branchOf({ GITHUB_REF: 'refs/heads/main' })).toBe('main');
    expect(branchOf({ GITHUB_REF: 'refs/pull/7/merge', GITHUB_HEAD_REF: 'feat/a' })).toBe('feat/a');
    expect(branchOf({ GITHUB_REF: 'refs/tags/v1' })).toBe('');
  });
});
