/**
 * One kaniko run in the runtime, as every build makes it: the arguments logged, the output
 * streamed into the directory's group, a failure explained by kaniko's own error lines. And the
 * failure type of a directory, whose hint goes into the annotation only.
 */
import * as fs from 'node:fs/promises';
import type { InstalledExecutor } from '../executor/install.js';
import type { GroupLog } from '../lib/log-group.js';
import { SHA256_DIGEST } from '../lib/names.js';
import { plain } from '../lib/untrusted.js';
import type { Runtime } from '../runtime/types.js';
import { argsForLog } from './kaniko-args.js';

/** How many of the executor's last lines are kept to explain a failure. */
const TAIL_LINES = 40;
/** How many of them go into the result's `error`. */
const ERROR_LINES = 5;

/** A directory's failure: `message` goes into the result, `hint` only into the annotation. */
export class BuildFailure extends Error {
  constructor(
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BuildFailure';
  }
}

/** The lines that explain a failed run: kaniko's error lines, else the last lines printed. */
export function errorLines(tail: readonly string[], max = ERROR_LINES): string[] {
  const lines = tail.map((l) => l.trim()).filter((l) => l !== '');
  const errors = lines.filter((l) => /^(ERRO|FATA|PANI)\b|\berror\b|\bfatal\b|\bfailed\b/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(-max);
}

/** What a run needs besides its arguments. */
export interface ExecutorRun {
  runtime: Runtime;
  executor: InstalledExecutor;
  /** The build context on the runner. */
  context: string;
  /** The credentials file given to kaniko. */
  dockerConfig: string;
  /** Bound read-write into the run (digest file, OCI layout). */
  outputDir: string;
  /** kaniko's environment on top of its image's (proxies). */
  env: Record<string, string>;
  /** The directory, for the hint of a failure. */
  directory: string;
}

/** Runs kaniko once; throws a `BuildFailure` with kaniko's error lines when it fails. */
export async function runExecutor(args: string[], run: ExecutorRun, log: GroupLog): Promise<void> {
  log.note(`Executor arguments: ${JSON.stringify(argsForLog(args))}`);
  const tail: string[] = [];
  const started = Date.now();
  const outcome = await run.runtime.run({
    executor: run.executor,
    args,
    env: run.env,
    context: run.context,
    dockerConfig: run.dockerConfig,
    outputDir: run.outputDir,
    onLine: (line) => {
      log.output(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    },
  });
  const took = Date.now() - started;
  if (outcome.exitCode !== 0) {
    const killed = outcome.killed;
    const how =
      outcome.exitCode === null
        ? `kaniko was stopped by ${outcome.signal ?? 'a signal'}${killed ? ` (${killed})` : ''}`
        : `kaniko exited with code ${outcome.exitCode}`;
    log.note(`${how} after ${took} ms.`);
    const lines = errorLines(tail);
    throw new BuildFailure(
      lines.length > 0 ? `${how}: ${lines.join('\n')}` : how,
      `Read kaniko's output in the log group of ${plain(run.directory)}.`,
    );
  }
  log.note(`kaniko exited with code 0 after ${took} ms.`);
}

/** The digest kaniko wrote to its digest file; `''` when it wrote none. */
export async function readDigest(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`Cannot read kaniko's digest file ${file}`, { cause: error });
  }
  const digest = text.trim();
  if (!SHA256_DIGEST.test(digest)) {
    throw new BuildFailure(
      `kaniko's digest file holds ${JSON.stringify(digest.slice(0, 80))}, not a sha256 digest`,
      'Check that the executor image is a kaniko executor.',
    );
  }
  return digest;
}
