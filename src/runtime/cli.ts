/**
 * The runtime's command line, as runc and crun both take it: `--root <state dir>` first (the
 * action keeps its containers in a state directory of its own, never next to anyone else's),
 * then `run`, `kill`, `delete` or `state`. Container ids are the action's own, checked before
 * they reach an argument list.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { OciRuntime } from './discover.js';
import { privileged, runQuiet, SYSTEM_PATH } from './host.js';

/** Every container id the action makes: `kaniko-build-` and 16 hex digits. */
export const CONTAINER_ID = /^kaniko-build-[0-9a-f]{16}$/;

export function newContainerId(): string {
  return `kaniko-build-${randomBytes(8).toString('hex')}`;
}

function checked(id: string): string {
  if (!CONTAINER_ID.test(id))
    throw new Error(`${JSON.stringify(id)} is not a container id of the action.`);
  return id;
}

/** How long a `kill`/`delete` may take before it is given up on. */
const COMMAND_TIMEOUT_MS = 30_000;

export class RuntimeCli {
  constructor(
    readonly runtime: OciRuntime,
    /** The runtime's state directory (`--root`), under the action's work directory. */
    readonly stateRoot: string,
  ) {}

  /** The full argv of a runtime command, with `sudo -n` when not root. */
  argv(...args: string[]): string[] {
    return privileged(this.runtime.privilege, [
      this.runtime.binary,
      '--root',
      this.stateRoot,
      ...args,
    ]);
  }

  /** `run` in the foreground: its exit status is the container process's. */
  runArgv(id: string, bundle: string, pidFile: string): string[] {
    return this.argv('run', '--bundle', bundle, '--pid-file', pidFile, checked(id));
  }

  /** Sends SIGKILL to the container's init, which ends its PID namespace. */
  async kill(id: string): Promise<{ ok: boolean; output: string }> {
    const { code, output } = await runQuiet(this.argv('kill', checked(id), 'KILL'));
    return { ok: code === 0, output };
  }

  /** Kills what is left of the container and deletes it; `false` when it does not exist. */
  async delete(id: string): Promise<{ ok: boolean; output: string }> {
    const { code, output } = await runQuiet(this.argv('delete', '--force', checked(id)));
    return { ok: code === 0, output };
  }

  /** `delete --force`, synchronously: for a signal handler, which cannot wait for a promise. */
  deleteSync(id: string): void {
    const [command, ...args] = this.argv('delete', '--force', checked(id)) as [string, ...string[]];
    spawnSync(command, args, {
      stdio: 'ignore',
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
      timeout: COMMAND_TIMEOUT_MS,
    });
  }
}
