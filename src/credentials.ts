/** Stage 3, auth: the registry credentials file that kaniko alone reads. */
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';

export interface Credentials {
  /** Fresh directory under RUNNER_TEMP, deleted by the post step. */
  dir: string;
  /** `config.json` inside it, mode 0600. */
  configPath: string;
}

export async function writeCredentials(_inputs: Inputs): Promise<Credentials> {
  throw new NotImplementedError('auth');
}

/** Deletes a credentials directory written by `writeCredentials`. */
export async function removeCredentials(_dir: string): Promise<void> {
  throw new NotImplementedError('auth cleanup');
}
