/**
 * From changed paths to image directories: pure functions over repository paths.
 *
 * An image directory is a directory that matches the patterns and holds the Dockerfile at
 * head. A changed path belongs to its nearest enclosing image directory; paths that reach
 * none are ignored. Lookups are set-based, so the cost grows with the number of files, not
 * with files × directories; head's tree listing stays in the bytes git printed, and only the
 * entries that name a Dockerfile are ever decoded.
 */
import { sortUnique } from '../lib/names.js';
import type { DirectoryMatcher } from './patterns.js';

/** The directory part of a repository path (`''` at the root). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

const NUL = 0;

/** A tree's paths as `git ls-tree -r -z --name-only` prints them: each ends with a NUL byte. */
export class TreeListing {
  constructor(readonly bytes: Buffer) {}

  static of(paths: readonly string[]): TreeListing {
    return new TreeListing(Buffer.from(paths.map((p) => `${p}\0`).join(''), 'utf8'));
  }

  /** Every path, decoded (for tests and small trees). */
  paths(): string[] {
    const text = this.bytes.toString('utf8');
    return text === '' ? [] : text.slice(0, -1).split('\0');
  }

  /** The directories `d` (never the root) that hold an entry `d/<name>`, in listing order. */
  directoriesHolding(name: string): string[] {
    const needle = Buffer.from(`/${name}\0`, 'utf8');
    const found: string[] = [];
    for (let at = this.bytes.indexOf(needle); at >= 0; at = this.bytes.indexOf(needle, at + 1)) {
      const start = at === 0 ? 0 : this.bytes.lastIndexOf(NUL, at - 1) + 1;
      found.push(this.bytes.toString('utf8', start, at));
    }
    return found;
  }

  /** Whether any entry lies inside `directory`. */
  hasEntryUnder(directory: string): boolean {
    const prefix = Buffer.from(`${directory}/`, 'utf8');
    if (this.bytes.subarray(0, prefix.length).equals(prefix)) return true;
    return this.bytes.includes(Buffer.concat([Buffer.of(NUL), prefix]));
  }
}

/**
 * Every image directory of a tree: each `<dir>/<dockerfile>` entry whose `<dir>` matches.
 * The repository root itself is never an image directory.
 */
export function findImageDirectories(
  tree: TreeListing,
  dockerfile: string,
  matches: DirectoryMatcher,
): Set<string> {
  return new Set(tree.directoriesHolding(dockerfile).filter((dir) => matches(dir)));
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
  head: TreeListing,
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
  const gone = sortUnique(goneDirs).map((directory): GoneDirectory => ({
    directory,
    reason: head.hasEntryUnder(directory) ? 'lost-dockerfile' : 'deleted',
  }));
  return { directories: sortUnique(directories), gone };
}
