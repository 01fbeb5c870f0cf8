/** Stage 5, build: one isolated kaniko run per directory. */
import type { Credentials } from './credentials.js';
import type { InstalledExecutor } from './executor.js';
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';
import type { ImagePlan, ImageResult } from './results.js';
import type { Runtime } from './runtime.js';

export interface BuildContext {
  inputs: Inputs;
  workspace: string;
  executor: InstalledExecutor;
  runtime: Runtime;
  credentials: Credentials;
}

export async function buildImages(
  _plans: readonly ImagePlan[],
  _ctx: BuildContext,
): Promise<ImageResult[]> {
  throw new NotImplementedError('build');
}
