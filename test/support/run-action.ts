/**
 * Runs a bundled entry of the action (dist/main.js, dist/post.js, dist/plan.js) the way the
 * runner does: a child process with `INPUT_*` variables and the runner's command files.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ImageOutput } from '../../src/contract.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Set by `::set-output` lines, then the GITHUB_OUTPUT file, as the runner reads them. */
  outputs: Record<string, string>;
  /** Set by `::save-state` lines, then the GITHUB_STATE file, as the runner reads them. */
  state: Record<string, string>;
  summary: string;
  /** `::error::` and `::warning::` lines, without their prefix. */
  errors: string[];
  warnings: string[];
  /** The directory holding the command files, RUNNER_TEMP and the tool cache. */
  runnerDir: string;
}

export interface RunOptions {
  /** Input values by input name (`build-args`, not `BUILD_ARGS`). */
  inputs?: Record<string, string>;
  /** Extra environment (GITHUB_EVENT_NAME, GITHUB_WORKSPACE, …). */
  env?: Record<string, string>;
  /** State saved by an earlier main step, given to a post step as `STATE_*`. */
  state?: Record<string, string>;
  /** Reuse the runner directory of an earlier step (RUNNER_TEMP, tool cache). */
  runnerDir?: string;
  timeoutMs?: number;
  /** SIGKILLs the action as soon as this returns true for its stdout so far. */
  killWhen?: (stdout: string) => boolean;
}

/** Parses the `name<<DELIM` / `name=value` format of GITHUB_OUTPUT and GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Undoes the runner's escaping of a command's value (`%25`, `%0D`, `%0A`). */
const unescapeData = (value: string): string =>
  value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

/** Undoes the runner's escaping of a command's property (also `%3A` and `%2C`). */
const unescapeProperty = (value: string): string =>
  unescapeData(value.replace(/%3A/g, ':').replace(/%2C/g, ','));

/**
 * The outputs and state a step's stdout sets with the older commands, `::set-output
 * name=N::V` and `::save-state name=N::V`, read as the runner reads them: a line that starts
 * with `::` once trimmed is a command, unless it lies between `::stop-commands::TOKEN` and
 * `::TOKEN::`.
 */
export function stdoutCommands(stdout: string): {
  outputs: Record<string, string>;
  state: Record<string, string>;
} {
  const outputs: Record<string, string> = {};
  const state: Record<string, string> = {};
  let stopToken: string | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const command = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!command) continue;
    const [, name, properties = '', data] = command as unknown as [string, string, string, string];
    if (name === 'stop-commands') {
      stopToken = data;
      continue;
    }
    const target = name === 'set-output' ? outputs : name === 'save-state' ? state : undefined;
    const key = /(?:^|,)name=([^,]*)/.exec(properties)?.[1];
    if (target && key) target[unescapeProperty(key)] = unescapeData(data);
  }
  return { outputs, state };
}

export async function runAction(
  entry: 'main' | 'post' | 'plan',
  options: RunOptions = {},
): Promise<ActionRun> {
  const runnerDir = options.runnerDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  const files = {
    GITHUB_OUTPUT: path.join(runnerDir, `output-${entry}`),
    GITHUB_STATE: path.join(runnerDir, `state-${entry}`),
    GITHUB_STEP_SUMMARY: path.join(runnerDir, `summary-${entry}`),
  };
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  fs.mkdirSync(path.join(runnerDir, 'temp'), { recursive: true });
  fs.mkdirSync(path.join(runnerDir, 'tool-cache'), { recursive: true });

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: runnerDir,
    RUNNER_TEMP: path.join(runnerDir, 'temp'),
    RUNNER_TOOL_CACHE: path.join(runnerDir, 'tool-cache'),
    GITHUB_ACTIONS: 'true',
    ...files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  const child = spawn(process.execPath, [path.join(ROOT, 'dist', `${entry}.js`)], {
    cwd: env.GITHUB_WORKSPACE ?? runnerDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.killWhen?.(stdout)) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  clearTimeout(timer);

  const commands = (kind: string): string[] =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) => l.slice(l.indexOf('::', 2) + 2));
  const fromStdout = stdoutCommands(stdout);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: {
      ...fromStdout.outputs,
      ...parseCommandFile(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    },
    state: {
      ...fromStdout.state,
      ...parseCommandFile(fs.readFileSync(files.GITHUB_STATE, 'utf8')),
    },
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    errors: commands('error'),
    warnings: commands('warning'),
    runnerDir,
  };
}

export type { ImageOutput } from '../../src/contract.js';

/** The `images` output of a run, `[]` when it set none. */
export function imagesOf(run: ActionRun): ImageOutput[] {
  return JSON.parse(run.outputs.images ?? '[]') as ImageOutput[];
}

/**
 * The root action as the runner runs it for one job: main, then post with the state main saved,
 * in the same runner directory, with the same inputs and environment.
 */
export async function runMainAndPost(
  options: Pick<RunOptions, 'inputs' | 'env' | 'timeoutMs'>,
): Promise<{ main: ActionRun; post: ActionRun; images: ImageOutput[] }> {
  const main = await runAction('main', options);
  const post = await runAction('post', {
    inputs: options.inputs,
    env: options.env,
    state: main.state,
    runnerDir: main.runnerDir,
  });
  return { main, post, images: imagesOf(main) };
}
