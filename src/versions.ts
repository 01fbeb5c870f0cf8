/** Stage 2, versions: the next version of every image, from the registry's tags. */
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';
import type { ImagePlan } from './results.js';

export interface DirectoryFailure {
  directory: string;
  error: string;
}

export interface VersionPlan {
  plans: ImagePlan[];
  /** Directories that cannot be built at all (e.g. a name that is no valid image name). */
  failures: DirectoryFailure[];
}

export async function planVersions(
  _directories: readonly string[],
  _inputs: Inputs,
): Promise<VersionPlan> {
  throw new NotImplementedError('versions');
}
