/**
 * Which range the event asks for: a pure reading of the event name, its payload and the
 * `base`/`head` inputs. Resolving the revisions against git is `range.ts`'s job.
 */
/** The workflow event, as the runner describes it. */
export interface GitHubEvent {
  /** `GITHUB_EVENT_NAME`, e.g. `push`, `pull_request`. */
  name: string;
  /** The parsed `GITHUB_EVENT_PATH` payload (`{}` when there is none). */
  payload: Record<string, unknown>;
}

/** What to compare, before any revision is looked up. */
export type RangeRequest =
  /** `base` given (and `head`, or `HEAD`): compare the two trees. */
  | { kind: 'explicit'; base: string; head: string }
  /** A push of existing branch or tag: `before`..`after`, every commit of the push. */
  | {
      kind: 'push';
      before: string;
      after: string;
      ref: string;
      commits: number | undefined;
      forced: boolean;
    }
  /** A push that created the ref (`before` is all zeros). */
  | { kind: 'new-ref'; after: string; ref: string; defaultBranch: string | undefined }
  /** A push that deleted the ref (`after` is all zeros): nothing to build. */
  | { kind: 'deleted-ref'; ref: string }
  /** `pull_request`, `pull_request_target`: merge-base(base, head)..head. */
  | { kind: 'pull-request'; event: string; number: number | undefined; base: string; head: string }
  /** Anything else: the head's first parent..head (`head` input or `HEAD`). */
  | { kind: 'parent'; head: string; reason: string };

/** A git object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function objectId(value: unknown): string | undefined {
  const v = text(value).toLowerCase();
  return OBJECT_ID.test(v) ? v : undefined;
}

/** A branch name that can be spelled inside a refspec. */
function branchName(value: unknown): string | undefined {
  const v = text(value);
  if (
    v === '' ||
    v.startsWith('-') ||
    v.includes('..') ||
    /[\s\x00-\x1f\x7f:~^?*[\\]/.test(v) ||
    v.endsWith('.lock') ||
    v.endsWith('/')
  ) {
    return undefined;
  }
  return v;
}

/** Reads the range the event and the `base`/`head` inputs ask for. */
export function rangeRequest(event: GitHubEvent, base: string, head: string): RangeRequest {
  if (base !== '') return { kind: 'explicit', base, head: head || 'HEAD' };
  if (head !== '') return { kind: 'parent', head, reason: `'head' ${JSON.stringify(head)}` };

  const payload = event.payload;
  if (event.name === 'push') {
    const before = objectId(payload.before);
    const after = objectId(payload.after);
    const ref = text(payload.ref);
    if (before === undefined || after === undefined) {
      return { kind: 'parent', head: 'HEAD', reason: 'push event without before/after' };
    }
    if (ZERO.test(after)) return { kind: 'deleted-ref', ref };
    if (ZERO.test(before)) {
      return {
        kind: 'new-ref',
        after,
        ref,
        defaultBranch: branchName(record(payload.repository).default_branch),
      };
    }
    const commits = Array.isArray(payload.commits) ? payload.commits.length : undefined;
    return { kind: 'push', before, after, ref, commits, forced: payload.forced === true };
  }

  if (event.name === 'pull_request' || event.name === 'pull_request_target') {
    const pr = record(payload.pull_request);
    const baseSha = objectId(record(pr.base).sha);
    const headSha = objectId(record(pr.head).sha);
    if (baseSha !== undefined && headSha !== undefined) {
      const number = typeof pr.number === 'number' ? pr.number : undefined;
      return { kind: 'pull-request', event: event.name, number, base: baseSha, head: headSha };
    }
    return {
      kind: 'parent',
      head: 'HEAD',
      reason: `${event.name} event without pull_request.base.sha/head.sha`,
    };
  }

  return { kind: 'parent', head: 'HEAD', reason: event.name || 'no event' };
}
