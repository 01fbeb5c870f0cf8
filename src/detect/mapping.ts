/**
 * From changed paths to image directories.
 *
 * An image directory is a directory that matches the patterns and holds the Dockerfile at
 * head. A changed path belongs to its nearest enclosing image directory; paths that reach none
 * are ignored. Only the directories that enclose a changed path can be that directory, so git
 * is asked about those alone, in one `cat-file --batch-check`: the cost grows with the push,
 * not with the repository.
 */
import type { Git, RangeChanges } from '../lib/git.js';
import { sortUnique } from '../lib/names.js';
import type { DirectoryMatcher, ImageRule } from './patterns.js';

/** The directory part of a repository path (`''` at the root). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Every matching directory that encloses a changed path (never the root), sorted. */
export function candidateDirectories(
  changed: readonly string[],
  matches: DirectoryMatcher,
): string[] {
  const seen = new Set<string>();
  for (const path of changed) {
    for (let dir = parentOf(path); dir !== '' && !seen.has(dir); dir = parentOf(dir)) {
      seen.add(dir);
    }
  }
  return sortUnique([...seen].filter((dir) => matches(dir)));
}

/** The matching directories whose Dockerfile the range touched (added, changed or removed). */
export function touchedDockerfiles(
  changed: readonly string[],
  dockerfile: string,
  matches: DirectoryMatcher,
): string[] {
  const suffix = `/${dockerfile}`;
  const owners = changed
    .filter((path) => path.length > suffix.length && path.endsWith(suffix))
    .map((path) => path.slice(0, -suffix.length))
    .filter((dir) => matches(dir));
  return sortUnique(owners);
}

/** The nearest enclosing image directory of a path, or `undefined`. */
export function enclosingImageDirectory(
  path: string,
  imageDirectories: ReadonlySet<string>,
): string | undefined {
  for (let dir = parentOf(path); dir !== ''; dir = parentOf(dir)) {
    if (imageDirectories.has(dir)) return dir;
  }
  return undefined;
}

/** A matching directory whose Dockerfile the range removed. */
export interface GoneDirectory {
  directory: string;
  /** `deleted`: nothing is left of it at head; `lost-dockerfile`: other files remain. */
  reason: 'deleted' | 'lost-dockerfile';
}

export interface Mapping {
  /** Image directories with a change, sorted by bytes. */
  directories: string[];
  /** Matching directories that held the Dockerfile at base but not at head, sorted. */
  gone: GoneDirectory[];
}

/** What git says about the candidates at head. */
export interface HeadFacts {
  /** Candidates that hold the Dockerfile. */
  imageDirectories: ReadonlySet<string>;
  /** Directories that exist (hold any file). */
  existing: ReadonlySet<string>;
}

/**
 * Maps the changed paths of a range (either side of a rename, deletions included) to image
 * directories at head, and finds the matching directories whose Dockerfile was removed.
 * Pure: `head` answers for every candidate (and every touched Dockerfile's directory).
 */
export function mapChangedPaths(
  changed: readonly string[],
  head: HeadFacts,
  dockerfile: string,
  matches: DirectoryMatcher,
): Mapping {
  const directories = new Set<string>();
  for (const path of changed) {
    const dir = enclosingImageDirectory(path, head.imageDirectories);
    if (dir !== undefined) directories.add(dir);
  }
  // A touched Dockerfile whose directory is no image directory at head: the range removed it.
  const gone = touchedDockerfiles(changed, dockerfile, matches)
    .filter((dir) => !head.imageDirectories.has(dir))
    .map((directory): GoneDirectory => ({
      directory,
      reason: head.existing.has(directory) ? 'lost-dockerfile' : 'deleted',
    }));
  return { directories: sortUnique(directories), gone };
}

/**
 * Asks git, in one process, which candidates hold the Dockerfile at head. Every directory that
 * encloses a changed path and exists at head changed too, so the range's diff already gave its
 * tree: each question is `<tree>:<dockerfile>`, and no directory listing is needed. With
 * `only: 'gone'`, asks about the directories of touched Dockerfiles alone (when the image inputs
 * come from what the Dockerfiles read, not from directories).
 */
export async function headFacts(
  git: Git,
  changes: RangeChanges,
  rule: Omit<ImageRule, 'patterns'>,
  only?: 'gone',
): Promise<HeadFacts> {
  const owners = touchedDockerfiles(changes.paths, rule.dockerfile, rule.matches);
  const candidates = (
    only === 'gone' ? owners : candidateDirectories(changes.paths, rule.matches)
  ).filter((dir) => changes.trees.has(dir));
  const answers = await git.objects(
    candidates.map((dir) => `${changes.trees.get(dir)}:${rule.dockerfile}`),
  );
  return {
    imageDirectories: new Set(candidates.filter((_, i) => answers[i]?.type === 'blob')),
    existing: new Set(owners.filter((dir) => changes.trees.has(dir))),
  };
}
