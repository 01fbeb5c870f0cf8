/**
 * The version rule, a pure function over a list of tags: take the highest tag of exactly
 * `<prefix>MAJOR.MINOR.PATCH` (the prefix of `default-version`, numbers without leading zeros),
 * bump it, or use `default-version` when there is none. Numbers are compared as integers of any
 * size (BigInt), so `v1.0.10` > `v1.0.9` and nothing overflows.
 */
import type { Bump } from '../contract.js';

/** A `<prefix>MAJOR.MINOR.PATCH` version with a non-digit prefix and no leading zeros. */
export const PREFIXED_VERSION = /^([^0-9]*)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

interface VersionDecision {
  /** The version to build. */
  version: string;
  /** The tag that was bumped, `''` when `default-version` was used. */
  previous: string;
  /**
   * Tags that look like a version higher than `previous` (or at least `default-version` when
   * there was none) but are not candidates — a prerelease, a suffix, another prefix, two or
   * four parts, leading zeros — highest first. Worth a warning: the user may expect them to count.
   */
  ignored: string[];
}

type Triple = readonly [bigint, bigint, bigint];

/** Anything with a dotted number in it: `V2.0.0`, `v2.0`, `v1.2.10-rc1`, `release-3.1.4.2`. */
const LOOKS_LIKE_VERSION = /^[^0-9]*(\d+)\.(\d+)(?:\.(\d+))?(?:[.\-+_~][0-9A-Za-z.\-+_~]*)?$/;

/** The longest tag the distribution spec allows. */
const MAX_TAG_LENGTH = 128;

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The numbers of a tag that `PREFIXED_VERSION` matches. */
function versionTriple(tag: string): Triple {
  const m = PREFIXED_VERSION.exec(tag)!;
  return [BigInt(m[2]!), BigInt(m[3]!), BigInt(m[4]!)];
}

/** Sorts tags that `PREFIXED_VERSION` matches highest first. */
export function descendingVersions(a: string, b: string): number {
  return compare(versionTriple(b), versionTriple(a));
}

/** The leading non-digits of any version (`v` of `v1.2.3`); never throws. */
export function prefixOf(version: string): string {
  return /^[^0-9]*/.exec(version)?.[0] ?? '';
}

/** The non-digit prefix of `default-version` (`v` for `v1.0.0`, `''` for `1.0.0`). */
export function versionPrefix(defaultVersion: string): string {
  const match = PREFIXED_VERSION.exec(defaultVersion);
  if (!match) {
    throw new Error(
      `default-version ${JSON.stringify(defaultVersion)} is not <prefix>MAJOR.MINOR.PATCH.`,
    );
  }
  return match[1]!;
}

function bumpTriple([major, minor, patch]: Triple, bump: Bump): Triple {
  switch (bump) {
    case 'major':
      return [major + 1n, 0n, 0n];
    case 'minor':
      return [major, minor + 1n, 0n];
    case 'patch':
      return [major, minor, patch + 1n];
  }
}

/**
 * The next version from `tags` (`null` or `[]`: the image has no tags yet). Throws only when the
 * bumped version would be longer than a tag may be.
 */
export function nextVersion(
  tags: readonly string[] | null,
  defaultVersion: string,
  bump: Bump,
): VersionDecision {
  const prefix = versionPrefix(defaultVersion);
  const candidate = new RegExp(
    `^${escapeRegExp(prefix)}(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$`,
  );

  let best: { tag: string; triple: Triple } | undefined;
  const lookalikes: { tag: string; triple: Triple }[] = [];
  for (const tag of tags ?? []) {
    const m = candidate.exec(tag);
    if (m) {
      const triple: Triple = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
      if (!best || compare(triple, best.triple) > 0) best = { tag, triple };
      continue;
    }
    const l = LOOKS_LIKE_VERSION.exec(tag);
    if (l) lookalikes.push({ tag, triple: [BigInt(l[1]!), BigInt(l[2]!), BigInt(l[3] ?? '0')] });
  }

  let version: string;
  let previous: string;
  let floor: Triple;
  let strict: boolean;
  if (best) {
    const [major, minor, patch] = bumpTriple(best.triple, bump);
    version = `${prefix}${major}.${minor}.${patch}`;
    previous = best.tag;
    floor = best.triple;
    strict = true;
  } else {
    version = defaultVersion;
    previous = '';
    floor = versionTriple(defaultVersion);
    strict = false;
  }
  if (version.length > MAX_TAG_LENGTH) {
    throw new Error(
      `The next version after ${previous} would be ${version.length} characters long, more than a tag may hold (${MAX_TAG_LENGTH}).`,
    );
  }
  const ignored = lookalikes
    .filter((l) => {
      const c = compare(l.triple, floor);
      return strict ? c > 0 : c >= 0;
    })
    .sort((a, b) => compare(b.triple, a.triple) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
    .map((l) => l.tag);
  return { version, previous, ignored };
}
