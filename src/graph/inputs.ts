/**
 * The inputs of an image built with a shared `context`: the context paths its Dockerfile's
 * `COPY`/`ADD` instructions read (those without `--from`, in every stage), wildcards
 * included. A source only the build can know (it holds `$`, or is a URL or git repository)
 * makes the whole context an input. Pure functions over the parsed Dockerfile.
 *
 * Sources match as Docker matches them: a directory stands for everything below it, and a
 * wildcard follows Go's `filepath.Match` (`*` and `?` never cross `/`, no braces).
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DockerfileModel } from './dockerfile.js';

export interface ImageInputs {
  /** Sources relative to the context, normalised; `.` for the whole context. */
  sources: string[];
  /** Sources as written that only the build can know: each makes the whole context an input. */
  unknown: string[];
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;
const WILDCARD = /[*?[\\]/;
/** Go's `filepath.Match`: `*`, `?`, `[…]` within one path segment; dot files are not special. */
const GO_MATCH: picomatch.PicomatchOptions = {
  dot: true,
  nobrace: true,
  noextglob: true,
  noglobstar: true,
  nonegate: true,
  windows: false,
};

/** A source relative to the context: `.` for the context itself (or a path outside it). */
export function normaliseSource(source: string): string {
  const normal = path.posix.normalize(source.replace(/^\/+/, '') || '.').replace(/\/+$/, '');
  return normal === '' || normal === '..' || normal.startsWith('../') ? '.' : normal;
}

/** What an image's Dockerfile reads from its context. */
export function imageInputsOf(model: DockerfileModel): ImageInputs {
  const sources = new Set<string>();
  const unknown: string[] = [];
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (step.kind !== 'copy' || step.from) continue;
      for (const source of step.sources) {
        if (source.includes('$') || REMOTE.test(source)) unknown.push(source);
        else sources.add(normaliseSource(source));
      }
    }
  }
  return { sources: [...sources], unknown };
}

/**
 * The first path segments under which an image reads (`lib` for `lib/common`), so only the
 * changed paths there need matching; `undefined` when it may read anywhere.
 */
export function readsUnder(inputs: ImageInputs): Set<string> | undefined {
  if (inputs.unknown.length > 0) return undefined;
  const firsts = new Set<string>();
  for (const source of inputs.sources) {
    const first = source.split('/')[0]!;
    if (source === '.' || WILDCARD.test(first)) return undefined;
    firsts.add(first);
  }
  return firsts;
}

/** Whether an image reads a path of its context (relative to it, already not ignored). */
export type InputMatcher = (path: string) => boolean;

export function inputMatcher(inputs: ImageInputs): InputMatcher {
  if (inputs.unknown.length > 0 || inputs.sources.includes('.')) return () => true;
  const literal = new Set(inputs.sources.filter((s) => !WILDCARD.test(s)));
  const globs = inputs.sources.filter((s) => WILDCARD.test(s)).map((s) => picomatch(s, GO_MATCH));
  return (file) => {
    for (let at = file; at !== ''; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '') {
      // A source names the path itself or a directory above it.
      if (literal.has(at) || globs.some((glob) => glob(at))) return true;
    }
    return false;
  };
}
