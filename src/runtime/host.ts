/**
 * The runner's side of confinement: the host tools a runtime runs (found on a fixed PATH, never
 * the job's), privilege through `sudo -n`, the mount table, and deleting a build's directory.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Privilege } from './types.js';

/** Where the host tools are looked for; the spawned processes get this PATH and no other. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The absolute path of a host tool, or `undefined`. */
export function locateTool(name: string): string | undefined {
  for (const dir of SYSTEM_PATH.split(':')) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The host tools the sandbox runs. */
export const SANDBOX_TOOLS = [
  'unshare',
  'mount',
  'umount',
  'pivot_root',
  'chroot',
  'mkfifo',
  'env',
  'sh',
  'cp',
  'rm',
] as const;

export function tool(name: (typeof SANDBOX_TOOLS)[number]): string {
  const found = locateTool(name);
  if (!found) throw new Error(`The sandbox needs '${name}', which is not on this runner.`);
  return found;
}

/** The argv prefix that runs a command with the sandbox's privileges. */
export function privileged(privilege: Privilege, argv: string[]): string[] {
  return privilege === 'root' ? argv : ['sudo', '-n', '--', ...argv];
}

// ---------------------------------------------------------------------------------------------
// The mount table

/** Decodes the octal escapes (`\040` for a space) of a mountinfo path. */
function unescapeMountPath(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The mount points of a `/proc/<pid>/mountinfo` text. */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined && p !== '')
    .map(unescapeMountPath);
}

/** Mount points of this process's namespace at or below `dir`. */
export function mountsBelow(dir: string, mountinfo?: string): string[] {
  const text = mountinfo ?? fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return parseMountPoints(text).filter((p) => p === dir || p.startsWith(prefix));
}

// ---------------------------------------------------------------------------------------------
// Cleanup

export async function runQuiet(argv: string[]): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.trim() }));
  });
}

/**
 * Deletes a sandbox directory: refuses while anything is mounted at or below it, and never
 * crosses into another file system while deleting.
 */
export async function removeSandboxDir(dir: string, privilege: Privilege): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const mounted = mountsBelow(dir);
  if (mounted.length > 0) {
    throw new Error(
      `Not deleting the sandbox ${dir}: ${mounted.join(', ')} ${mounted.length === 1 ? 'is' : 'are'} still mounted there.`,
    );
  }
  const { code, output } = await runQuiet(
    privileged(privilege, [tool('rm'), '-rf', '--one-file-system', '--', dir]),
  );
  if (code !== 0 || fs.existsSync(dir)) {
    throw new Error(`Could not delete the sandbox ${dir}: ${output || `rm exited with ${code}`}`);
  }
}

/**
 * Deletes what is left of the sandboxes under `workDir` (the post step calls this), then
 * `workDir` itself. Uses `sudo -n` when not root and sudo works; throws when a sandbox is
 * still mounted or cannot be deleted.
 */
export async function cleanupSandboxes(workDir: string): Promise<void> {
  if (!fs.existsSync(workDir)) return;
  const dir = fs.realpathSync(workDir);
  let privilege: Privilege = 'root';
  if (process.getuid?.() !== 0) {
    const sudo = await runQuiet(['sudo', '-n', 'true']).catch(() => ({ code: 1 }));
    privilege = sudo.code === 0 ? 'sudo' : 'root';
  }
  if (privilege === 'root' && process.getuid?.() !== 0) {
    // Without any privilege, the files kaniko wrote as root may stay; try anyway.
    const mounted = mountsBelow(dir);
    if (mounted.length > 0) throw new Error(`Not deleting ${dir}: ${mounted.join(', ')} mounted.`);
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  await removeSandboxDir(dir, privilege);
}

/** A directory for this job's sandboxes, under RUNNER_TEMP. */
export function makeWorkDir(): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(fs.realpathSync(base), 'kaniko-release-sandboxes-'));
}
