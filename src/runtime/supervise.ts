/**
 * One confined run as a process of the runner: started, its lines streamed, killed as a whole
 * on abort, timeout or when the action itself is ended by a signal, and waited for.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { SYSTEM_PATH } from './host.js';
import type { Privilege, RunOutcome, RunSpec } from './types.js';

/** The printed line that says the set-up is done and the executor starts. */
export const READY = 'kaniko-release-sandbox: ready';

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
export function supervise(
  argv: string[],
  spec: RunSpec,
  privilege: Privilege,
): Promise<RunOutcome> {
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
