/**
 * Image references as Docker reads them: pure functions, no I/O.
 *
 * `alpine`, `library/alpine`, `docker.io/alpine`, `index.docker.io/library/alpine:latest` are
 * one image: the registry is the first path component when it holds a `.` or `:` or is
 * `localhost`, else Docker Hub, whose single-component names live under `library/`.
 */
import { isDockerHub } from './docker-hub.js';
import { PATH_COMPONENT, TAG } from './names.js';

export interface ImageName {
  /** Lower-cased; every Docker Hub alias is `docker.io`. */
  registry: string;
  /** `library/alpine`, `myorg/base`, `team/sub/image`. */
  repository: string;
  /** As written; `undefined` when none was (Docker then pulls `latest`). */
  tag?: string;
  /** `sha256:…` when the reference pins one. */
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Reads a reference; `undefined` when it is not one (a stage name is, and is told apart elsewhere). */
export function parseReference(text: string): ImageName | undefined {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const hasRegistry =
    slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (isDockerHub(registry)) registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (repository === '' || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
    return undefined;
  }
  return {
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest ? { digest } : {}),
  };
}
