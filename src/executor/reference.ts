/** The `executor-image` input read as data, and the tool-cache keys of an installed executor. */
import { DOCKER_HUB_REGISTRY_HOST } from '../contract.js';
import { SHA256_DIGEST } from '../lib/names.js';
import type { Platform } from '../lib/oci.js';
import { parseReference } from '../lib/reference.js';

/** `registry/repository:tag` or `registry/repository@sha256:…`, split up. */
export interface ExecutorReference {
  /** As written, for messages. */
  image: string;
  /** `host[:port]`, lower-cased; every Docker Hub alias becomes `docker.io`. */
  registry: string;
  /** The host that serves `/v2/` (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** Repository path (`library/` added for official Docker Hub images). */
  repository: string;
  /** The tag or `sha256:…` digest to ask for. */
  reference: string;
  /** The pinned digest, when the image names one; the index (or manifest) must match it. */
  digest?: string;
}

/** Splits an `executor-image` value (already validated by the inputs) into its parts. */
export function parseExecutorReference(image: string): ExecutorReference {
  const name = parseReference(image);
  const reference = name?.digest ?? name?.tag;
  if (!name || reference === undefined) {
    throw new Error(
      `The executor image ${image} is not 'registry/repository:tag' or '…@sha256:…'.`,
    );
  }
  return {
    image,
    registry: name.registry,
    apiHost: name.registry === 'docker.io' ? DOCKER_HUB_REGISTRY_HOST : name.registry,
    repository: name.repository,
    reference,
    ...(name.digest === undefined ? {} : { digest: name.digest }),
  };
}

/** The tool-cache `arch` of a platform: `amd64`, `arm64`, `arm-v7`. */
export function cacheArch(platform: Platform): string {
  return platform.variant ? `${platform.architecture}-${platform.variant}` : platform.architecture;
}

/**
 * The tool-cache version of an executor: semver-compatible and unique per platform manifest
 * (`0.0.0-sha256-<hex>`), so a different image never hits the cache of another.
 */
export function cacheVersion(manifestDigest: string): string {
  if (!SHA256_DIGEST.test(manifestDigest))
    throw new Error(`${manifestDigest} is not a sha256 digest.`);
  return `0.0.0-sha256-${manifestDigest.slice('sha256:'.length)}`;
}
