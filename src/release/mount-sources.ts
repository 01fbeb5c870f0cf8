/**
 * Where the base layers of an image may already be on its registry: the repositories its
 * Dockerfile's `FROM` lines name on the same registry (Docker Hub's short names included). A
 * push mounts a missing blob from there instead of uploading it; a repository that does not
 * hold the blob only costs the upload it would have needed anyway. Pure: the Dockerfile's text
 * in, repository paths out.
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { ImageRef } from '../contract.js';
import { isDockerHub } from '../lib/docker-hub.js';

/** Repositories on `ref`'s registry named by `FROM`, in order, without duplicates. */
export function baseRepositories(dockerfile: string, ref: Pick<ImageRef, 'registry'>): string[] {
  const stages = new Set<string>();
  const out: string[] = [];
  for (const from of DockerfileParser.parse(dockerfile).getFROMs()) {
    const image = from.getImage() ?? '';
    const name = from.getImageName() ?? '';
    const stage = from.getBuildStage();
    const earlierStage = stages.has(image.toLowerCase());
    if (stage) stages.add(stage.toLowerCase());
    // Variables need the build's arguments; a stage or `scratch` is no image.
    if (!name || image.includes('$') || earlierStage || image === 'scratch') continue;
    const registry = from.getRegistry() ?? 'docker.io';
    const same = isDockerHub(registry)
      ? isDockerHub(ref.registry)
      : registry.toLowerCase() === ref.registry.toLowerCase();
    if (!same) continue;
    const repository = isDockerHub(registry) && !name.includes('/') ? `library/${name}` : name;
    if (!out.includes(repository)) out.push(repository);
  }
  return out;
}
