/**
 * How kaniko is isolated from the runner: the runtime that gives every build its own root.
 *
 * `runtime: auto` and `runtime: sandbox` both mean the sandbox (see `sandbox.ts`): Linux, root
 * or passwordless sudo, and a kernel that lets this job make mount, PID, UTS and IPC namespaces. What is
 * missing is found by probing before any build, and the step fails saying what to change.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Inputs, RuntimeChoice } from '../contract.js';
import { locateTool, makeWorkDir, SANDBOX_TOOLS } from './host.js';
import { runInSandbox, SANDBOX_NAMESPACES } from './sandbox.js';
import type { Privilege, Runtime } from './types.js';

export { cleanupSandboxes } from './host.js';
export type { Runtime, RunOutcome, RunSpec } from './types.js';
export { SANDBOX_CONTEXT, SANDBOX_OUTPUT } from './types.js';

/** What the runner offers, as found by `probeIsolation`. */
export interface IsolationProbe {
  /** `process.platform`. */
  platform: string;
  uid: number;
  /** Whether `sudo -n true` works; `null` when not asked (root, or not Linux). */
  sudo: boolean | null;
  /** Host tools the sandbox needs that are not there. */
  missingTools: string[];
  /** Whether mount, PID, UTS and IPC namespaces with a fresh /proc and a pivot_root into a root of their own could be made; `null` when not tried. */
  namespaces: { ok: boolean; detail: string } | null;
}

export type RuntimeDecision = { ok: true; privilege: Privilege } | { ok: false; message: string };

const REMEDY =
  'Use a Linux runner where the job runs as root or has passwordless sudo (GitHub-hosted ubuntu runners do), ' +
  "or run the job in a container as root started with '--privileged' (jobs.<id>.container.options: --privileged).";

/** The decision of `runtime: auto|sandbox` for what the runner offers. Pure. */
export function decideRuntime(choice: RuntimeChoice, probe: IsolationProbe): RuntimeDecision {
  const lead = `runtime '${choice}' cannot isolate kaniko on this runner (it must never run on the runner's own root file system)`;
  if (probe.platform !== 'linux') {
    return {
      ok: false,
      message: `${lead}: the sandbox needs Linux, and this runner runs ${probe.platform}. Run the job on a Linux runner (e.g. 'runs-on: ubuntu-latest').`,
    };
  }
  const root = probe.uid === 0;
  if (!root && probe.sudo !== true) {
    return {
      ok: false,
      message: `${lead}: the job runs as uid ${probe.uid}, not root, and 'sudo -n' does not work without a password. ${REMEDY}`,
    };
  }
  if (probe.missingTools.length > 0) {
    return {
      ok: false,
      message: `${lead}: ${probe.missingTools.map((t) => `'${t}'`).join(', ')} ${
        probe.missingTools.length === 1 ? 'is' : 'are'
      } not installed (util-linux and coreutils provide them). Install them in the job, or use a runner that has them.`,
    };
  }
  if (probe.namespaces === null || !probe.namespaces.ok) {
    const detail = probe.namespaces?.detail ? ` (${probe.namespaces.detail})` : '';
    return {
      ok: false,
      message: `${lead}: creating mount, PID, UTS and IPC namespaces with a root of their own failed${detail}, as it does in a container without privileges. ${REMEDY}`,
    };
  }
  return { ok: true, privilege: root ? 'root' : 'sudo' };
}

/**
 * Mounts a tmpfs at $1, binds the runner's tree into it (as the sandbox does for its helper)
 * and makes the tmpfs the root, as the sandbox does with the executor's copy.
 */
const PIVOT_PROBE =
  [
    'mount -t tmpfs -o size=4k,mode=700 tmpfs "$1"',
    'mkdir "$1/runner"',
    'mount --rbind / "$1/runner"',
    'cd "$1"',
    'pivot_root . .',
    'cd /',
    'exit 0',
  ].join(' && ') + '; exit 1';

function attempt(argv: string[]): Promise<{ ok: boolean; detail: string }> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', (error) => resolve({ ok: false, detail: error.message }));
    child.on('close', (code, signal) =>
      resolve({
        ok: code === 0,
        detail: output.trim().split('\n').slice(-2).join(' ') || `exit status ${code ?? signal}`,
      }),
    );
  });
}

/** Finds what the runner offers, stopping at the first thing that rules the sandbox out. */
export async function probeIsolation(): Promise<IsolationProbe> {
  const probe: IsolationProbe = {
    platform: process.platform,
    uid: process.getuid?.() ?? -1,
    sudo: null,
    missingTools: [],
    namespaces: null,
  };
  if (probe.platform !== 'linux') return probe;
  if (probe.uid !== 0) {
    probe.sudo = locateTool('sudo') !== undefined && (await attempt(['sudo', '-n', 'true'])).ok;
    if (!probe.sudo) return probe;
  }
  probe.missingTools = SANDBOX_TOOLS.filter((t) => locateTool(t) === undefined);
  if (probe.missingTools.length > 0) return probe;
  // The probe does what every build does first: new namespaces, a fresh /proc, and a pivot
  // into a root of its own (a small tmpfs on an empty directory, gone with the namespace).
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'kaniko-release-probe-'));
  try {
    const unshare = [
      locateTool('unshare') as string,
      ...SANDBOX_NAMESPACES,
      '--fork',
      '--kill-child',
      '--propagation',
      'private',
      '--mount-proc',
      '--',
      locateTool('sh') as string,
      '-c',
      PIVOT_PROBE,
      'kaniko-release-probe',
      target,
    ];
    probe.namespaces = await attempt(probe.uid === 0 ? unshare : ['sudo', '-n', '--', ...unshare]);
  } finally {
    fs.rmdirSync(target);
  }
  return probe;
}

/** Picks the runtime for `runtime: auto|sandbox`, or fails saying what is missing. */
export async function selectRuntime(
  inputs: Pick<Inputs, 'runtime' | 'caCertificates'>,
  probe?: IsolationProbe,
): Promise<Runtime> {
  const decision = decideRuntime(inputs.runtime, probe ?? (await probeIsolation()));
  if (!decision.ok) throw new Error(decision.message);
  const workDir = makeWorkDir();
  const options = {
    workDir,
    privilege: decision.privilege,
    caCertificates: inputs.caCertificates,
  };
  return {
    name: 'sandbox',
    workDir,
    run: (spec) => runInSandbox(spec, options),
  };
}
