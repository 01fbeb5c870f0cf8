/**
 * Resolves the range an event asks for (`event.ts`) against the clone: looks the
 * commits up, fetches what a shallow or single-branch checkout lacks from `origin`, deepens
 * shallow history in bounded steps where a merge-base needs it, and says what was compared.
 */
import { Input, InputError } from '../contract.js';
import type { RangeRequest } from './event.js';
import { isSafeRevision, type CommitObject, type Git } from '../lib/git.js';
import { quote as show } from '../lib/untrusted.js';

/** What to compare at head. */
export type Range =
  /** The paths that differ between the trees of `base` and `head`. */
  | { kind: 'diff'; base: string; head: string; description: string }
  /** Every file of `head` counts as changed (first commit, no common history). */
  | { kind: 'all'; head: string; description: string }
  /** Nothing to compare (the push deleted its ref). */
  | { kind: 'none'; description: string };

/**
 * How far a shallow clone is deepened, one `git fetch --deepen` per step, before the step
 * fails and asks for `fetch-depth: 0`: at most 4,672 more commits in three fetches.
 */
export const DEEPEN_STEPS: readonly number[] = [64, 512, 4096];

/** The history needed is not in the clone and could not be fetched within bounds. */
export class HistoryUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HistoryUnavailableError';
  }
}

export const short = (oid: string): string => oid.slice(0, 7);
const FETCH_DEPTH_HINT =
  'check out with `fetch-depth: 0` (actions/checkout) so the whole history is there';

function noCommit(rev: string): Error {
  return new Error(
    `${rev} does not name a commit; check the repository out (actions/checkout) before this step.`,
  );
}

/** The range of a push whose `before` and `after` are both in the clone. */
export function pushRange(
  request: Extract<RangeRequest, { kind: 'push' }>,
): Extract<Range, { kind: 'diff' }> {
  const count =
    request.commits === undefined
      ? ''
      : ` (${request.commits} commit${request.commits === 1 ? '' : 's'}${request.forced ? ', forced' : ''})`;
  return {
    kind: 'diff',
    base: request.before,
    head: request.after,
    description: `push ${short(request.before)}..${short(request.after)}${count}`,
  };
}

export class RangeResolver {
  /** Warnings for the log (e.g. a force push whose `before` is gone). */
  readonly warnings: string[] = [];
  private shallow: boolean | undefined;

  constructor(private readonly git: Git) {}

  private async isShallow(refresh = false): Promise<boolean> {
    if (this.shallow === undefined || refresh) this.shallow = await this.git.isShallow();
    return this.shallow;
  }

  /** Fetches commits from origin: only those commits in a shallow clone, else with history. */
  private async fetchCommits(refspecs: readonly string[]): Promise<void> {
    await this.git.fetch(refspecs, (await this.isShallow()) ? { depth: 1 } : {});
  }

  /** A commit by id, fetched from origin when the clone lacks it; `null` when neither has it. */
  private async commit(oid: string): Promise<CommitObject | null> {
    const [found] = await this.git.commits([oid]);
    if (found) return found;
    try {
      await this.fetchCommits([oid]);
    } catch {
      return null;
    }
    const [fetched] = await this.git.commits([oid]);
    return fetched ?? null;
  }

  private async requireCommit(oid: string, what: string): Promise<CommitObject> {
    const found = await this.commit(oid);
    if (found) return found;
    throw new HistoryUnavailableError(
      `The ${what} ${oid} is not in the clone and could not be fetched from origin; ${FETCH_DEPTH_HINT}.`,
    );
  }

  /**
   * Calls `attempt` again after each bounded deepening of a shallow clone from `tips`, until
   * it answers. `null` when the history is complete and still gives no answer.
   */
  private async deepen<T>(
    tips: readonly string[],
    attempt: () => Promise<T | null>,
    what: string,
  ): Promise<T | null> {
    let fetched = 0;
    for (const step of DEEPEN_STEPS) {
      if (!(await this.isShallow(true))) return null;
      try {
        await this.git.fetch(tips, { deepen: step, writeFetchHead: false });
      } catch (error) {
        throw new HistoryUnavailableError(
          `The history for ${what} is not available: the clone is shallow and fetching more from origin failed; ${FETCH_DEPTH_HINT}.`,
          { cause: error },
        );
      }
      fetched += step;
      const answer = await attempt();
      if (answer !== null) return answer;
    }
    if (!(await this.isShallow(true))) return null;
    throw new HistoryUnavailableError(
      `The history for ${what} is not available: the clone is shallow and ${fetched} more commits from origin did not reach it; ${FETCH_DEPTH_HINT}.`,
    );
  }

  /** The merge-base of two present commits, deepening a shallow clone as needed. */
  private async mergeBase(a: string, b: string, what: string): Promise<string | null> {
    const found = await this.git.mergeBase(a, b);
    if (found !== null) return found;
    return this.deepen([a, b], () => this.git.mergeBase(a, b), what);
  }

  /** An explicit `base`/`head` revision: here, else fetched from origin, else an InputError. */
  async revision(value: string, input: typeof Input.Base | typeof Input.Head): Promise<string> {
    if (!isSafeRevision(value)) {
      throw new InputError(
        input,
        `${show(value)} is not a git revision (a commit id, branch, tag or expression such as 'HEAD~1').`,
      );
    }
    if (value === 'HEAD') return (await this.headCommit('HEAD')).oid;
    const [here] = await this.git.commits([value]);
    if (here) return here.oid;
    try {
      await this.fetchCommits([value]);
      const [fetched] = await this.git.commits(['FETCH_HEAD']);
      if (fetched) return fetched.oid;
    } catch {
      // Not a name origin knows (e.g. 'HEAD~3' or an abbreviated id); try deepening below.
    }
    if (await this.isShallow()) {
      const [head] = await this.git.commits(['HEAD']);
      if (head) {
        let found: string | null;
        try {
          found = await this.deepen(
            [head.oid],
            async () => (await this.git.commits([value]))[0]?.oid ?? null,
            `'${input}' ${show(value)}`,
          );
        } catch {
          throw new InputError(
            input,
            `revision ${show(value)} is not in this shallow clone, and more history from origin did not hold it; give a commit id, branch or tag, or ${FETCH_DEPTH_HINT}.`,
          );
        }
        if (found !== null) return found;
      }
    }
    throw new InputError(
      input,
      `revision ${show(value)} does not exist in the repository, nor on origin; give a commit id, branch or tag.`,
    );
  }

  /** The head commit alone, for `build-all`: the `head` input or `HEAD`. */
  async head(headInput: string): Promise<string> {
    return this.revision(headInput || 'HEAD', Input.Head);
  }

  private async headCommit(rev: string): Promise<CommitObject> {
    const [head] = await this.git.commits([rev]);
    if (!head) throw noCommit(rev);
    return head;
  }

  async resolve(request: RangeRequest): Promise<Range> {
    switch (request.kind) {
      case 'explicit': {
        const base = await this.revision(request.base, Input.Base);
        const head = await this.revision(request.head, Input.Head);
        return {
          kind: 'diff',
          base,
          head,
          description: `base..head ${request.base}..${request.head} (${short(base)}..${short(head)})`,
        };
      }
      case 'parent': {
        const head =
          request.head === 'HEAD' ? 'HEAD' : await this.revision(request.head, Input.Head);
        return this.parentRange(head, `${request.reason}: ${request.head}^..${request.head}`);
      }
      case 'deleted-ref':
        return { kind: 'none', description: `push deleted ${request.ref}: nothing to build` };
      case 'push':
        return this.pushRange(request);
      case 'new-ref':
        return this.newRefRange(request);
      case 'pull-request':
        return this.pullRequestRange(request);
    }
  }

  /** `<head>^..<head>`; a root commit counts every file of head. */
  private async parentRange(rev: string, label: string): Promise<Range> {
    const [head, parentHere] = await this.git.commits([rev, `${rev}^1`]);
    if (!head) throw noCommit(rev);
    const parent = head.parents[0];
    if (parent === undefined) {
      return {
        kind: 'all',
        head: head.oid,
        description: `${label}: ${short(head.oid)} is a root commit, every file counts as changed`,
      };
    }
    if (parentHere?.oid !== parent)
      await this.requireCommit(parent, `parent of ${short(head.oid)}`);
    return {
      kind: 'diff',
      base: parent,
      head: head.oid,
      description: `${label} (${short(parent)}..${short(head.oid)})`,
    };
  }

  private async pushRange(request: Extract<RangeRequest, { kind: 'push' }>): Promise<Range> {
    const [afterHere, beforeHere] = await this.git.commits([request.after, request.before]);
    const after = afterHere ?? (await this.requireCommit(request.after, `pushed commit ('after')`));
    const before = beforeHere ?? (await this.commit(request.before));
    if (!before) {
      this.warnings.push(
        `The push's 'before' commit ${short(request.before)} is not in the history${request.forced ? ' (force push)' : ''} and could not be fetched from origin; comparing HEAD^..HEAD instead, so only the last commit of this push is looked at.`,
      );
      return this.parentRange(after.oid, `push ${request.ref}: HEAD^..HEAD`);
    }
    return pushRange(request);
  }

  private async newRefRange(request: Extract<RangeRequest, { kind: 'new-ref' }>): Promise<Range> {
    const after = await this.requireCommit(request.after, `pushed commit ('after')`);
    const label = `push of new ref ${request.ref}`;
    const all = (why: string): Range => ({
      kind: 'all',
      head: after.oid,
      description: `${label}: ${why}, every matching directory counts as changed`,
    });
    const branch = request.defaultBranch;
    if (branch === undefined) return all('the event names no default branch');
    if (request.ref === `refs/heads/${branch}`) return all('first push of the default branch');

    const tracking = `refs/remotes/origin/${branch}`;
    let [main] = await this.git.commits([tracking]);
    if (!main) {
      try {
        await this.fetchCommits([`+refs/heads/${branch}:${tracking}`]);
        [main] = await this.git.commits([tracking]);
      } catch {
        // The default branch is not on origin: no common history to compare with.
      }
    }
    if (!main) return all(`the default branch ${branch} is not on origin`);
    const base = await this.mergeBase(
      main.oid,
      after.oid,
      `the merge-base of ${branch} and ${short(after.oid)}`,
    );
    if (base === null) return all(`no common history with ${branch}`);
    return {
      kind: 'diff',
      base,
      head: after.oid,
      description: `${label}: merge-base with ${branch} ${short(base)}..${short(after.oid)}`,
    };
  }

  private async pullRequestRange(
    request: Extract<RangeRequest, { kind: 'pull-request' }>,
  ): Promise<Range> {
    const [baseHere, headHere] = await this.git.commits([request.base, request.head]);
    const missing = [baseHere ? '' : request.base, headHere ? '' : request.head].filter(Boolean);
    if (missing.length > 0) {
      try {
        await this.fetchCommits(missing);
      } catch {
        // Reported below with the commit that is missing.
      }
    }
    const base = baseHere ?? (await this.requireCommit(request.base, 'pull request base'));
    const head = headHere ?? (await this.requireCommit(request.head, 'pull request head'));
    const label = `${request.event}${request.number === undefined ? '' : ` #${request.number}`}`;
    const mergeBase = await this.mergeBase(
      base.oid,
      head.oid,
      `the merge-base of the pull request's base ${short(base.oid)} and head ${short(head.oid)}`,
    );
    if (mergeBase === null) {
      return {
        kind: 'all',
        head: head.oid,
        description: `${label}: base ${short(base.oid)} and head ${short(head.oid)} share no history, every matching directory counts as changed`,
      };
    }
    return {
      kind: 'diff',
      base: mergeBase,
      head: head.oid,
      description: `${label}: merge-base ${short(mergeBase)}..head ${short(head.oid)} (base ${short(base.oid)})`,
    };
  }
}
