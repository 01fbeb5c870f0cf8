/**
 * The version an unchanged image keeps: the highest `<prefix>MAJOR.MINOR.PATCH` tag that points
 * to what `latest` points to — usually the version the plan bumped, checked with one request.
 */
import type { ImageRef } from '../contract.js';
import type { RegistryLookups } from '../registry/clients.js';
import { PREFIXED_VERSION } from '../versions/rule.js';

/** How many version tags, highest first, are asked for their digest at most. */
const MAX_LOOKUPS = 10;

function triple(tag: string): [bigint, bigint, bigint] {
  const m = PREFIXED_VERSION.exec(tag)!;
  return [BigInt(m[2]!), BigInt(m[3]!), BigInt(m[4]!)];
}

function descending(a: string, b: string): number {
  const [x, y] = [triple(a), triple(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]! ? -1 : 1;
  return 0;
}

/**
 * The version tag of `ref` whose digest is `digest`: `previous` when it is, else the highest
 * such tag among the highest `MAX_LOOKUPS` of the prefix; `''` when none is.
 */
export async function currentVersion(
  registry: RegistryLookups,
  ref: ImageRef,
  digest: string,
  previous: string,
  prefix: string,
): Promise<string> {
  if (previous && (await registry.digestOf(ref, previous)) === digest) return previous;
  const tags = (await registry.listTags(ref)) ?? [];
  const versions = tags
    .filter((t) => t !== previous && PREFIXED_VERSION.exec(t)?.[1] === prefix)
    .sort(descending)
    .slice(0, MAX_LOOKUPS);
  for (const tag of versions) {
    if ((await registry.digestOf(ref, tag)) === digest) return tag;
  }
  return '';
}
