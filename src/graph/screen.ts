/**
 * Which Dockerfiles need parsing: a screen over their text that errs only one way. Parsing
 * costs far more than reading, and most Dockerfiles of a large monorepo cannot matter to a
 * push: one that never names a changed image cannot be built on it, one whose `COPY` lines
 * never name a changed path cannot read it. The screen only skips parsing; every answer
 * comes from the parser (`dockerfile.ts`).
 *
 * It errs towards parsing: escapes and quotes are dropped (so `"a"\b` still shows `ab`), line
 * continuations joined and comment lines removed (as Docker does), and a Dockerfile that
 * changes its escape character is always parsed.
 */

const ESCAPE_DIRECTIVE = /^[ \t]*#[ \t]*escape[ \t]*=/im;

/** The lines that may name an image: `FROM` lines and lines with a `--from=` flag. */
const NAMING_LINES = /^[ \t]*from[ \t][^\n]*|^[^\n]*--from=[^\n]*/gim;

/** The text as Docker joins it into instructions: no comment lines, continuations joined. */
function joined(text: string): string {
  return text.replace(/^[ \t]*#[^\r\n]*(?:\r?\n|$)/gm, '').replace(/\\[ \t]*\r?\n/g, '');
}

/** Drops what a shell would drop from a word: quotes and escapes. */
const bare = (text: string): string => text.replace(/["'\\]/g, '');

/**
 * Whether a Dockerfile may name one of `images` (image names, the last path component of a
 * reference), other than `except` (its own), in a `FROM` line or a `--from=` flag, directly
 * or through a variable.
 */
export function mayNameImages(text: string, images: ReadonlySet<string>, except?: string): boolean {
  if (images.size === 0 || (images.size === 1 && except !== undefined && images.has(except))) {
    return false;
  }
  if (text.includes('#') && ESCAPE_DIRECTIVE.test(text)) return true;
  const t = /[#\\]/.test(text) ? joined(text) : text;
  // Only a FROM line or a --from flag names an image to build on; other lines are not looked at.
  for (const [line] of t.matchAll(NAMING_LINES)) {
    const from = /^[ \t]*from[ \t]/i.test(line);
    // A variable there may expand to any name.
    if (line.includes('$') && (from || /--from=\S*\$/i.test(line))) return true;
    for (const [token] of bare(line)
      .toLowerCase()
      .matchAll(/[a-z0-9._-]+/g)) {
      if (token !== except && images.has(token)) return true;
    }
  }
  return false;
}

/** The changed paths a screen looks for, by their first segment (relative to the context). */
export interface PathScreen {
  /** First segments of the paths. */
  firsts: ReadonlySet<string>;
  /** First segments that hold a character the token split would break (space, quote, …). */
  odd: readonly string[];
}

export function pathScreen(paths: Iterable<string>): PathScreen {
  const firsts = new Set<string>();
  for (const p of paths) firsts.add(p.split('/')[0]!);
  return { firsts, odd: [...firsts].filter((f) => /[\s"'\\,[\]]/.test(f)) };
}

/** Whether a Dockerfile's `COPY`/`ADD` lines may read one of the paths. */
export function mayReadPaths(text: string, screen: PathScreen): boolean {
  if (screen.firsts.size === 0) return false;
  if (ESCAPE_DIRECTIVE.test(text)) return true;
  for (const line of joined(text).split(/\r?\n/)) {
    if (!/^[ \t]*(?:copy|add)[ \t]/i.test(line)) continue;
    // Variables, wildcards, the JSON form, URLs: left to the parser.
    if (/[$*?[]|:\/\/|@/.test(line)) return true;
    const words = bare(line);
    if (screen.odd.some((first) => words.includes(first))) return true;
    for (const word of words
      .trim()
      .split(/[\s,]+/)
      .slice(1)) {
      if (word.startsWith('--')) continue;
      const normal = word
        .replace(/^\/+/, '')
        .split('/')
        .filter((s) => s !== '' && s !== '.');
      // The context itself, or a path that climbs: it may read anything.
      if (normal.length === 0 || normal.includes('..')) return true;
      if (screen.firsts.has(normal[0]!)) return true;
    }
  }
  return false;
}
