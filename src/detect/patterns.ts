/**
 * The `patterns` input as a matcher of directory paths: pure, no I/O.
 *
 * Globs are compiled by picomatch with these rules:
 * - `*` and `?` do not cross `/`; `**` as a whole path segment does (`images/**`).
 * - Names that start with `.` match only a pattern that spells the dot (`.devcontainer`,
 *   `.*`), as in a shell: the default `*` does not pick up `.devcontainer/Dockerfile`.
 * - Braces, brackets and extglobs work (`airflow-{api,worker}`, `svc-[ab]`, `@(a|b)`);
 *   other characters are literal, so `a+b` and `a.b` match only themselves, and a pattern
 *   equal to a directory's name always matches it (a directory named `[x]` is matched by
 *   `[x]` as well as by `\[x\]`).
 * - A pattern that starts with `!` (but not the extglob `!(…)`) excludes: a directory
 *   matches when it matches at least one other pattern and no exclusion.
 * - A leading `./` and trailing `/` are ignored; matching is case-sensitive, as git is.
 *
 * Unbalanced brackets, braces or parentheses are errors that name the pattern.
 */
import picomatch from 'picomatch';
import { Input, InputError } from '../contract.js';
import { errorMessage } from '../lib/errors.js';

export type DirectoryMatcher = (directory: string) => boolean;

/** What makes a directory an image directory: the patterns (as given, and compiled) and the Dockerfile. */
export interface ImageRule {
  patterns: readonly string[];
  matches: DirectoryMatcher;
  /** The Dockerfile's path inside each image directory. */
  dockerfile: string;
}

const OPTIONS: picomatch.PicomatchOptions = {
  dot: false,
  nonegate: true,
  strictBrackets: true,
  windows: false,
  nocase: false,
};

function normalise(pattern: string): string {
  let p = pattern.trim();
  while (p.startsWith('./')) p = p.slice(2);
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

function compile(pattern: string, shown: string): DirectoryMatcher {
  if (pattern === '' || pattern === '.' || pattern === '/') {
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(shown)} matches no directory; write patterns such as 'airflow-*' or 'images/**'.`,
    );
  }
  if (pattern.includes('\0')) {
    throw new InputError(Input.Patterns, `${JSON.stringify(shown)} holds a NUL character.`);
  }
  try {
    return picomatch(pattern, OPTIONS);
  } catch (error) {
    const reason = errorMessage(error);
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(shown)} is not a valid glob: ${reason}.`,
    );
  }
}

function isExclusion(raw: string): boolean {
  return raw.trim().startsWith('!') && !raw.trim().startsWith('!(');
}

/** Compiles the patterns into one matcher; throws an `InputError` naming a bad pattern. */
export function compilePatterns(patterns: readonly string[]): DirectoryMatcher {
  const include: DirectoryMatcher[] = [];
  const exclude: DirectoryMatcher[] = [];
  for (const raw of patterns) {
    const excluded = isExclusion(raw);
    const body = normalise(excluded ? raw.trim().slice(1) : raw);
    (excluded ? exclude : include).push(compile(body, raw));
  }
  if (include.length === 0) {
    throw new InputError(
      Input.Patterns,
      `${JSON.stringify(patterns.join(', '))} only excludes; add a pattern that includes directories, e.g. '*'.`,
    );
  }
  return (directory) => include.some((m) => m(directory)) && !exclude.some((m) => m(directory));
}

/** Where the directories of one pattern can lie, so that git is asked only about those. */
export type PatternReach =
  /**
   * At `depth` path segments exactly (`images/*`: 2), below the fixed directory `start`
   * (`images`, `''` for the root); `prefixes[n - 1]` matches a directory of `n` segments that
   * the pattern's first `n` segments match.
   */
  | { kind: 'depth'; start: string; depth: number; prefixes: DirectoryMatcher[] }
  /** Anywhere below `start` (`**`, or braces, extglobs or brackets that may hold a `/`). */
  | { kind: 'any'; start: string };

/** A segment the glob reads as more than itself. */
const GLOB_SEGMENT = /[*?[\]{}()!+@\\]/;

/**
 * Where each including pattern can reach (exclusions only narrow what these find). Assumes
 * the patterns compiled (`compilePatterns`).
 */
export function patternReach(patterns: readonly string[]): PatternReach[] {
  return patterns
    .filter((raw) => !isExclusion(raw))
    .map((raw): PatternReach => {
      const pattern = normalise(raw);
      const segments = pattern.split('/');
      const fixed = segments.findIndex((s) => GLOB_SEGMENT.test(s));
      const start = segments.slice(0, fixed < 0 ? segments.length : fixed).join('/');
      if (/\*\*|[{(]|\[[^\]]*\/[^\]]*\]/.test(pattern)) return { kind: 'any', start };
      const prefixes = segments.map((_, n) =>
        picomatch(segments.slice(0, n + 1).join('/'), OPTIONS),
      );
      return { kind: 'depth', start, depth: segments.length, prefixes };
    });
}
