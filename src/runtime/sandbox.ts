/**
 * The sandbox runtime: every kaniko run gets a fresh root file system of its own, copied from
 * the cached executor, in new mount, PID, UTS and IPC namespaces.
 *
 * Node prepares the root on disk (the copy, the CA bundle, plain mount points with no link on
 * the way), then starts `unshare` (via `sudo -n` when not root) with an exact environment
 * (`env -i`). Inside the namespaces a small shell script whose text is the constant below
 * performs the mounts it is given as arguments — every path is a positional parameter, never
 * script text —, hardens the fresh /proc, makes the root `/` with `pivot_root` and detaches the
 * runner's tree, replaces its environment with the image's, prints a ready line and `exec`s
 * `<entrypoint> <args>`: kaniko becomes PID 1 of the namespace, with the image's environment,
 * its own host name, and no path to anything of the runner's.
 *
 * When the last process of the namespace ends, its mounts go with it. Killing `unshare` kills
 * PID 1 (`--kill-child`) and with it every process of the namespace. Afterwards the host's
 * mount table is checked for anything below the sandbox, and the directory is deleted with
 * `rm --one-file-system`, so the deletion never crosses into a bound directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareMountPoint, resolveInRoot } from '../executor/rootfs.js';
import { privileged, removeSandboxDir, runQuiet, SYSTEM_PATH, tool } from './host.js';
import { READY, supervise } from './supervise.js';
import {
  DEFAULT_CA_BUNDLE,
  DEFAULT_DOCKER_CONFIG,
  SANDBOX_CONTEXT,
  SANDBOX_OUTPUT,
  type Privilege,
  type RunOutcome,
  type RunSpec,
} from './types.js';

export interface SandboxOptions {
  /** Directory (under RUNNER_TEMP) that holds the per-build sandboxes. */
  workDir: string;
  privilege: Privilege;
  /** Extra PEM certificates appended to the executor's CA bundle in every build's root. */
  caCertificates?: string;
}

/** Exit status of the script when a mount step fails. */
const SETUP_FAILED = 125;

/**
 * Runs inside the new namespaces as `sh -c SCRIPT kaniko-sandbox STEP… -- COMMAND…`. Each step
 * is a word followed by its operands; the command after `--` is `exec`ed when all succeeded.
 */
const SCRIPT = `
fail() { printf 'kaniko-release-sandbox: %s\\n' "$*" >&2; exit ${SETUP_FAILED}; }
while [ "$#" -gt 0 ]; do
  case "$1" in
    --) shift; break ;;
    bind) mount --bind "$2" "$3" || fail "cannot bind $2 at $3"; shift 3 ;;
    bind-ro)
      mount --bind "$2" "$3" || fail "cannot bind $2 at $3"
      mount -o remount,bind,ro "$3" || fail "cannot make $3 read-only"
      shift 3 ;;
    proc) mount -t proc -o nosuid,nodev,noexec proc "$2" || fail "cannot mount proc at $2"; shift 2 ;;
    hostname)
      printf '%s' "$2" > "$3/sys/kernel/hostname" || fail "cannot set the host name"
      shift 3 ;;
    ro-if-there)
      if [ -e "$2" ]; then
        mount --bind "$2" "$2" || fail "cannot bind $2"
        mount -o remount,bind,ro "$2" || fail "cannot make $2 read-only"
      fi
      shift 2 ;;
    mask-if-there)
      if [ -d "$2" ]; then
        mount -t tmpfs -o ro,nosuid,nodev,noexec,size=4k,mode=555 tmpfs "$2" || fail "cannot mask $2"
      elif [ -e "$2" ]; then
        mount --bind /dev/null "$2" || fail "cannot mask $2"
      fi
      shift 2 ;;
    tmpfs) mount -t tmpfs -o "$2" tmpfs "$3" || fail "cannot mount a tmpfs at $3"; shift 3 ;;
    dir) mkdir "$2" || fail "cannot make the directory $2"; shift 2 ;;
    file) : > "$2" || fail "cannot make the file $2"; shift 2 ;;
    symlink) ln -s "$2" "$3" || fail "cannot link $3"; shift 3 ;;
    pivot)
      # The root becomes / and the runner's tree is detached, not just hidden. After
      # pivot_root the old root sits on top of the new one, where no host tool can be run;
      # so a helper started before, chrooted into a private copy of the runner's tree,
      # unmounts it (found through the fresh /proc as the root of PID 1, this shell) when
      # told through the FIFO. Opening the FIFO waits for the helper, so it is chrooted
      # before the pivot, which would otherwise move its root too.
      mount --rbind / "$3" || fail "cannot bind the runner's tree at $3"
      mkfifo -m 600 "$4" || fail "cannot make the FIFO $4"
      {
        chroot "$3" "$5" -c 'read -r _ < "$1" && exec umount -l -c "$2"' helper "$4" "$2/proc/1/root" || {
          # Still before the pivot, this unblocks the open below, and the status stops the run.
          : 3< "$4"
          exit 1
        }
      } &
      helper=$!
      exec 4> "$4" || fail "cannot open the FIFO $4"
      cd "$2" && pivot_root . . || fail "cannot pivot to $2"
      printf 'go\\n' >&4 && exec 4>&-
      wait "$helper" || fail "cannot detach the runner's tree"
      cd / || fail "cannot enter the new root"
      shift 5 ;;
    env-clear) unset PATH LC_ALL PWD OLDPWD; shift ;;
    export) export "$2" || fail "cannot set the environment"; shift 2 ;;
    *) fail "unknown step $1" ;;
  esac
done
[ "$#" -gt 0 ] || fail "no command"
printf '%s\\n' '${READY}'
exec "$@"
`;

/** The host name inside the sandbox's own UTS namespace. */
export const SANDBOX_HOSTNAME = 'kaniko';
/**
 * Parts of the fresh /proc that reach the host's kernel rather than the namespace: made
 * read-only (sysctls, sysrq, IRQ affinity, bus and file system settings) or hidden (kernel
 * memory, keys, timers, scheduler and hardware details), as OCI runtimes do.
 */
const PROC_READ_ONLY = ['sys', 'sysrq-trigger', 'irq', 'bus', 'fs'];
const PROC_MASKED = ['kcore', 'keys', 'timer_list', 'sched_debug', 'scsi', 'acpi'];

/** The namespaces every build gets: its own mounts, processes, host name and IPC objects. */
export const SANDBOX_NAMESPACES = ['--mount', '--pid', '--uts', '--ipc'] as const;

/** Device nodes of the runner bound into the sandbox's private `/dev`. */
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
const DEV_LINKS: [string, string][] = [
  ['fd', '/proc/self/fd'],
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
];
/** Where the host tools are looked for; the spawned processes get this PATH and no other. */

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------------------------
// One run

/** The image environment, then the given variables; PATH and HOME as a container runtime would. */
export function sandboxEnv(imageEnv: readonly string[], extra: Record<string, string>): string[] {
  const env = new Map<string, string>();
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (ENV_KEY.test(key)) env.set(key, entry.slice(eq + 1));
  }
  for (const [key, value] of Object.entries(extra)) {
    if (!ENV_KEY.test(key)) throw new Error(`${JSON.stringify(key)} is not an environment name.`);
    if (value.includes('\0')) throw new Error(`The value of ${key} holds a NUL byte.`);
    env.set(key, value);
  }
  if (!env.has('PATH'))
    env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  if (!env.has('HOME')) env.set('HOME', '/root');
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function envValue(env: readonly string[], key: string): string | undefined {
  const entry = env.find((e) => e.startsWith(`${key}=`));
  return entry === undefined ? undefined : entry.slice(key.length + 1);
}

/** Where the executor reads its docker config, from the image's `DOCKER_CONFIG`. */
export function dockerConfigPath(env: readonly string[]): string {
  const dir = envValue(env, 'DOCKER_CONFIG') || DEFAULT_DOCKER_CONFIG;
  return path.posix.join(dir.startsWith('/') ? dir : `/${dir}`, 'config.json');
}

/** The CA bundle the executor reads: `SSL_CERT_FILE`, else `ca-certificates.crt` of `SSL_CERT_DIR`. */
export function caBundlePath(env: readonly string[]): string {
  const file = envValue(env, 'SSL_CERT_FILE');
  if (file) return file;
  const dir = envValue(env, 'SSL_CERT_DIR')?.split(':')[0];
  return dir ? path.posix.join(dir, 'ca-certificates.crt') : DEFAULT_CA_BUNDLE;
}

/** Appends PEM text to the bundle at `inside` of `root` (made when missing). */
function appendCaCertificates(root: string, inside: string, pem: string): void {
  const target = resolveInRoot(root, inside, { followFinal: true, createParents: true });
  const flags =
    fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW;
  const fd = fs.openSync(target, flags, 0o644);
  try {
    fs.writeSync(fd, `\n${pem.trim()}\n`);
  } finally {
    fs.closeSync(fd);
  }
}

interface Prepared {
  root: string;
  steps: string[];
}

/** Copies the root, adds the CA certificates and makes the mount points; returns the steps. */
async function prepareRoot(dir: string, spec: RunSpec, options: SandboxOptions): Promise<Prepared> {
  const root = path.join(dir, 'root');
  const copy = await runQuiet([
    tool('cp'),
    '-a',
    '--reflink=auto',
    '--',
    spec.executor.rootfs,
    root,
  ]);
  if (copy.code !== 0) {
    throw new Error(
      `Could not copy the executor's root file system: ${copy.output || `cp exited with ${copy.code}`}`,
    );
  }
  const env = spec.executor.env;
  if (options.caCertificates?.trim()) {
    appendCaCertificates(root, caBundlePath(env), options.caCertificates);
  }
  const steps: string[] = ['bind', root, root];
  const proc = prepareMountPoint(root, '/proc', 'dir');
  // The fresh /proc is written once, in the new UTS namespace, before it is made read-only.
  steps.push('proc', proc, 'hostname', SANDBOX_HOSTNAME, proc);
  for (const name of PROC_READ_ONLY) steps.push('ro-if-there', path.join(proc, name));
  for (const name of PROC_MASKED) steps.push('mask-if-there', path.join(proc, name));
  const dev = prepareMountPoint(root, '/dev', 'dir');
  steps.push('tmpfs', 'mode=755,nosuid,noexec,size=64k', dev);
  for (const name of DEVICES) {
    if (!fs.existsSync(`/dev/${name}`)) continue;
    steps.push('file', path.join(dev, name), 'bind', `/dev/${name}`, path.join(dev, name));
  }
  for (const [name, target] of DEV_LINKS) steps.push('symlink', target, path.join(dev, name));
  steps.push('dir', path.join(dev, 'shm'));
  steps.push('tmpfs', 'mode=1777,nosuid,nodev,noexec', path.join(dev, 'shm'));
  steps.push('bind-ro', spec.context, prepareMountPoint(root, SANDBOX_CONTEXT, 'dir'));
  steps.push('bind-ro', spec.dockerConfig, prepareMountPoint(root, dockerConfigPath(env), 'file'));
  steps.push('bind', spec.outputDir, prepareMountPoint(root, SANDBOX_OUTPUT, 'dir'));
  for (const file of ['/etc/hosts', '/etc/resolv.conf']) {
    if (fs.existsSync(file)) steps.push('bind-ro', file, prepareMountPoint(root, file, 'file'));
  }
  return { root, steps };
}

function checkHostPath(what: string, p: string, kind: 'dir' | 'file'): string {
  if (!path.isAbsolute(p)) throw new Error(`The ${what} ${p} is not an absolute path.`);
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st || (kind === 'dir' ? !st.isDirectory() : !st.isFile())) {
    throw new Error(`The ${what} ${p} is not ${kind === 'dir' ? 'a directory' : 'a file'}.`);
  }
  return fs.realpathSync(p);
}

/** Runs one build in a fresh sandbox and deletes it afterwards, also when it fails. */
export async function runInSandbox(spec: RunSpec, options: SandboxOptions): Promise<RunOutcome> {
  const context = checkHostPath('build context', spec.context, 'dir');
  const dockerConfig = checkHostPath('credentials file', spec.dockerConfig, 'file');
  const outputDir = checkHostPath('output directory', spec.outputDir, 'dir');
  const entrypoint = spec.executor.entrypoint;
  if (entrypoint.length === 0) throw new Error('The executor image has no entrypoint.');
  const env = sandboxEnv(spec.executor.env, spec.env);

  fs.mkdirSync(options.workDir, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(options.workDir), 'build-'));
  let outcome: RunOutcome | undefined;
  let failure: unknown;
  try {
    const hostView = path.join(dir, 'runner');
    fs.mkdirSync(hostView, { mode: 0o700 });
    const { root, steps } = await prepareRoot(
      dir,
      { ...spec, context, dockerConfig, outputDir },
      options,
    );
    const argv = privileged(options.privilege, [
      // The namespace starts with this environment and no other; the script replaces it with
      // the executor's just before its final exec.
      tool('env'),
      '-i',
      `PATH=${SYSTEM_PATH}`,
      'LC_ALL=C',
      tool('unshare'),
      ...SANDBOX_NAMESPACES,
      '--fork',
      '--kill-child',
      '--propagation',
      'private',
      '--',
      tool('sh'),
      '-c',
      SCRIPT,
      'kaniko-sandbox',
      ...steps,
      'pivot',
      root,
      hostView,
      path.join(dir, 'detach.fifo'),
      tool('sh'),
      'env-clear',
      ...env.flatMap((entry) => ['export', entry]),
      '--',
      ...entrypoint,
      ...spec.args,
    ]);
    outcome = await supervise(argv, spec, options.privilege);
  } catch (error) {
    failure = error;
  }
  try {
    await removeSandboxDir(dir, options.privilege);
  } catch (error) {
    if (failure === undefined) failure = error;
  }
  if (failure !== undefined) throw failure;
  return outcome as RunOutcome;
}
