/**
 * One container run in the foreground (`<runtime> run`): its lines streamed, killed on abort or
 * timeout, waited for. The runtime writes the pid file once the container's process has
 * started; a run that ends without one never started, and its output says why.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { RuntimeCli } from './cli.js';
import { SYSTEM_PATH } from './host.js';
import type { RunOutcome, RunSpec } from './types.js';

/** How often a kill is repeated until the run ends (the container may not exist yet). */
const KILL_RETRY_MS = 250;
/** Lines of the runtime's own output quoted when a container could not start. */
const SETUP_LINES = 5;

/** A container that could not be started; the message quotes the runtime. */
export class ContainerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerStartError';
  }
}

/** Advice for runtime errors seen on real runners. */
function hintFor(output: string): string {
  if (/cgroups? in hybrid mode not supported/i.test(output)) {
    return " This crun does not support the runner's mixed cgroup v1/v2 layout: use 'runtime: runc'.";
  }
  if (/executable file not found|no such file or directory/i.test(output)) {
    return ' Check that the executor image is a kaniko executor.';
  }
  return '';
}

export function supervise(
  cli: RuntimeCli,
  id: string,
  bundle: string,
  pidFile: string,
  spec: Pick<RunSpec, 'onLine' | 'signal' | 'timeoutMs'>,
): Promise<RunOutcome> {
  const [command, ...args] = cli.runArgv(id, bundle, pidFile) as [string, ...string[]];
  return new Promise<RunOutcome>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
    });
    const tail: string[] = [];
    const emit = (line: string): void => {
      tail.push(line);
      if (tail.length > SETUP_LINES) tail.shift();
      spec.onLine(line);
    };
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', emit);
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', emit);

    let killedFor: RunOutcome['killed'];
    let retry: NodeJS.Timeout | undefined;
    let ended = false;
    const kill = (reason: NonNullable<RunOutcome['killed']>): void => {
      if (killedFor !== undefined) return;
      killedFor = reason;
      const attempt = (): void => {
        if (ended) return;
        void cli.kill(id).finally(() => {
          if (!ended) retry = setTimeout(attempt, KILL_RETRY_MS);
        });
      };
      attempt();
    };
    const onAbort = (): void => kill('aborted');
    if (spec.signal?.aborted) queueMicrotask(onAbort);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      spec.timeoutMs !== undefined ? setTimeout(() => kill('timeout'), spec.timeoutMs) : undefined;
    const done = (): void => {
      ended = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      spec.signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (error) => {
      done();
      reject(
        new ContainerStartError(
          `Could not start the OCI runtime ${cli.runtime.binary}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      done();
      const started = fs.existsSync(pidFile);
      if (killedFor !== undefined) {
        resolve({ exitCode: null, signal: 'SIGKILL', killed: killedFor });
      } else if (!started) {
        const detail = tail.join(' / ') || `exit status ${code ?? signal}`;
        reject(
          new ContainerStartError(
            `${cli.runtime.name} could not start the build's container: ${detail}.${hintFor(detail)}`,
          ),
        );
      } else {
        resolve({ exitCode: code, signal });
      }
    });
  });
}
