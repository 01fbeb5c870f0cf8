/**
 * A runtime for build-stage tests that runs the stand-in executor directly on the host instead
 * of in its container: the container paths in the arguments (`/workspace`, `/kaniko/output`) are
 * mapped to the host directories the runtime would bind there. The runtime itself is tested by
 * the runtime's own tests and end to end through the bundled action.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CONTAINER_CONTEXT, CONTAINER_OUTPUT } from '../../src/runtime/types.js';
import type { RunOutcome, RunSpec, Runtime } from '../../src/runtime/types.js';

export class HostRuntime implements Runtime {
  readonly name = 'host (test)';
  workDir = '';
  readonly specs: RunSpec[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Called once a run ends, before the build loop sees the outcome. */
  afterRun?: (spec: RunSpec) => Promise<void>;
  /** Awaited before a run starts. */
  beforeRun?: (spec: RunSpec) => Promise<void>;
  /** Kill the executor with this signal after its first line. */
  killWith?: NodeJS.Signals;

  constructor(
    /** The stand-in binary. */
    private readonly standin: string,
  ) {}

  async run(spec: RunSpec): Promise<RunOutcome> {
    this.specs.push(spec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.beforeRun?.(spec);
      const args = spec.args.map((arg) =>
        arg
          .replace(`dir://${CONTAINER_CONTEXT}`, `dir://${spec.context}`)
          .replace(`=${CONTAINER_CONTEXT}/`, `=${spec.context}/`)
          .replace(`=${CONTAINER_OUTPUT}/`, `=${spec.outputDir}/`),
      );
      // kaniko's own directory lives in the output directory, never at the host's /kaniko.
      const kanikoDir = path.join(spec.outputDir, 'kaniko-dir');
      const child = spawn(this.standin, args, {
        env: {
          PATH: '/usr/bin:/bin',
          DOCKER_CONFIG: path.dirname(spec.dockerConfig),
          KANIKO_DIR: kanikoDir,
          ...spec.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          spec.onLine(line);
          if (this.killWith) child.kill(this.killWith);
        });
      }
      const outcome = await new Promise<RunOutcome>((resolve) =>
        child.on('close', (exitCode, signal) => resolve({ exitCode, signal })),
      );
      await this.afterRun?.(spec);
      return outcome;
    } finally {
      this.inFlight--;
    }
  }
}
