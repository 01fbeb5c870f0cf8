/** The `executor-image` input read as data, and the tool-cache keys of an installed executor. */
import { DOCKER_HUB_REGISTRY_HOST } from '../contract.js';
import { isDockerHub } from '../lib/docker-hub.js';
import { SHA256_DIGEST } from '../lib/names.js';
import type { Platform } from '../lib/oci.js';

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
  const slash = image.indexOf('/');
  if (slash <= 0) throw new Error(`The executor image ${image} does not name a registry host.`);
  const host = image.slice(0, slash).toLowerCase();
  const rest = image.slice(slash + 1);
  let repository: string;
  let reference: string;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    // `repo@sha256:…` or `repo:tag@sha256:…`: the digest is what is asked for and verified.
    const named = rest.slice(0, at);
    const colon = named.lastIndexOf(':');
    repository = colon > 0 ? named.slice(0, colon) : named;
    reference = rest.slice(at + 1);
    if (!SHA256_DIGEST.test(reference)) {
      throw new Error(`The executor image ${image} has a malformed digest.`);
    }
    digest = reference;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon <= 0) throw new Error(`The executor image ${image} has no tag or digest.`);
    repository = rest.slice(0, colon);
    reference = rest.slice(colon + 1);
  }
  const hub = isDockerHub(host);
  if (hub && !repository.includes('/')) repository = `library/${repository}`;
  return {
    image,
    registry: hub ? 'docker.io' : host,
    apiHost: hub ? DOCKER_HUB_REGISTRY_HOST : host,
    repository,
    reference,
    ...(digest === undefined ? {} : { digest }),
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
