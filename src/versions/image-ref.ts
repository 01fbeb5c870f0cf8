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

/** The GitHub repository a workflow runs in, as the runner names it. */
interface GitHubRepository {
  /** `GITHUB_REPOSITORY`: `owner/name`. */
  repository?: string;
  /** `GITHUB_SERVER_URL`: `https://github.com`, or a GitHub Enterprise Server's URL. */
  serverUrl?: string;
}

/**
 * A web page for the image, where one is known, else `''`: Docker Hub's repository page; for
 * `ghcr.io`, the package page of the workflow's repository when the image belongs to the same
 * owner (the `org.opencontainers.image.source` label links such a package to that repository).
 */
export function imageWebUrl(ref: ImageRef, github: GitHubRepository = {}): string {
  if (ref.dockerHub) return `https://hub.docker.com/r/${ref.repository}`;
  if (ref.registry !== 'ghcr.io') return '';
  const server = (github.serverUrl || 'https://github.com').replace(/\/+$/, '');
  const [owner = '', ...rest] = ref.repository.split('/');
  const [repoOwner = '', repoName = ''] = (github.repository ?? '').split('/');
  if (server !== 'https://github.com' || rest.length === 0 || repoName === '') return '';
  if (owner !== repoOwner.toLowerCase()) return '';
  return `${server}/${repoOwner}/${repoName}/pkgs/container/${encodeURIComponent(rest.join('/'))}`;
}
