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

/** Compiles the patterns into one matcher; throws an `InputError` naming a bad pattern. */
export function compilePatterns(patterns: readonly string[]): DirectoryMatcher {
  const include: DirectoryMatcher[] = [];
  const exclude: DirectoryMatcher[] = [];
  for (const raw of patterns) {
    const excluded = raw.trim().startsWith('!') && !raw.trim().startsWith('!(');
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
