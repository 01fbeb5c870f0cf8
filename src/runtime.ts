/** How kaniko is isolated from the runner: the runtime that gives every build its own root. */
import type { InstalledExecutor } from './executor.js';
import type { Inputs } from './inputs.js';
import { NotImplementedError } from './not-implemented.js';

export interface RunSpec {
  executor: InstalledExecutor;
  /** Executor arguments (after the entrypoint), paths as seen inside the sandbox. */
  args: string[];
  /** Extra environment for the executor (proxies), on top of the image's own. */
  env: Record<string, string>;
  /** Host directory bound read-only as the build context. */
  context: string;
  /** Host credentials file bound in as the executor's docker config. */
  dockerConfig: string;
  /** Host directory bound read-write for the digest file and other results. */
  outputDir: string;
  /** Called with every line the executor prints. */
  onLine: (line: string) => void;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface Runtime {
  name: 'sandbox';
  run(spec: RunSpec): Promise<RunOutcome>;
}

/** Picks the runtime for `runtime: auto|sandbox`, or fails saying what is missing. */
export async function selectRuntime(_inputs: Inputs): Promise<Runtime> {
  throw new NotImplementedError('runtime');
}
