/**
 * The version an unchanged image keeps: the highest `<prefix>MAJOR.MINOR.PATCH` tag that points
 * to what `latest` points to — usually the version the plan bumped, checked with one request.
 */
import type { ImageRef } from '../contract.js';
import type { RegistryLookups } from '../registry/clients.js';
import { descendingVersions, PREFIXED_VERSION } from '../versions/rule.js';

/** How many version tags, highest first, are asked for their digest at most. */
const MAX_LOOKUPS = 10;

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
    .sort(descendingVersions)
    .slice(0, MAX_LOOKUPS);
  for (const tag of versions) {
    if ((await registry.digestOf(ref, tag)) === digest) return tag;
  }
  return '';
}
