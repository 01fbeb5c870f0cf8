/**
 * Real git repositories for tests: a bare `origin`, a `dev` clone where commits are made and
 * pushed, and fresh checkouts made the way actions/checkout makes them (init, fetch of one
 * commit at a depth or of every branch, detached checkout). Events are written as JSON
 * payload files and read back with the action's own `readEvent`.
 *
 * `isolateGit()` points git at a throw-away global config (fixed default branch, identity,
 * `protocol.file.allow=always`) and ignores the system config, for this test process and the
 * git processes the code under test starts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import type { GitHubEvent } from '../../src/detect/event.js';
import { readEvent } from '../../src/action/event.js';

export const ZERO_SHA = '0'.repeat(40);

/** Makes every git process of this test process use a fixed, private configuration. */
export function isolateGit(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'git-home-'));
  const config = path.join(home, 'gitconfig');
  fs.writeFileSync(
    config,
    [
      '[init]',
      '\tdefaultBranch = main',
      '[user]',
      '\tname = Test',
      '\temail = test@example.com',
      '[protocol "file"]',
      '\tallow = always',
      '[gc]',
      '\tauto = 0',
      '[advice]',
      '\tdetachedHead = false',
      '',
    ].join('\n'),
  );
  Object.assign(process.env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: config,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  });
  delete process.env.GIT_DIR;
  delete process.env.GIT_WORK_TREE;
  return home;
}

/** Runs git in `cwd` and returns its stdout without the final newline. */
export function git(cwd: string, args: readonly string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  }).replace(/\n$/, '');
}

/**
 * Runs git in `cwd` with a fixed identity and no system or global configuration, for tests
 * that make repositories of their own; returns stdout without the final newline.
 */
export function gitIsolated(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  }).trim();
}

/** Writes `files` (path → content) under `root`, making directories as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export interface CheckoutOptions {
  /** Commit to check out (default: the tip of `main` on origin). */
  sha?: string;
  /** Ref the commit is fetched as, like actions/checkout (default `refs/heads/main`). */
  ref?: string;
  /** History depth; `0` (default) fetches every branch and tag with full history. */
  depth?: number;
  /** With full history, fetch only this ref (as `fetch-depth: 0` with a single-branch fetch). */
  singleRef?: boolean;
}

export class RepoFixture {
  readonly origin: string;
  readonly dev: string;
  private checkouts = 0;

  private constructor(readonly root: string) {
    this.origin = path.join(root, 'origin.git');
    this.dev = path.join(root, 'dev');
  }

  /** A bare origin and an empty `dev` clone of it on branch `main`. */
  static create(): RepoFixture {
    const fixture = new RepoFixture(fs.mkdtempSync(path.join(os.tmpdir(), 'detect-repo-')));
    git(fixture.root, ['init', '--quiet', '--bare', fixture.origin]);
    git(fixture.root, ['init', '--quiet', fixture.dev]);
    git(fixture.dev, ['remote', 'add', 'origin', fixture.url]);
    return fixture;
  }

  get url(): string {
    return `file://${this.origin}`;
  }

  /** Writes files (path → content) in the dev work tree, creating directories. */
  write(files: Record<string, string>): this {
    writeFiles(this.dev, files);
    return this;
  }

  /** Removes files or whole directories from the dev work tree. */
  remove(...paths: string[]): this {
    for (const p of paths) fs.rmSync(path.join(this.dev, p), { recursive: true, force: true });
    return this;
  }

  /** Moves a file or directory in the dev work tree. */
  move(from: string, to: string): this {
    fs.mkdirSync(path.dirname(path.join(this.dev, to)), { recursive: true });
    fs.renameSync(path.join(this.dev, from), path.join(this.dev, to));
    return this;
  }

  /** Commits everything in the work tree; returns the new commit's id. */
  commit(message = 'change'): string {
    git(this.dev, ['add', '--all']);
    git(this.dev, ['commit', '--quiet', '--allow-empty', '-m', message]);
    return this.sha('HEAD');
  }

  sha(rev: string): string {
    return git(this.dev, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`]);
  }

  /** Pushes the current branch (or `refspec`) to origin. */
  push(refspec?: string, options: { force?: boolean } = {}): this {
    const target = refspec ?? `HEAD:refs/heads/${this.branch()}`;
    git(this.dev, ['push', '--quiet', ...(options.force ? ['--force'] : []), 'origin', target]);
    return this;
  }

  branch(): string {
    return git(this.dev, ['symbolic-ref', '--short', 'HEAD']);
  }

  /** Switches the dev work tree to a branch, creating it from `from` when given. */
  switch(branch: string, from?: string): this {
    git(this.dev, ['checkout', '--quiet', ...(from ? ['-B', branch, from] : [branch])]);
    return this;
  }

  /** Starts a branch with no history and an empty work tree. */
  orphan(branch: string): this {
    git(this.dev, ['checkout', '--quiet', '--orphan', branch]);
    git(this.dev, ['rm', '-r', '--quiet', '--cached', '--ignore-unmatch', '.']);
    for (const entry of fs.readdirSync(this.dev)) {
      if (entry !== '.git') fs.rmSync(path.join(this.dev, entry), { recursive: true });
    }
    return this;
  }

  /** Moves the current branch to `rev`, dropping later commits from it. */
  reset(rev: string): this {
    git(this.dev, ['reset', '--quiet', '--hard', rev]);
    return this;
  }

  /** Deletes from origin every object no ref reaches (what `before` of a force push becomes). */
  pruneOrigin(): this {
    git(this.origin, ['reflog', 'expire', '--expire=now', '--all']);
    git(this.origin, ['gc', '--quiet', '--prune=now']);
    return this;
  }

  /** Whether origin still holds an object. */
  originHas(oid: string): boolean {
    try {
      git(this.origin, ['cat-file', '-e', oid]);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Publishes a pull request on origin as GitHub does: `refs/pull/N/head` and a test merge
   * commit of base and head at `refs/pull/N/merge`. Returns the merge commit's id.
   */
  pullRequest(number: number, base: string, head: string): string {
    const tree = git(this.dev, ['merge-tree', '--write-tree', base, head]);
    const merge = git(this.dev, [
      'commit-tree',
      tree,
      '-p',
      base,
      '-p',
      head,
      '-m',
      `Merge ${head} into ${base}`,
    ]);
    this.push(`${head}:refs/pull/${number}/head`, { force: true });
    this.push(`${merge}:refs/pull/${number}/merge`, { force: true });
    return merge;
  }

  /** A fresh workspace checked out the way actions/checkout does it. */
  checkout(options: CheckoutOptions = {}): string {
    const ref = options.ref ?? 'refs/heads/main';
    const sha = options.sha ?? git(this.origin, ['rev-parse', ref]);
    const dir = path.join(this.root, `workspace-${++this.checkouts}`);
    git(this.root, ['init', '--quiet', dir]);
    git(dir, ['remote', 'add', 'origin', this.url]);
    const local = ref.startsWith('refs/heads/')
      ? `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`
      : ref.startsWith('refs/pull/')
        ? `refs/remotes/pull/${ref.slice('refs/pull/'.length)}`
        : ref;
    if (options.depth || options.singleRef) {
      git(dir, [
        'fetch',
        '--quiet',
        '--no-tags',
        ...(options.depth ? [`--depth=${options.depth}`] : []),
        'origin',
        `+${sha}:${local}`,
      ]);
    } else {
      git(dir, [
        'fetch',
        '--quiet',
        'origin',
        '+refs/heads/*:refs/remotes/origin/*',
        '+refs/tags/*:refs/tags/*',
      ]);
      if (!ref.startsWith('refs/heads/'))
        git(dir, ['fetch', '--quiet', 'origin', `+${ref}:${local}`]);
    }
    git(dir, ['checkout', '--quiet', '--force', '--detach', sha]);
    return dir;
  }

  /** `git clone --depth N file://origin` of one branch. */
  shallowClone(depth: number, branch = 'main'): string {
    const dir = path.join(this.root, `clone-${++this.checkouts}`);
    git(this.root, ['clone', '--quiet', `--depth=${depth}`, '--branch', branch, this.url, dir]);
    return dir;
  }

  /** Writes an event payload file and reads it back as the action does. */
  event(name: string, payload: Record<string, unknown>): GitHubEvent {
    const file = path.join(this.root, `event-${name}-${Date.now()}-${Math.random()}.json`);
    fs.writeFileSync(file, JSON.stringify(payload));
    return readEvent({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file });
  }

  /** A `push` event payload as GitHub sends it. */
  pushEvent(options: {
    before: string;
    after: string;
    ref?: string;
    defaultBranch?: string;
    commits?: number;
    forced?: boolean;
  }): GitHubEvent {
    return this.event('push', {
      ref: options.ref ?? 'refs/heads/main',
      before: options.before,
      after: options.after,
      forced: options.forced ?? false,
      created: options.before === ZERO_SHA,
      deleted: options.after === ZERO_SHA,
      commits: Array.from({ length: options.commits ?? 1 }, (_, i) => ({ id: `commit-${i}` })),
      repository: { default_branch: options.defaultBranch ?? 'main' },
    });
  }

  /** A `pull_request` (or `pull_request_target`) event payload. */
  pullRequestEvent(options: {
    number: number;
    base: string;
    head: string;
    name?: 'pull_request' | 'pull_request_target';
  }): GitHubEvent {
    return this.event(options.name ?? 'pull_request', {
      action: 'synchronize',
      number: options.number,
      pull_request: {
        number: options.number,
        base: { ref: 'main', sha: options.base },
        head: { ref: 'feature', sha: options.head },
      },
      repository: { default_branch: 'main' },
    });
  }

  /** Removes every file this fixture wrote. */
  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Isolates git for this test file (`isolateGit`) and returns a maker of repository fixtures;
 * after the file's tests, every fixture it made and the git home are deleted.
 */
export function repoFixtures(): () => RepoFixture {
  const home = isolateGit();
  const made: RepoFixture[] = [];
  afterAll(() => {
    for (const f of made) f.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  });
  return () => {
    const f = RepoFixture.create();
    made.push(f);
    return f;
  };
}
