/**
 * The runner's side of confinement: host tools found on a fixed PATH (never the job's),
 * privilege through `sudo -n`, the mount table, and deleting a tree without crossing a mount.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where host tools are looked for; the processes the action starts get this PATH and no other. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** How the runtime gets root: the job is root, or it runs through `sudo -n`. */
export type Privilege = 'root' | 'sudo';

/** Whether `file` is an executable regular file. */
function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The absolute path of a host tool, or `undefined`: a name is looked up on SYSTEM_PATH, an
 * absolute path must itself be an executable file.
 */
export function locateTool(name: string): string | undefined {
  if (path.isAbsolute(name)) return isExecutableFile(name) ? name : undefined;
  return SYSTEM_PATH.split(':')
    .map((dir) => path.join(dir, name))
    .find(isExecutableFile);
}

/** The host tools the runtime's helpers run. */
export type HostTool = 'mount' | 'umount' | 'cp' | 'rm';

export function tool(name: HostTool): string {
  const found = locateTool(name);
  if (!found) throw new Error(`The action needs '${name}', which is not on this runner.`);
  return found;
}

/** The argv that runs `argv` with root's privileges. */
export function privileged(privilege: Privilege, argv: readonly string[]): string[] {
  return privilege === 'root' ? [...argv] : ['sudo', '-n', '--', ...argv];
}

/** Runs a command without a shell; resolves with its status and its output (both streams). */
export function runQuiet(
  argv: readonly string[],
  options: { cwd?: string } = {},
): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.trim() }));
  });
}

/** Whether `sudo -n` works for this user (without a password). */
export async function sudoWorks(): Promise<boolean> {
  if (!locateTool('sudo')) return false;
  const result = await runQuiet(['sudo', '-n', 'true']).catch(() => ({ code: 1 }));
  return result.code === 0;
}

/** Root when the job runs as root, else `sudo -n` when it works; `undefined` otherwise. */
export async function findPrivilege(): Promise<Privilege | undefined> {
  if (process.getuid?.() === 0) return 'root';
  return (await sudoWorks()) ? 'sudo' : undefined;
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

/** Mount points of this process's namespace at or below `dir`, deepest first. */
export function mountsBelow(dir: string, mountinfo?: string): string[] {
  const text = mountinfo ?? fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return parseMountPoints(text)
    .filter((p) => p === dir || p.startsWith(prefix))
    .reverse();
}

/** Unmounts everything mounted at or below `dir` (deepest first); throws when one stays. */
export async function unmountBelow(dir: string, privilege: Privilege): Promise<void> {
  for (const point of mountsBelow(dir)) {
    const { code, output } = await runQuiet(privileged(privilege, [tool('umount'), '--', point]));
    if (code !== 0 && mountsBelow(point).includes(point)) {
      throw new Error(`Could not unmount ${point}: ${output || `umount exited with ${code}`}`);
    }
  }
}

/**
 * Deletes a tree the action made: refuses while anything is mounted at or below it, and never
 * crosses into another file system while deleting.
 */
export async function removeTree(dir: string, privilege: Privilege): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const mounted = mountsBelow(dir);
  if (mounted.length > 0) {
    throw new Error(
      `Not deleting ${dir}: ${mounted.join(', ')} ${mounted.length === 1 ? 'is' : 'are'} still mounted there.`,
    );
  }
  if (privilege === 'root') {
    // Nothing is mounted below (checked above), so this cannot cross into another file system.
    await fs.promises.rm(dir, { recursive: true, force: true });
    return;
  }
  const { code, output } = await runQuiet(
    privileged(privilege, [tool('rm'), '-rf', '--one-file-system', '--', dir]),
  );
  if (code !== 0 || fs.existsSync(dir)) {
    throw new Error(`Could not delete ${dir}: ${output || `rm exited with ${code}`}`);
  }
}
