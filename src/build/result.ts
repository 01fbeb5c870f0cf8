/** The plain data that flows from one stage to the next. */
import { imageWebUrl, type ImageRef } from '../versions/image-ref.js';

/** One directory to build, with the version it gets. */
export interface ImagePlan {
  directory: string;
  /** Image name derived from the directory. */
  name: string;
  ref: ImageRef;
  version: string;
  /** The version that was bumped, `''` for a new image or an explicit `version`. */
  previous: string;
}

export type ImageStatus = 'pushed' | 'built' | 'failed' | 'skipped';

/** What became of one directory. */
export interface ImageResult {
  directory: string;
  /** Full reference without a tag. */
  image: string;
  version: string;
  previous: string;
  /** Tags pushed (or that would have been pushed). */
  tags: string[];
  /** `sha256:…` of the built image, `''` when none. */
  digest: string;
  status: ImageStatus;
  /** Why it failed or was skipped, `''` otherwise. */
  error: string;
  durationMs: number;
  /** Link to the image's page (Docker Hub), `''` when none. */
  webUrl: string;
}

/** Why a directory was not built after another failed with `fail-fast`. */
export const SKIPPED_BY_FAIL_FAST =
  "not built: an earlier directory failed and 'fail-fast' is true";

/** The result of a planned directory before (or without) its build: nothing pushed yet. */
export function resultOf(
  plan: ImagePlan,
  latest: boolean,
  status: ImageStatus = 'failed',
  error = '',
): ImageResult {
  return {
    directory: plan.directory,
    image: plan.ref.reference,
    version: plan.version,
    previous: plan.previous,
    tags: latest ? [plan.version, 'latest'] : [plan.version],
    digest: '',
    status,
    error,
    durationMs: 0,
    webUrl: imageWebUrl(plan.ref),
  };
}
