/**
 * The `commit-status` input: one GitHub commit status per image on the commit built, context
 * `kaniko-release/<directory>`. `pending` when its build starts, then `success`, `failure` (the
 * build failed) or `error` (the action could not try it). Statuses are posted in the background
 * so builds never wait for GitHub; one directory's calls stay in order, and `settle` waits for
 * all of them. A status that cannot be set is a warning, never a failed release.
 */
import { createHash } from 'node:crypto';
import * as core from '@actions/core';
import type { ImagePlan, ImageResult, Inputs } from '../contract.js';
import { OBJECT_ID, type GitHubEvent } from '../detect/event.js';
import { errorMessage } from '../lib/errors.js';
import { plain } from '../lib/untrusted.js';
import { parseRetryAfter } from '../registry/http.js';
import { shortDigest } from '../lib/oci.js';

type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** The body of `POST /repos/{owner}/{repo}/statuses/{sha}`. */
interface CommitStatus {
  state: CommitState;
  context: string;
  description: string;
  /** Omitted when there is nothing to link. */
  target_url?: string;
}

/** What the build stage tells about each directory (`build/image.ts` calls it). */
export interface BuildStatuses {
  /** The directory's build starts. */
  started(plan: ImagePlan): void;
  /** The directory's build ended, whatever its result. */
  finished(result: ImageResult): void;
}

/** GitHub's limits: longer values are refused with 422 "Validation Failed". */
const MAX_DESCRIPTION = 140;
export const MAX_CONTEXT = 255;
const CONTEXT_PREFIX = 'kaniko-release/';

/** Text as one line of at most `max` characters (code points, as GitHub counts), `…` if cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** `kaniko-release/<directory>`; a directory too long keeps its start and a hash of the whole. */
export function statusContext(directory: string): string {
  const context = `${CONTEXT_PREFIX}${directory}`;
  if (Array.from(context).length <= MAX_CONTEXT) return context;
  const hash = createHash('sha256').update(directory).digest('hex').slice(0, 12);
  return `${truncate(context, MAX_CONTEXT - hash.length - 1)}-${hash}`;
}

/** Links of a run: the workflow run's page (`''` when unknown). */
interface StatusLinks {
  runUrl: string;
}

function status(
  state: CommitState,
  directory: string,
  description: string,
  targetUrl: string,
): CommitStatus {
  return {
    state,
    context: statusContext(directory),
    description: truncate(description, MAX_DESCRIPTION),
    ...(targetUrl ? { target_url: targetUrl } : {}),
  };
}

/** The status of a directory whose build starts. */
export function pendingStatus(plan: ImagePlan, links: StatusLinks): CommitStatus {
  return status(
    'pending',
    plan.directory,
    `Building ${plan.ref.reference}:${plan.version}`,
    links.runUrl,
  );
}

/**
 * The last status of a directory. `tried`: its build ran (a failure then is `failure`); a
 * directory failed or skipped before its build is `error`, the action could not try it.
 */
export function finalStatus(result: ImageResult, tried: boolean, links: StatusLinks): CommitStatus {
  const ref = `${result.image}:${result.version}`;
  const digest = result.digest ? ` (${shortDigest(result.digest)})` : '';
  switch (result.status) {
    case 'pushed':
      return status('success', result.directory, `Pushed ${ref}${digest}`, result.webUrl);
    case 'built':
      return status('success', result.directory, `Built ${ref}${digest}, not pushed`, '');
    case 'unchanged':
      return status(
        'success',
        result.directory,
        `Unchanged: ${ref} already holds this build`,
        result.webUrl,
      );
    case 'failed':
      if (tried) {
        return status('failure', result.directory, `Failed: ${result.error}`, links.runUrl);
      }
      return status('error', result.directory, notBuilt(result.error), links.runUrl);
    case 'skipped':
      return status('error', result.directory, notBuilt(result.error), links.runUrl);
  }
}

/** `Not built: <reason>`, without saying it twice when the reason already does. */
function notBuilt(reason: string): string {
  return /^not built\b/i.test(reason)
    ? `Not built${reason.slice('not built'.length)}`
    : `Not built: ${reason}`;
}

export interface StatusRetry {
  /** Tries of one status, the first included. */
  attempts: number;
  /** Delay before the first retry, doubled for each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` waited for; GitHub asking for more ends the tries at once. */
  maxRetryAfterMs: number;
  /** One request's time limit. */
  timeoutMs: number;
}

const DEFAULT_STATUS_RETRY: StatusRetry = {
  attempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 15_000,
};

/** Posts one status; throws the API's error (with `status`, and `response.headers`). */
type PostStatus = (sha: string, body: CommitStatus, signal: AbortSignal) => Promise<void>;

interface CommitStatusesOptions {
  post: PostStatus;
  sha: string;
  links: StatusLinks;
  retry?: Partial<StatusRetry>;
  /** Where a status that could not be set is reported; default: a warning annotation. */
  warn?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

interface ApiError {
  status?: number;
  response?: { headers?: Record<string, string | undefined> };
}

/** 429, 5xx and errors without an HTTP answer (network, time-outs) may pass: retried. */
function retryable(error: unknown): boolean {
  const code = (error as ApiError).status;
  return code === undefined || code === 429 || code >= 500;
}

/** 401, 403 and 404: the token cannot write statuses; every further call would fail the same. */
function refused(error: unknown): boolean {
  const code = (error as ApiError).status;
  return code === 401 || code === 403 || code === 404;
}

/** Octokit wraps an aborted fetch in its own error; the cause says it timed out. */
function timedOut(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  }
  return false;
}

function reasonOf(error: unknown, timeoutMs: number): string {
  if (timedOut(error)) return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as ApiError).status;
  const message = truncate(errorMessage(error), 300);
  return code !== undefined && !message.startsWith(String(code)) ? `${code} ${message}` : message;
}

export class CommitStatuses implements BuildStatuses {
  private readonly retry: StatusRetry;
  private readonly warn: (message: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per directory, the last call in flight: the next one waits for it, so order is kept. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Directories whose final status was requested. */
  private readonly done = new Set<string>();
  /** Set once GitHub refused the token: no further calls. */
  private refusal = '';

  constructor(private readonly options: CommitStatusesOptions) {
    this.retry = { ...DEFAULT_STATUS_RETRY, ...options.retry };
    this.warn = options.warn ?? ((message) => core.warning(message));
    // Not unref'd: the step must stay alive while a status waits for its next try.
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  started(plan: ImagePlan): void {
    this.enqueue(plan.directory, pendingStatus(plan, this.options.links));
  }

  finished(result: ImageResult): void {
    this.done.add(result.directory);
    this.enqueue(result.directory, finalStatus(result, true, this.options.links));
  }

  /**
   * Gives every directory not reported by its build its last status (`error`: not tried, or
   * the reason it failed before its build), then waits for every call. Never throws.
   */
  async settle(results: readonly ImageResult[]): Promise<void> {
    for (const result of results) {
      if (this.done.has(result.directory)) continue;
      this.done.add(result.directory);
      this.enqueue(result.directory, finalStatus(result, false, this.options.links));
    }
    await Promise.all(this.chains.values());
  }

  private enqueue(directory: string, body: CommitStatus): void {
    const previous = this.chains.get(directory) ?? Promise.resolve();
    this.chains.set(
      directory,
      previous.then(() => this.send(body)),
    );
  }

  /** One status with bounded retries; a failure becomes a warning. */
  private async send(body: CommitStatus): Promise<void> {
    if (this.refusal) return;
    const { attempts, timeoutMs } = this.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.post(this.options.sha, body, AbortSignal.timeout(timeoutMs));
        return;
      } catch (error) {
        const reason = reasonOf(error, timeoutMs);
        const delay = attempt < attempts && retryable(error) ? this.delayFor(attempt, error) : -1;
        if (delay >= 0) {
          core.debug(`Commit status ${body.context}: ${reason}; retrying in ${delay} ms.`);
          await this.sleep(delay);
          continue;
        }
        if (refused(error)) {
          if (this.refusal) return;
          this.refusal = reason;
          this.warn(
            `Commit statuses are not set: GitHub answered ${plain(reason)}. Give the job 'permissions: statuses: write', or a 'github-token' that may write commit statuses of this repository. The release itself is not affected.`,
          );
          return;
        }
        const tries = attempt === 1 ? '' : ` after ${attempt} tries`;
        this.warn(
          `Could not set the commit status ${plain(body.context)} to ${body.state}${tries}: ${plain(reason)}. The release itself is not affected.`,
        );
        return;
      }
    }
  }

  /** The wait before the next try, or -1 when GitHub asks for longer than the bound. */
  private delayFor(attempt: number, error: unknown): number {
    const header = (error as ApiError).response?.headers?.['retry-after'];
    const asked = parseRetryAfter(header ?? null);
    if (asked !== undefined) return asked <= this.retry.maxRetryAfterMs ? asked : -1;
    return Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
  }
}

/** The runner's variables the statuses need. */
interface StatusEnvironment {
  GITHUB_REPOSITORY?: string;
  GITHUB_API_URL?: string;
  GITHUB_SERVER_URL?: string;
  GITHUB_RUN_ID?: string;
}

/**
 * The commit the statuses go on: for a pull request its head commit (GitHub shows the
 * statuses of that commit on the pull request, not those of the merge commit a checkout
 * builds by default), else the commit built.
 */
export function statusCommit(event: GitHubEvent, built: string): string {
  if (event.name === 'pull_request' || event.name === 'pull_request_target') {
    const pr = event.payload.pull_request as { head?: { sha?: unknown } } | undefined;
    const sha = pr?.head?.sha;
    if (typeof sha === 'string' && OBJECT_ID.test(sha)) return sha;
  }
  return built;
}

/** The workflow run's page, `''` when the runner does not say. */
export function runUrl(env: StatusEnvironment): string {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return '';
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

/**
 * The commit statuses of this run, with `@actions/github`'s Octokit on `GITHUB_API_URL` (so
 * GitHub Enterprise Server works), or undefined when `commit-status` is off — or cannot work
 * (no repository or commit known), which a warning says.
 */
export async function commitStatusesFor(
  inputs: Pick<Inputs, 'commitStatus' | 'githubToken'>,
  sha: string,
  env: StatusEnvironment = process.env,
  options: Partial<Omit<CommitStatusesOptions, 'post' | 'sha' | 'links'>> = {},
): Promise<CommitStatuses | undefined> {
  if (!inputs.commitStatus) return undefined;
  const [owner, repo, ...extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const warn = options.warn ?? ((message: string) => core.warning(message));
  if (!owner || !repo || extra.length > 0 || !sha) {
    warn(
      `Commit statuses are not set: ${!sha ? 'the commit built is not known (no git checkout and no GITHUB_SHA)' : 'GITHUB_REPOSITORY is not owner/name'}. The release itself is not affected.`,
    );
    return undefined;
  }
  let octokit: ReturnType<typeof import('@actions/github').getOctokit>;
  try {
    // Loaded only when statuses are wanted: runs without them never load Octokit.
    const { getOctokit } = await import('@actions/github');
    octokit = getOctokit(inputs.githubToken, {
      baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      userAgent: 'kaniko-release',
      log: {
        debug: (m: string) => core.debug(m),
        info: (m: string) => core.debug(m),
        warn: (m: string) => core.debug(m),
        error: (m: string) => core.debug(m),
      },
    });
  } catch (error) {
    warn(
      `Commit statuses are not set: the GitHub client cannot be made (${plain(errorMessage(error))}). The release itself is not affected.`,
    );
    return undefined;
  }
  const post: PostStatus = async (commit, body, signal) => {
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: commit,
      ...body,
      request: { signal },
    });
  };
  return new CommitStatuses({ ...options, post, sha, links: { runUrl: runUrl(env) } });
}
