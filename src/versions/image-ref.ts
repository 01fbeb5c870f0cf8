/** Image names and references derived from directories: pure functions, no I/O. */
import { DOCKER_HUB_REGISTRY_HOST, type ImageRef } from '../contract.js';
import { isDockerHub } from '../lib/docker-hub.js';
import { MAX_REPOSITORY_LENGTH, PATH_COMPONENT } from '../lib/names.js';
import { quote } from '../lib/untrusted.js';

export type { ImageRef } from '../contract.js';

/**
 * The image name of a directory: lower-cased, `/` replaced by `-`. Throws when the result is
 * not a valid repository path component, naming the directory.
 */
export function imageName(directory: string): string {
  const name = directory.replace(/\/+$/, '').toLowerCase().replace(/\//g, '-');
  if (!PATH_COMPONENT.test(name)) {
    throw new Error(
      `Directory ${quote(directory)} cannot be an image name: ${quote(name)} must be lower-case letters and digits joined by '.', '_', '__' or '-' (rename the directory, or leave it out of 'patterns').`,
    );
  }
  return name;
}

export function imageRef(registry: string, namespace: string, name: string): ImageRef {
  // An empty namespace only happens in the plan action with an explicit `version`.
  const repository = namespace ? `${namespace}/${name}` : name;
  if (repository.length > MAX_REPOSITORY_LENGTH) {
    throw new Error(
      `Image repository ${JSON.stringify(repository)} is longer than ${MAX_REPOSITORY_LENGTH} characters.`,
    );
  }
  const dockerHub = isDockerHub(registry);
  return {
    registry,
    repository,
    reference: `${dockerHub ? 'docker.io' : registry}/${repository}`,
    apiHost: dockerHub ? DOCKER_HUB_REGISTRY_HOST : registry,
    dockerHub,
  };
}

/** A web page for the image, where one is known (Docker Hub), else `''`. */
export function imageWebUrl(ref: ImageRef, tag?: string): string {
  if (!ref.dockerHub) return '';
  const base = `https://hub.docker.com/r/${ref.repository}`;
  return tag ? `${base}/tags?name=${encodeURIComponent(tag)}` : base;
}
