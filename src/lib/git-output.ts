/**
 * Parsers of what git prints: pure functions over its output, for `git.ts` and its tests.
 * Path lists are NUL-separated (`-z`), so names are data whatever characters they hold.
 */

/** A commit as `cat-file` sees it: its id and the parents written in the object. */
export interface CommitObject {
  oid: string;
  /**
   * Parents as recorded in the commit object, also in a shallow clone where the parents
   * themselves are absent (a shallow boundary looks parentless to every other git command).
   */
  parents: string[];
}

/** Splits NUL-terminated git output into its entries. */
export function splitNul(output: Buffer | string): string[] {
  const text = typeof output === 'string' ? output : output.toString('utf8');
  const entries = text.split('\0');
  if (entries.at(-1) === '') entries.pop();
  return entries;
}

/** The parents written in the headers of a commit object's content. */
export function parentsOf(content: Buffer): string[] {
  const parents: string[] = [];
  for (const line of content.toString('utf8').split('\n')) {
    if (line === '') break; // end of the commit headers
    if (line.startsWith('parent ')) parents.push(line.slice('parent '.length));
  }
  return parents;
}

/** What `cat-file` says about one object it found. */
export interface ObjectInfo {
  oid: string;
  /** `blob`, `tree`, `commit` or `tag`. */
  type: string;
  size: number;
}

/** One object of a `cat-file --batch` answer: what it is, and its content when it was read. */
export interface BatchObject extends ObjectInfo {
  /** The content (`--batch`); empty for `--batch-check`. */
  content: Buffer;
}

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\S+) (\d+)$/;

/**
 * Parses the answers of `cat-file --batch` or `--batch-check` to `names`, in order: `null` for
 * a name git could not resolve. Git echoes such a name (`<name> missing`), and a name may hold
 * a line break, so such an answer is read knowing the name it answers.
 */
export function parseObjectBatch(
  output: Buffer,
  names: readonly string[],
  withContent: boolean,
): (BatchObject | null)[] {
  const answers: (BatchObject | null)[] = [];
  let at = 0;
  for (const name of names) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) break;
    // A header line ends with the size; an echoed name ends with a word (`missing`, …).
    const match = HEADER.exec(output.toString('utf8', at, eol));
    if (!match) {
      const echo = Buffer.from(`${name} `, 'utf8');
      if (!output.subarray(at, at + echo.length).equals(echo)) break;
      const end = output.indexOf(0x0a, at + echo.length);
      if (end < 0) break;
      answers.push(null);
      at = end + 1;
      continue;
    }
    const [, oid, type, size] = match as unknown as [string, string, string, string];
    at = eol + 1;
    let content: Buffer = Buffer.alloc(0);
    if (withContent) {
      content = output.subarray(at, at + Number(size));
      at += Number(size) + 1;
    }
    answers.push({ oid, type, size: Number(size), content });
  }
  if (answers.length !== names.length) {
    throw new Error(`git cat-file: expected ${names.length} answers, understood ${answers.length}`);
  }
  return answers;
}

/** What a range changed (see `Git.changes`). */
export interface RangeChanges {
  /** Files, symlinks and submodules that differ, sorted as git prints them. */
  paths: string[];
  /** Directories that differ and exist at head, with their tree id there. */
  trees: Map<string, string>;
}

const TREE_MODE = '040000';
const NO_MODE = '000000';

/** Parses `diff-tree -r -t -z` (raw) output: `:<mode> <mode> <oid> <oid> <status>`, path. */
export function parseRawDiff(output: Buffer): RangeChanges {
  const fields = splitNul(output);
  const paths: string[] = [];
  const trees = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [before = '', after = '', , oid = ''] = (fields[i] ?? '').slice(1).split(' ');
    const path = fields[i + 1] ?? '';
    const isFile = (mode: string): boolean => mode !== TREE_MODE && mode !== NO_MODE;
    if (isFile(before) || isFile(after)) paths.push(path);
    if (after === TREE_MODE) trees.set(path, oid);
  }
  return { paths, trees };
}

/** A tree entry as `ls-tree` prints it (`<mode> <type> <oid>\t<path>`). */
export interface TreeEntry {
  type: string;
  oid: string;
  path: string;
}

/** Parses `ls-tree -z` output (without `--name-only`). */
export function parseTreeEntries(output: Buffer): TreeEntry[] {
  return splitNul(output).map((line) => {
    const tab = line.indexOf('\t');
    const [, type = '', oid = ''] = line.slice(0, tab).split(' ');
    return { type, oid, path: line.slice(tab + 1) };
  });
}
