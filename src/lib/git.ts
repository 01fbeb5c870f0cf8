/**
 * The one small git module: every git call of the action goes through here.
 *
 * Arguments are arrays handed to `spawn` (never a shell); path lists are read NUL-separated
 * (`-z`), so spaces, quotes, newlines and non-ASCII in file names are plain data. Revisions
 * reach git on stdin (`cat-file --batch`) or after `--end-of-options`, so a value that starts
 * with `-` can never be read as an option.
 */
import { spawn } from 'node:child_process';

/** A git command that failed: the arguments, the exit code and what git said. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    const said = stderr.trim().split('\n').slice(-3).join(' | ');
    super(
      `git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}${said ? `: ${said}` : ''}`,
      options,
    );
    this.name = 'GitError';
  }
}

export interface RunOptions {
  /** Written to git's stdin, which is closed afterwards. */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-base`). */
  okCodes?: readonly number[];
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** A commit as `cat-file` sees it: its id and the parents written in the object. */
export interface CommitObject {
  oid: string;
  /**
   * Parents as recorded in the commit object, also in a shallow clone where the parents
   * themselves are absent (a shallow boundary looks parentless to every other git command).
   */
  parents: string[];
}

/** Splits NUL-terminated git output into its entries. */
export function splitNul(output: Buffer | string): string[] {
  const text = typeof output === 'string' ? output : output.toString('utf8');
  const entries = text.split('\0');
  if (entries.at(-1) === '') entries.pop();
  return entries;
}

/** Parses `cat-file --batch` output: one header line per input line, then the object. */
export function parseCatFileBatch(output: Buffer, count: number): (CommitObject | null)[] {
  const result: (CommitObject | null)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`git cat-file --batch: expected ${count} answers, got ${i}`);
    const header = output.toString('utf8', at, eol);
    at = eol + 1;
    const match = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
    if (!match) {
      // `<input> missing` or `<input> ambiguous`.
      result.push(null);
      continue;
    }
    const [, oid, type, size] = match as unknown as [string, string, string, string];
    const body = output.toString('utf8', at, at + Number(size));
    at += Number(size) + 1;
    if (type !== 'commit') {
      result.push(null);
      continue;
    }
    const parents: string[] = [];
    for (const line of body.split('\n')) {
      if (line === '') break; // end of the commit headers
      if (line.startsWith('parent ')) parents.push(line.slice('parent '.length));
    }
    result.push({ oid, parents });
  }
  return result;
}

/** A revision that may reach git as a command-line word: no option, no control characters. */
export function isSafeRevision(rev: string): boolean {
  return rev !== '' && !rev.startsWith('-') && !/[\s\x00-\x1f\x7f]/.test(rev);
}

export class Git {
  /** Every git process this object started, for tests and benchmarks. */
  readonly calls: string[][] = [];

  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Runs `git <args>` in the repository; resolves with its output, rejects with a GitError. */
  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    this.calls.push([...args]);
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: this.cwd,
        env: { ...this.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on('data', (d: Buffer) => out.push(d));
      child.stderr?.on('data', (d: Buffer) => err.push(d));
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new Error('git is not installed or not on PATH', { cause: error })
            : new GitError(args, null, error.message, { cause: error }),
        );
      });
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const exitCode = code ?? -1;
        if (exitCode === 0 || options.okCodes?.includes(exitCode)) {
          resolve({ stdout: Buffer.concat(out), stderr, exitCode });
        } else {
          reject(new GitError(args, code, stderr));
        }
      });
      if (options.input !== undefined && child.stdin) {
        child.stdin.on('error', () => undefined); // git may exit before reading all input
        child.stdin.end(options.input);
      }
    });
  }

  /** The repository's top-level directory and whether it is a shallow clone. */
  async repository(): Promise<{ topLevel: string; shallow: boolean }> {
    const { stdout } = await this.run(['rev-parse', '--show-toplevel', '--is-shallow-repository']);
    const [topLevel = '', shallow = ''] = stdout.toString('utf8').split('\n');
    return { topLevel, shallow: shallow === 'true' };
  }

  /** The commit checked out (`HEAD`), `''` when there is none or this is no repository. */
  async headCommit(): Promise<string> {
    try {
      const [head] = await this.commits(['HEAD']);
      return head?.oid ?? '';
    } catch {
      return '';
    }
  }

  async isShallow(): Promise<boolean> {
    const { stdout } = await this.run(['rev-parse', '--is-shallow-repository']);
    return stdout.toString('utf8').trim() === 'true';
  }

  /**
   * Resolves revisions to commits in one process (`cat-file --batch` reads them on stdin).
   * `null` for a revision that names no commit present in this clone.
   */
  async commits(revisions: readonly string[]): Promise<(CommitObject | null)[]> {
    if (revisions.length === 0) return [];
    for (const rev of revisions) {
      if (/[\n\r\0]/.test(rev)) throw new Error(`Not a revision: ${JSON.stringify(rev)}`);
    }
    const { stdout } = await this.run(['cat-file', '--batch'], {
      input: revisions.map((r) => `${r}^{commit}\n`).join(''),
    });
    return parseCatFileBatch(stdout, revisions.length);
  }

  /** The best common ancestor of two commits, or `null` when they have none (here). */
  async mergeBase(a: string, b: string): Promise<string | null> {
    const { stdout, exitCode } = await this.run(['merge-base', '--end-of-options', a, b], {
      okCodes: [1],
    });
    const oid = stdout.toString('utf8').trim();
    return exitCode === 0 && oid !== '' ? oid : null;
  }

  /**
   * Fetches from `origin` without tags, submodules or garbage collection. `depth` makes the
   * fetched history shallow (`--depth`), `deepen` extends a shallow clone (`--deepen`).
   */
  async fetch(
    refspecs: readonly string[],
    options: { depth?: number; deepen?: number; writeFetchHead?: boolean } = {},
  ): Promise<void> {
    const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--no-auto-gc', '--quiet'];
    if (options.writeFetchHead === false) args.push('--no-write-fetch-head');
    if (options.depth !== undefined) args.push(`--depth=${options.depth}`);
    if (options.deepen !== undefined) args.push(`--deepen=${options.deepen}`);
    args.push('--end-of-options', 'origin', ...refspecs);
    await this.run(args);
  }

  /** Paths that differ between two commits (either side of a rename counts), NUL-separated. */
  async changedPaths(base: string, head: string): Promise<string[]> {
    const { stdout } = await this.run([
      'diff-tree',
      '-r',
      '-z',
      '--name-only',
      '--no-renames',
      '--no-commit-id',
      '--end-of-options',
      base,
      head,
    ]);
    return splitNul(stdout);
  }

  /**
   * Every file of a commit (blobs, symlinks and submodules), repository-relative, as the raw
   * NUL-terminated bytes git prints: callers decode only the entries they need.
   */
  async listTree(rev: string): Promise<Buffer> {
    const { stdout } = await this.run([
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      '--full-tree',
      '--end-of-options',
      rev,
    ]);
    return stdout;
  }
}
