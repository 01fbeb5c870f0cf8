/**
 * From changed paths to image directories: pure functions over lists of repository paths.
 *
 * An image directory is a directory that matches the patterns and holds the Dockerfile at
 * head. A changed path belongs to its nearest enclosing image directory; paths that reach
 * none are ignored. Lookups are set-based, so the cost grows with the number of files, not
 * with files × directories.
 */
import type { DirectoryMatcher } from './path-patterns.js';

/** Compares strings by their UTF-8 bytes (git's order, and `LC_ALL=C sort`'s). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorted by UTF-8 bytes, without duplicates. */
export function sortUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareBytes);
}

/** The directory part of a repository path (`''` at the root). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * Every image directory of a tree: each `<dir>/<dockerfile>` among `files` whose `<dir>`
 * matches. The repository root itself is never an image directory.
 */
export function findImageDirectories(
  files: readonly string[],
  dockerfile: string,
  matches: DirectoryMatcher,
): Set<string> {
  const suffix = `/${dockerfile}`;
  const found = new Set<string>();
  for (const file of files) {
    if (file.length > suffix.length && file.endsWith(suffix)) {
      const dir = file.slice(0, -suffix.length);
      if (matches(dir)) found.add(dir);
    }
  }
  return found;
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

/**
 * Maps the changed paths of a range (either side of a rename, deletions included) to image
 * directories at head, and finds the matching directories whose Dockerfile was removed.
 */
export function mapChangedPaths(
  changed: readonly string[],
  headFiles: readonly string[],
  imageDirectories: ReadonlySet<string>,
  dockerfile: string,
  matches: DirectoryMatcher,
): Mapping {
  const suffix = `/${dockerfile}`;
  const directories = new Set<string>();
  const goneDirs = new Set<string>();
  for (const path of changed) {
    const dir = enclosingImageDirectory(path, imageDirectories);
    if (dir !== undefined) directories.add(dir);
    if (path.length > suffix.length && path.endsWith(suffix)) {
      // The Dockerfile of a matching directory changed, yet the directory is no image
      // directory at head: the range removed that Dockerfile.
      const owner = path.slice(0, -suffix.length);
      if (!imageDirectories.has(owner) && matches(owner)) goneDirs.add(owner);
    }
  }
  const gone: GoneDirectory[] = [];
  if (goneDirs.size > 0) {
    const remaining = new Set<string>();
    for (const file of headFiles) {
      for (let dir = parentOf(file); dir !== ''; dir = parentOf(dir)) {
        if (goneDirs.has(dir)) remaining.add(dir);
      }
    }
    for (const directory of sortUnique(goneDirs)) {
      gone.push({ directory, reason: remaining.has(directory) ? 'lost-dockerfile' : 'deleted' });
    }
  }
  return { directories: sortUnique(directories), gone };
}
