/**
 * What the release needs to know of a parsed Dockerfile (`dockerfile.ts`): whether building it
 * for another platform runs programs of that platform, and which repositories of the image's
 * own registry its base images come from. Pure functions over the model.
 */
import type { BaseImageOptions } from './base-images.js';
import { baseImagesOf } from './base-images.js';
import type { DockerfileModel } from './dockerfile.js';
import { isDockerHub } from '../lib/docker-hub.js';

const BUILD_PLATFORM = /^\$(\{BUILDPLATFORM\}|BUILDPLATFORM)$/;

/**
 * Whether any `RUN` step runs on the target platform: only `RUN` steps run programs, and only
 * in stages not pinned to the build platform (`FROM --platform=$BUILDPLATFORM …`, the
 * cross-compiling form). A `--platform` given by another variable counts as the target's.
 */
export function runsOnTargetPlatform(model: DockerfileModel): boolean {
  return model.stages.some(
    (stage) => stage.runs && !BUILD_PLATFORM.test(stage.platform?.written.trim() ?? ''),
  );
}

/**
 * The repositories of `registry` (Docker Hub's short names included) that the built stages'
 * base images come from, in order, without duplicates: where a push may mount their layers.
 */
export function baseRepositoriesOn(
  model: DockerfileModel,
  registry: string,
  options: BaseImageOptions = {},
): string[] {
  const wanted = isDockerHub(registry) ? 'docker.io' : registry.toLowerCase();
  const out: string[] = [];
  for (const base of baseImagesOf(model, options)) {
    if (!base.known || !base.name || base.name.registry !== wanted) continue;
    if (!out.includes(base.name.repository)) out.push(base.name.repository);
  }
  return out;
}
