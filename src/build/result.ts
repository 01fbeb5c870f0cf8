/** The result of a planned directory before (or without) its build. */
import type { ImagePlan, ImageResult, ImageStatus } from '../contract.js';

/** Why a directory was not built after another failed with `fail-fast`. */
export const SKIPPED_BY_FAIL_FAST =
  "not built: an earlier directory failed and 'fail-fast' is true";

/** Why a directory was not built: an image it is built from failed (`error` of the result). */
export function baseFailed(directory: string): string {
  return `base ${directory} failed`;
}

/** The result of a planned directory before its build: nothing pushed yet, so no link. */
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
    platforms: {},
    reason: plan.reason,
    status,
    error,
    durationMs: 0,
    webUrl: '',
  };
}
