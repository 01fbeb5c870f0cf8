/** Stage 4, install: the kaniko executor's root filesystem, downloaded, verified and cached. */
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';

export interface InstalledExecutor {
  /** The cached root filesystem; never written to. */
  rootfs: string;
  /** Digest of the platform manifest it was made from. */
  digest: string;
  /** The image config's environment, `KEY=VALUE`. */
  env: string[];
  /** The image config's entrypoint, e.g. `['/kaniko/executor']`. */
  entrypoint: string[];
}

export async function installExecutor(_inputs: Inputs): Promise<InstalledExecutor> {
  throw new NotImplementedError('install');
}
