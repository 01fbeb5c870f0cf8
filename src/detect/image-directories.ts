/**
 * Image directories at a commit: directories that match the patterns and hold the Dockerfile.
 *
 * Git is asked only about the directories the patterns can reach, instead of listing every
 * file of the commit: `svc-*` costs one listing of the root's directories and one lookup of
 * their Dockerfiles, `images/*` one listing of `images/`. Only a pattern that may cross `/`
 * (`**`) lists every directory below its fixed prefix. The repository root is never an image
 * directory.
 */
import { splitNul, type Git, type TreeEntry } from '../lib/git.js';
import { compareBytes } from '../lib/names.js';
import { parentOf } from './mapping.js';
import { patternReach, type ImageRule, type PatternReach } from './patterns.js';

export interface ImageDirectory {
  directory: string;
  /** The Dockerfile's text, when it was asked for. */
  text?: string;
}

const depthOf = (directory: string): number => (directory === '' ? 0 : directory.split('/').length);

/** Drops directories that lie inside another of them (git lists only the deeper one). */
function outermost(directories: Iterable<string>): string[] {
  const sorted = [...new Set(directories)].sort(compareBytes);
  if (sorted.includes('')) return [''];
  return sorted.filter((d, i) => !sorted.slice(0, i).some((o) => d.startsWith(`${o}/`)));
}

/**
 * Every directory at `rev` that matches and may hold the Dockerfile, with the object name of
 * that Dockerfile (`<tree>:<dockerfile>`, or `<rev>:<directory>/<dockerfile>`).
 */
async function candidates(git: Git, rev: string, rule: ImageRule): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const add = (entry: TreeEntry): void => {
    if (entry.path !== '' && rule.matches(entry.path)) {
      found.set(entry.path, `${entry.oid}:${rule.dockerfile}`);
    }
  };
  const reaches = patternReach(rule.patterns);
  const anywhere = outermost(reaches.filter((r) => r.kind === 'any').map((r) => r.start));
  const listings: Promise<void>[] = [];
  if (anywhere.length > 0) {
    listings.push(
      git.listTrees(rev, anywhere, { recursive: true }).then((entries) => entries.forEach(add)),
    );
  }
  listings.push(walk(git, rev, reaches, add, found, rule));
  await Promise.all(listings);
  return found;
}

/** Lists, level by level, the directories that patterns of a fixed depth can reach. */
async function walk(
  git: Git,
  rev: string,
  reaches: readonly PatternReach[],
  add: (entry: TreeEntry) => void,
  found: Map<string, string>,
  rule: ImageRule,
): Promise<void> {
  let frontier = new Map<string, Extract<PatternReach, { kind: 'depth' }>[]>();
  for (const reach of reaches) {
    if (reach.kind !== 'depth') continue;
    if (depthOf(reach.start) === reach.depth) {
      // A pattern without wildcards names its directory.
      if (rule.matches(reach.start)) {
        found.set(reach.start, `${rev}:${reach.start}/${rule.dockerfile}`);
      }
    } else {
      frontier.set(reach.start, [...(frontier.get(reach.start) ?? []), reach]);
    }
  }
  while (frontier.size > 0) {
    // One listing per depth: git lists only the deeper of two nested directories.
    const byDepth = new Map<number, string[]>();
    for (const dir of frontier.keys()) {
      byDepth.set(depthOf(dir), [...(byDepth.get(depthOf(dir)) ?? []), dir]);
    }
    const listed = await Promise.all([...byDepth.values()].map((d) => git.listTrees(rev, d)));
    const next = new Map<string, Extract<PatternReach, { kind: 'depth' }>[]>();
    for (const entry of listed.flat()) {
      const level = depthOf(entry.path);
      for (const reach of frontier.get(parentOf(entry.path)) ?? []) {
        if (level === reach.depth) add(entry);
        else if (reach.prefixes[level - 1]?.(entry.path)) {
          next.set(entry.path, [...(next.get(entry.path) ?? []), reach]);
        }
      }
    }
    frontier = next;
  }
}

/** Image directories, and other files, read at one commit by one git process. */
async function read(
  git: Git,
  rev: string,
  rule: ImageRule,
  text: boolean,
  files: readonly string[],
): Promise<{ images: ImageDirectory[]; files: Map<string, string | undefined> }> {
  const found = [...(await candidates(git, rev, rule))].sort(([a], [b]) => compareBytes(a, b));
  const objects = await git.objects(
    [...found.map(([, name]) => name), ...files.map((f) => `${rev}:${f}`)],
    { content: text || files.length > 0 },
  );
  const images: ImageDirectory[] = [];
  found.forEach(([directory], i) => {
    const object = objects[i];
    if (object?.type !== 'blob') return;
    images.push(text ? { directory, text: object.content.toString('utf8') } : { directory });
  });
  const contents = files.map((file, i): [string, string | undefined] => {
    const object = objects[found.length + i];
    return [file, object?.type === 'blob' ? object.content.toString('utf8') : undefined];
  });
  return { images, files: new Map(contents) };
}

/**
 * The image directories at `rev`, sorted by bytes; with `text`, each with its Dockerfile. Two
 * or three git processes, whatever the size of the repository, for patterns of a fixed depth.
 */
export async function imageDirectoriesAt(
  git: Git,
  rev: string,
  rule: ImageRule,
  options: { text?: boolean } = {},
): Promise<ImageDirectory[]> {
  return (await read(git, rev, rule, options.text ?? false, [])).images;
}

/**
 * The image directories at `rev` with their Dockerfiles, and the text of each of `files`
 * (repository paths; `undefined` when there is none), in the same git processes.
 */
export function imagesAndFilesAt(
  git: Git,
  rev: string,
  rule: ImageRule,
  files: readonly string[],
): Promise<{ images: ImageDirectory[]; files: Map<string, string | undefined> }> {
  return read(git, rev, rule, true, files);
}

/**
 * Whether any image directory exists at `rev`. A pattern that may cross `/` from the root
 * would list the whole tree: that listing stops at the first image directory it shows.
 */
export async function anyImageDirectory(git: Git, rev: string, rule: ImageRule): Promise<boolean> {
  const reaches = patternReach(rule.patterns);
  if (!reaches.some((r) => r.kind === 'any' && r.start === '')) {
    return (await imageDirectoriesAt(git, rev, rule)).length > 0;
  }
  const suffix = `/${rule.dockerfile}`;
  let carry = Buffer.alloc(0);
  let seen = false;
  await git.run(['ls-tree', '-r', '-z', '--name-only', '--full-tree', '--end-of-options', rev], {
    onStdout: (chunk) => {
      const bytes = Buffer.concat([carry, chunk]);
      const end = bytes.lastIndexOf(0);
      carry = bytes.subarray(end + 1);
      for (const path of splitNul(bytes.subarray(0, end + 1))) {
        if (path.endsWith(suffix) && rule.matches(path.slice(0, -suffix.length))) seen = true;
      }
      return seen;
    },
  });
  return seen;
}
