/**
 * `detectDirectories` says on the runner what `detect` found: a notice naming directories
 * that are gone, a warning for a force push whose `before` could not be had or for patterns
 * that match no image directory. `@actions/core`
 * is replaced at this edge only, to see the annotations.
 */
import * as fs from 'node:fs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isolateGit, RepoFixture } from '../support/git-repo.js';
import { detectInputs } from '../support/inputs.js';

const annotations = vi.hoisted(() => ({ notice: [] as string[], warning: [] as string[] }));
vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  notice: (message: string) => annotations.notice.push(message),
  warning: (message: string) => annotations.warning.push(message),
}));
const { detectDirectories } = await import('../../src/detect/detect.js');

const home = isolateGit();
const repo = RepoFixture.create();
afterAll(() => {
  repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  annotations.notice.length = 0;
  annotations.warning.length = 0;
});

const inputs = detectInputs();

describe('detectDirectories annotations', () => {
  it('a notice names the directories that were deleted or lost their Dockerfile', async () => {
    repo.write({ 'a/Dockerfile': 'FROM scratch\n', 'b/Dockerfile': 'FROM scratch\n', 'b/x': '1' });
    const before = repo.commit('seed');
    repo.remove('a', 'b/Dockerfile');
    const after = repo.commit('remove');
    repo.push();
    const ws = repo.checkout();
    const found = await detectDirectories(inputs, ws, repo.pushEvent({ before, after }));
    expect(found.directories).toEqual([]);
    expect(annotations.notice).toEqual([
      'Not built, no longer image directories at head: "a" (deleted), "b" (its Dockerfile was removed).',
    ]);
    // Nothing at head is an image directory any more: that might be a typo, so it is said.
    expect(annotations.warning).toEqual([
      `No directory at ${after.slice(0, 7)} matches 'patterns' ("*") and holds "Dockerfile", so there is nothing to build. Check 'patterns' and 'dockerfile' for a typo.`,
    ]);
  });

  it('a warning says a force push fell back to HEAD^..HEAD', async () => {
    const after = repo.write({ 'c/Dockerfile': 'FROM scratch\n' }).commit('c');
    repo.push();
    const ws = repo.checkout();
    const gone = 'f'.repeat(40);
    const found = await detectDirectories(
      inputs,
      ws,
      repo.pushEvent({ before: gone, after, forced: true }),
    );
    expect(found.directories).toEqual(['c']);
    expect(annotations.warning).toHaveLength(1);
    expect(annotations.warning[0]).toContain(`'before' commit fffffff is not in the history`);
  });
});
