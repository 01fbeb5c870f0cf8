/** The result of a planned directory before (or without) its build. */
import type { DirectoryFailure, ImagePlan, ImageResult, ImageStatus } from '../contract.js';

/** Why a directory was not built after another failed with `fail-fast`. */
export const SKIPPED_BY_FAIL_FAST =
  "not built: an earlier directory failed and 'fail-fast' is true";

/** Why a directory was not built: an image it is built from failed (`error` of the result). */
export function baseFailed(directory: string): string {
  return `base ${directory} failed`;
}

/** The result of a directory that failed before it had a plan: no image, version or tags. */
export function failedResult({ directory, error }: DirectoryFailure): ImageResult {
  return {
    directory,
    image: '',
    version: '',
    previous: '',
    tags: [],
    digest: '',
    platforms: {},
    reason: '',
    status: 'failed',
    error,
    durationMs: 0,
    webUrl: '',
  };
}

/** The result of a planned directory before its build: nothing pushed yet, so no link. */
export function resultOf(
  plan: ImagePlan,
  latest: boolean,
  status: ImageStatus = 'failed',
  error = '',
): ImageResult {
  return {
    ...failedResult({ directory: plan.directory, error }),
    image: plan.ref.reference,
    version: plan.version,
    previous: plan.previous,
    tags: latest ? [plan.version, 'latest'] : [plan.version],
    reason: plan.reason,
    status,
  };
}
