/**
 * Which OCI runtime confines the builds: `runtime: auto` (runc, then crun), `runc`, `crun`, or
 * an absolute path to a runc-compatible binary; run as root, or through `sudo -n`. What is
 * missing is found before any build, and the step fails saying what to install or change.
 */
import * as path from 'node:path';
import type { RuntimeChoice } from '../contract.js';
import { findPrivilege, locateTool, runQuiet, SYSTEM_PATH, type Privilege } from './host.js';

/** The runtimes `auto` looks for, in order. */
export const AUTO_RUNTIMES = ['runc', 'crun'] as const;

/** The one line that makes a Debian or Ubuntu runner able to run the builds. */
const INSTALL_HINT = 'sudo apt-get install -y runc';

/** An OCI runtime found on the runner. */
export interface OciRuntime {
  /** `runc`, `crun`, or the path given. */
  name: string;
  /** Absolute path of the binary. */
  binary: string;
  privilege: Privilege;
  /** The first line of `<binary> --version`. */
  version: string;
}

/** What the runner offers, as found by `probeRunner`. */
export interface RunnerProbe {
  /** `process.platform`. */
  platform: string;
  uid: number;
  /** `undefined`: neither root nor passwordless sudo. */
  privilege: Privilege | undefined;
  /** Runtime name or path → its binary, `undefined` when not found. */
  binaries: Record<string, string | undefined>;
}

export type RuntimeDecision =
  { ok: true; name: string; binary: string; privilege: Privilege } | { ok: false; message: string };

function candidates(choice: RuntimeChoice): readonly string[] {
  return choice === 'auto' ? AUTO_RUNTIMES : [choice];
}

/** Finds what the runner offers for `choice`. */
export async function probeRunner(choice: RuntimeChoice): Promise<RunnerProbe> {
  const probe: RunnerProbe = {
    platform: process.platform,
    uid: process.getuid?.() ?? -1,
    privilege: undefined,
    binaries: {},
  };
  if (probe.platform !== 'linux') return probe;
  probe.privilege = await findPrivilege();
  for (const c of candidates(choice)) probe.binaries[c] = locateTool(c);
  return probe;
}

/** The runtime for `choice` on a runner as probed, or what is missing. Pure. */
export function decideRuntime(choice: RuntimeChoice, probe: RunnerProbe): RuntimeDecision {
  const lead = `Input 'runtime' is '${choice}', but`;
  if (probe.platform !== 'linux') {
    return {
      ok: false,
      message: `${lead} builds run in runc or crun containers, which need Linux, and this runner runs ${probe.platform}. Run the job on a Linux runner (e.g. 'runs-on: ubuntu-latest').`,
    };
  }
  if (probe.privilege === undefined) {
    return {
      ok: false,
      message: `${lead} the job runs as uid ${probe.uid}, not root, and 'sudo -n' does not work without a password; the runtime needs root. Use a runner where the job is root or has passwordless sudo (GitHub's Ubuntu runners do).`,
    };
  }
  for (const name of candidates(choice)) {
    const binary = probe.binaries[name];
    if (binary) return { ok: true, name, binary, privilege: probe.privilege };
  }
  if (choice === 'auto') {
    return {
      ok: false,
      message: `No OCI runtime on this runner: 'runtime: auto' needs runc or crun (looked in ${SYSTEM_PATH}). Install one in a step before this one: ${INSTALL_HINT}`,
    };
  }
  if (path.isAbsolute(choice)) {
    return {
      ok: false,
      message: `${lead} there is no executable file at ${choice}. Give the path of a runc or crun binary, or use 'runtime: auto'.`,
    };
  }
  return {
    ok: false,
    message: `${lead} ${choice} is not installed on this runner (looked in ${SYSTEM_PATH}). Install it in a step before this one (sudo apt-get install -y ${choice}), or use 'runtime: auto'.`,
  };
}

/** Finds the runtime for `choice` and checks that it runs; throws saying what to do. */
export async function findRuntime(choice: RuntimeChoice, probe?: RunnerProbe): Promise<OciRuntime> {
  const decision = decideRuntime(choice, probe ?? (await probeRunner(choice)));
  if (!decision.ok) throw new Error(decision.message);
  const { code, output } = await runQuiet([decision.binary, '--version']).catch((error: Error) => ({
    code: null,
    output: error.message,
  }));
  if (code !== 0) {
    throw new Error(
      `The OCI runtime ${decision.binary} does not run ('--version' failed: ${output || `exit status ${code}`}). Install a working runc or crun (${INSTALL_HINT}).`,
    );
  }
  return {
    name: decision.name,
    binary: decision.binary,
    privilege: decision.privilege,
    version: output.split('\n')[0] ?? '',
  };
}
