/** What the runtime offers the build stage: one confined run of the executor. */
import type { InstalledExecutor } from '../executor/install.js';

/** Where the build context appears inside the container (bound read-only). */
export const CONTAINER_CONTEXT = '/workspace';
/** Where the output directory appears inside the container (read-write: digest file, OCI layout). */
export const CONTAINER_OUTPUT = '/kaniko/output';
/** The docker config directory when the image's environment names none. */
export const DEFAULT_DOCKER_CONFIG = '/kaniko/.docker';
/** The CA bundle when the image's environment names none. */
export const DEFAULT_CA_BUNDLE = '/kaniko/ssl/certs/ca-certificates.crt';

export interface RunSpec {
  executor: InstalledExecutor;
  /** Executor arguments (after the entrypoint), paths as seen inside the container. */
  args: string[];
  /** Extra environment for the executor (proxies), on top of the image's own; written to the bundle, never to an argument list. */
  env: Record<string, string>;
  /** Host directory bound read-only as the build context (at `CONTAINER_CONTEXT`). */
  context: string;
  /** Host credentials file bound in as the executor's docker config. */
  dockerConfig: string;
  /** Host directory bound read-write for the digest file and other results (at `CONTAINER_OUTPUT`). */
  outputDir: string;
  /** Called with every line the executor prints. */
  onLine: (line: string) => void;
  /** Aborting kills every process of the build. */
  signal?: AbortSignal;
  /** Kills every process of the build after this many milliseconds. */
  timeoutMs?: number;
}

export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the run was killed by the runtime: the abort signal or the timeout. */
  killed?: 'aborted' | 'timeout';
}

export interface Runtime {
  /** The OCI runtime: `runc`, `crun`, or the path given. */
  name: string;
  /** The runtime's `--version` line, for the log. */
  version?: string;
  /**
   * The action's directory under RUNNER_TEMP for this step: bundles, the runtime's state, the
   * builds' output directories. The post step passes it to `cleanupBuilds`.
   */
  workDir: string;
  run(spec: RunSpec): Promise<RunOutcome>;
}
