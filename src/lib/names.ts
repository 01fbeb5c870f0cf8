/** The grammar of OCI names the action checks: pure patterns, shared by every stage. */

/** One path component of an OCI repository name (distribution spec). */
export const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** An OCI distribution tag. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** A sha256 content digest. */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** The distribution spec bounds a repository name (without host) to 255 characters. */
export const MAX_REPOSITORY_LENGTH = 255;

/** A count and its noun: `1 image`, `3 images`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Code units whose UTF-16 order differs from the UTF-8 order of their code points. */
const HIGH = /[\uD800-\uFFFF]/;

/** Compares strings by their UTF-8 bytes (git's order, and `LC_ALL=C sort`'s). */
export function compareBytes(a: string, b: string): number {
  // Below U+D800, UTF-16 code units sort as UTF-8 bytes do: no encoding needed.
  if (!HIGH.test(a) && !HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorted by UTF-8 bytes, without duplicates. */
export function sortUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareBytes);
}
