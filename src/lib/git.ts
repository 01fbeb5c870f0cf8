/**
 * The one small git module: every git call of the action goes through here.
 *
 * Arguments are arrays handed to `spawn` (never a shell); path lists are read NUL-separated
 * (`-z`), so spaces, quotes, newlines and non-ASCII in file names are plain data. Revisions
 * reach git on stdin (`cat-file --batch`) or after `--end-of-options`, so a value that starts
 * with `-` can never be read as an option.
 */
import { spawn } from 'node:child_process';
import {
  parentsOf,
  parseObjectBatch,
  parseRawDiff,
  parseTreeEntries,
  type BatchObject,
  type CommitObject,
  type RangeChanges,
  type TreeEntry,
} from './git-output.js';

export {
  splitNul,
  type BatchObject,
  type CommitObject,
  type RangeChanges,
  type TreeEntry,
} from './git-output.js';

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
  /**
   * Reads the output as it comes instead of collecting it; returning true stops git (the
   * caller has its answer) and the run resolves with an empty stdout.
   */
  onStdout?: (chunk: Buffer) => boolean;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
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
      let stopped = false;
      child.stdout?.on('data', (d: Buffer) => {
        if (stopped) return;
        if (!options.onStdout) out.push(d);
        else if (options.onStdout(d)) {
          stopped = true;
          child.kill();
        }
      });
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
        const exitCode = stopped ? 0 : (code ?? -1);
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

  /** The repository's top-level directory. */
  async repository(): Promise<{ topLevel: string }> {
    const { stdout } = await this.run(['rev-parse', '--show-toplevel']);
    const [topLevel = ''] = stdout.toString('utf8').split('\n');
    return { topLevel };
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
    const objects = await this.objects(
      revisions.map((r) => `${r}^{commit}`),
      { content: true },
    );
    return objects.map((o) =>
      o && o.type === 'commit' ? { oid: o.oid, parents: parentsOf(o.content) } : null,
    );
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

  /**
   * Looks objects up by name (`<rev>:<path>`, `<tree-oid>:<path>`, an object id) in one
   * `cat-file` process: `--batch` also reads their content, `--batch-check` only says what
   * they are. `null` for a name that resolves to nothing. Names are sent one per line, or
   * NUL-separated (`-z`, git 2.38 or later) when one of them holds a line break.
   */
  async objects(
    names: readonly string[],
    options: { content?: boolean } = {},
  ): Promise<(BatchObject | null)[]> {
    if (names.length === 0) return [];
    if (names.some((n) => n.includes('\0'))) throw new Error('An object name holds a NUL byte.');
    const nul = names.some((n) => /[\n\r]/.test(n));
    const mode = options.content ? '--batch' : '--batch-check';
    const { stdout } = await this.run(['cat-file', mode, '--buffer', ...(nul ? ['-z'] : [])], {
      input: names.map((n) => `${n}${nul ? '\0' : '\n'}`).join(''),
    });
    return parseObjectBatch(stdout, names, options.content ?? false);
  }

  /**
   * The trees directly inside each of `directories` at `rev` (`''`: the root), or with
   * `recursive` every tree below them, the directories themselves included. The directories
   * must not lie inside one another (git then lists only the deeper one); paths are literal.
   */
  async listTrees(
    rev: string,
    directories: readonly string[],
    options: { recursive?: boolean } = {},
  ): Promise<TreeEntry[]> {
    const paths = directories.includes('') ? [] : directories.map((d) => `${d}/`);
    const { stdout } = await this.run([
      '--literal-pathspecs',
      'ls-tree',
      '-d',
      '-z',
      ...(options.recursive ? ['-r'] : []),
      '--end-of-options',
      rev,
      ...(paths.length > 0 ? ['--', ...paths] : []),
    ]);
    return parseTreeEntries(stdout);
  }

  /**
   * What differs between two commits: the files (either side of a rename counts), and the
   * directories that differ and still exist at `head`, with their tree there (one diff, `-t`).
   */
  async changes(base: string, head: string): Promise<RangeChanges> {
    const { stdout } = await this.run([
      'diff-tree',
      '-r',
      '-t',
      '-z',
      '--no-renames',
      '--no-commit-id',
      '--end-of-options',
      base,
      head,
    ]);
    return parseRawDiff(stdout);
  }
}
