/**
 * Build-time variables of a Dockerfile (`ARG`, `ENV` and the platform arguments) and their
 * expansion in a word: pure functions over what the parser found (`dockerfile.ts`).
 *
 * Docker's rules: an `ARG` before the first `FROM` is global and may be used in `FROM` lines;
 * inside a stage an `ARG` (with or without a default) brings a value into scope, a build arg of
 * the same name overriding its default; a variable with no value expands to nothing;
 * `${V:-word}` and `${V:+word}` substitute. The platform arguments (`TARGETARCH`, …) are known
 * only for a given platform; without one, a word that uses them cannot be known.
 */

/** One piece of a word: text as written, or a variable to expand. */
export type Part =
  | { literal: string }
  | {
      variable: string;
      /** `-` for `${V:-word}`, `+` for `${V:+word}`, another string for a form not handled. */
      modifier: string | null;
      word: string | null;
    };

export interface Word {
  /** The word as written in the Dockerfile. */
  written: string;
  parts: Part[];
}

/** A variable whose value cannot be known before the build. */
export const UNKNOWN = Symbol('unknown');
/** Name → value; `undefined`: declared without a value. */
export type Scope = Map<string, string | undefined | typeof UNKNOWN>;

export interface Expanded {
  /** The expanded text; `''` when `unknown`. */
  value: string;
  /** A variable of the word has no value before the build (e.g. `TARGETARCH`, no platform). */
  unknown: boolean;
  /** For each character of `value`: whether a variable produced it. */
  fromVariable: boolean[];
}

/** The platform arguments' values for `os/arch[/variant]`, or unknown without a platform. */
export function platformScope(target?: string, build?: string): Scope {
  const scope: Scope = new Map();
  const set = (prefix: 'TARGET' | 'BUILD', platform: string | undefined): void => {
    const [os = '', arch = '', variant = ''] = platform ? platform.split('/') : [];
    for (const [name, value] of [
      ['PLATFORM', platform],
      ['OS', os],
      ['ARCH', arch],
      ['VARIANT', variant],
    ] as const) {
      scope.set(`${prefix}${name}`, platform === undefined ? UNKNOWN : value);
    }
  };
  set('TARGET', target);
  set('BUILD', build ?? target);
  return scope;
}

/** Build args (`KEY=VALUE` lines) by key; a later line wins, as kaniko's flags do. */
export function buildArgMap(lines: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return map;
}

/** Expands a word in a scope. */
export function expand(word: Word, scope: Scope): Expanded {
  let value = '';
  const fromVariable: boolean[] = [];
  const push = (text: string, variable: boolean): void => {
    value += text;
    for (let i = 0; i < text.length; i++) fromVariable.push(variable);
  };
  for (const part of word.parts) {
    if ('literal' in part) {
      push(part.literal, false);
      continue;
    }
    const current = scope.get(part.variable);
    if (current === UNKNOWN) return { value: '', unknown: true, fromVariable: [] };
    const set = current !== undefined && current !== '';
    switch (part.modifier) {
      case null:
        push(current ?? '', true);
        break;
      case '-':
        if (set) push(current, true);
        else if (part.word?.includes('$')) return { value: '', unknown: true, fromVariable: [] };
        else push(part.word ?? '', true);
        break;
      case '+':
        if (set && part.word?.includes('$')) return { value: '', unknown: true, fromVariable: [] };
        push(set ? (part.word ?? '') : '', true);
        break;
      default:
        // `${V:?message}` and the shell forms Docker added later: not worth guessing.
        return { value: '', unknown: true, fromVariable: [] };
    }
  }
  return { value, unknown: false, fromVariable };
}
