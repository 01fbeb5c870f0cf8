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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { prepareMountPoint, resolveInRoot } from '../executor/rootfs.js';
import type { RunOutcome, RunSpec } from './select.js';

/** Where the build context appears inside the sandbox. */
export const SANDBOX_CONTEXT = '/workspace';
/** Where the output directory appears inside the sandbox (digest file, probe files). */
export const SANDBOX_OUTPUT = '/kaniko/output';
/** The docker config directory when the image's environment names none. */
export const DEFAULT_DOCKER_CONFIG = '/kaniko/.docker';
/** The CA bundle when the image's environment names none. */
export const DEFAULT_CA_BUNDLE = '/kaniko/ssl/certs/ca-certificates.crt';

/** How the sandbox gets the privileges it needs. */
export type Privilege = 'root' | 'sudo';

export interface SandboxOptions {
  /** Directory (under RUNNER_TEMP) that holds the per-build sandboxes. */
  workDir: string;
  privilege: Privilege;
  /** Extra PEM certificates appended to the executor's CA bundle in every build's root. */
  caCertificates?: string;
}

/** The printed line that says the mounts are done and the executor starts. */
const READY = 'kaniko-release-sandbox: ready';
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
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

function tool(name: (typeof SANDBOX_TOOLS)[number]): string {
  const found = locateTool(name);
  if (!found) throw new Error(`The sandbox needs '${name}', which is not on this runner.`);
  return found;
}

/** The argv prefix that runs a command with the sandbox's privileges. */
function privileged(privilege: Privilege, argv: string[]): string[] {
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

async function runQuiet(argv: string[]): Promise<{ code: number | null; output: string }> {
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

/** Processes below `pid`, at any depth, whose command name is `name` (read from /proc). */
export function descendantsNamed(pid: number, name: string): number[] {
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (names.get(next) === name) found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/**
 * Kills the namespace of a run. `unshare` ignores SIGTERM and SIGINT while it waits for its
 * child, so it gets SIGKILL; `--kill-child` then kills PID 1 of the namespace, and the kernel
 * every other process in it. As root that is one signal. Through sudo the `unshare` below it
 * is root's, so the SIGKILL is sent with `sudo -n kill`.
 */
function killNamespace(child: ChildProcess, privilege: Privilege): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (privilege === 'root') {
    child.kill('SIGKILL');
    return;
  }
  const targets = descendantsNamed(child.pid, 'unshare');
  if (targets.length > 0) {
    spawnSync('sudo', ['-n', 'kill', '-KILL', '--', ...targets.map(String)], {
      stdio: 'ignore',
      env: { PATH: SYSTEM_PATH },
    });
  }
}

/** Runs in progress; a signal that ends this process kills their namespaces first. */
const live = new Map<ChildProcess, Privilege>();
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onEndingSignal(signal: NodeJS.Signals): void {
  for (const [child, privilege] of live) killNamespace(child, privilege);
  const othersListen = process.listenerCount(signal) > 1;
  for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  // Without other listeners the signal would have ended the process: let it do so now.
  if (!othersListen) process.kill(process.pid, signal);
}

function track(child: ChildProcess, privilege: Privilege): () => void {
  if (live.size === 0) for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
  live.set(child, privilege);
  return () => {
    live.delete(child);
    if (live.size === 0) for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  };
}

/** How often a kill is repeated until the namespace is gone (sudo may not have started it yet). */
const KILL_RETRY_MS = 250;

/** Starts the namespace, streams its lines, kills it on abort or timeout, waits for its end. */
function supervise(argv: string[], spec: RunSpec, privilege: Privilege): Promise<RunOutcome> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise<RunOutcome>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
    });
    const untrack = track(child, privilege);
    let ready = false;
    let killedFor: RunOutcome['killed'];
    let retry: NodeJS.Timeout | undefined;
    const setupLines: string[] = [];
    const emit = (line: string): void => {
      if (!ready) setupLines.push(line);
      spec.onLine(line);
    };
    const out = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    out.on('line', (line) => {
      if (!ready && line === READY) {
        ready = true;
        return;
      }
      emit(line);
    });
    const err = readline.createInterface({ input: child.stderr, crlfDelay: Infinity });
    err.on('line', emit);

    const kill = (reason: NonNullable<RunOutcome['killed']>): void => {
      if (killedFor !== undefined) return;
      killedFor = reason;
      const attempt = (): void => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killNamespace(child, privilege);
        retry = setTimeout(attempt, KILL_RETRY_MS);
      };
      attempt();
    };
    const onAbort = (): void => kill('aborted');
    if (spec.signal?.aborted) queueMicrotask(onAbort);
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      spec.timeoutMs !== undefined ? setTimeout(() => kill('timeout'), spec.timeoutMs) : undefined;
    const done = (): void => {
      untrack();
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      spec.signal?.removeEventListener('abort', onAbort);
    };

    child.on('error', (error) => {
      done();
      reject(
        new Error(`Could not start the sandbox (${command}): ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      done();
      if (!ready && killedFor === undefined) {
        const detail = setupLines.slice(-5).join(' / ') || `exit status ${code ?? signal}`;
        reject(new Error(`The sandbox could not be set up: ${detail}`));
        return;
      }
      resolve({
        exitCode: code,
        signal,
        ...(killedFor === undefined ? {} : { killed: killedFor }),
      });
    });
  });
}

/** A directory for this job's sandboxes, under RUNNER_TEMP. */
export function makeWorkDir(): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(fs.realpathSync(base), 'kaniko-release-sandboxes-'));
}
