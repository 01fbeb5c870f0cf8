/**
 * A local stand-in for GitHub's commit statuses endpoint, `POST /repos/{owner}/{repo}/statuses/{sha}`
 * (docs.github.com/rest/commits/statuses#create-a-commit-status), behaving as GitHub does for
 * what the action sends:
 *
 * - `Authorization: token <t>` or `Bearer <t>` must carry the configured token, else 401
 *   `{"message":"Bad credentials"}`; a repository other than the configured one is 404.
 * - `sha` must be a full commit id, else 422 "No commit found for SHA".
 * - `state` must be `error`, `failure`, `pending` or `success`; a `description` over 140
 *   characters or a `context` over 255 is 422 "Validation Failed" with GitHub's error body.
 * - Success is 201 with the created status (`id`, `state`, `description`, `target_url`,
 *   `context`, `created_at`, …); the latest status per (sha, context) is kept, as GitHub shows.
 *
 * Faults answer the next requests instead: any status (with `Retry-After`), a reset connection,
 * or a slow answer. `prefix` serves the API under a path, as GitHub Enterprise Server does
 * (`/api/v3`). The server binds 127.0.0.1, is unref'd, and stops by itself after 10 minutes.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StatusBody {
  state?: string;
  description?: string;
  target_url?: string;
  context?: string;
}

export interface FakeGitHubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body as sent (`undefined` when it was not JSON). */
  body: StatusBody | undefined;
  /** What the server answered (0: the connection was reset). */
  answered: number;
}

export type FakeGitHubFault =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'reset' }
  /** Answer normally, but only after `ms` milliseconds. */
  | { kind: 'slow'; ms: number };

export interface FakeGitHub {
  /** The API base URL, as `GITHUB_API_URL` gives it (with `prefix`). */
  readonly url: string;
  readonly requests: FakeGitHubRequest[];
  /** The latest status per `sha` → `context`, as GitHub lists them on the commit. */
  readonly statuses: Map<string, Map<string, StatusBody & { id: number }>>;
  /** Answer the next `times` requests with `fault`. */
  fail(fault: FakeGitHubFault, times?: number): void;
  /** Forget every request, status and queued fault. */
  reset(): void;
  stop(): Promise<void>;
}

const STATES = new Set(['error', 'failure', 'pending', 'success']);
const ROUTE = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([^/]+)$/;
const DOCS = 'https://docs.github.com/rest/commits/statuses#create-a-commit-status';

const length = (text: string): number => Array.from(text).length;

export async function startFakeGitHub(options: {
  token: string;
  /** `owner/name`; other repositories are 404. */
  repository: string;
  prefix?: string;
}): Promise<FakeGitHub> {
  const prefix = options.prefix ?? '';
  const requests: FakeGitHubRequest[] = [];
  const statuses = new Map<string, Map<string, StatusBody & { id: number }>>();
  const faults: FakeGitHubFault[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: StatusBody | undefined;
      try {
        body = JSON.parse(text) as StatusBody;
      } catch {
        body = undefined;
      }
      const record: FakeGitHubRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        answered: 0,
      };
      requests.push(record);
      const send = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
        record.answered = status;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-media-type': 'github.v3; format=json',
          ...headers,
        });
        res.end(JSON.stringify(json));
      };

      const fault = faults.shift();
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
        send(
          fault.status,
          { message: fault.status === 429 ? 'API rate limit exceeded' : 'Server Error' },
          headers,
        );
        return;
      }
      const answer = (): void => respond(record, body, send);
      if (fault?.kind === 'slow') setTimeout(answer, fault.ms).unref();
      else answer();
    });
  });

  function respond(
    record: FakeGitHubRequest,
    body: StatusBody | undefined,
    send: (status: number, json: unknown) => void,
  ): void {
    const path = record.path.startsWith(prefix) ? record.path.slice(prefix.length) : '';
    const route = ROUTE.exec(path);
    if (record.method !== 'POST' || !route) {
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const auth = record.headers.authorization ?? '';
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const [, owner, repo, sha] = route as unknown as [string, string, string, string];
    if (`${owner}/${repo}` !== options.repository) {
      send(404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    if (!/^[0-9a-f]{40}$/.test(sha)) {
      send(422, { message: `No commit found for SHA: ${sha}`, documentation_url: DOCS });
      return;
    }
    if (body === undefined) {
      send(400, { message: 'Problems parsing JSON', documentation_url: DOCS });
      return;
    }
    const invalid = (field: string, message: string): void =>
      send(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Status', code: 'custom', field, message }],
        documentation_url: DOCS,
      });
    if (!STATES.has(body.state ?? '')) {
      invalid('state', `state is not included in the list`);
      return;
    }
    if (body.description !== undefined && length(body.description) > 140) {
      invalid('description', 'description is too long (maximum is 140 characters)');
      return;
    }
    const context = body.context ?? 'default';
    if (length(context) > 255) {
      invalid('context', 'context is too long (maximum is 255 characters)');
      return;
    }
    const id = nextId++;
    const stored = { ...body, context, id };
    const forSha = statuses.get(sha) ?? new Map<string, StatusBody & { id: number }>();
    forSha.set(context.toLowerCase(), stored);
    statuses.set(sha, forSha);
    const now = new Date().toISOString();
    send(201, {
      url: `${url}/repos/${owner}/${repo}/statuses/${sha}`,
      id,
      node_id: `SC_${id}`,
      state: body.state,
      description: body.description ?? null,
      target_url: body.target_url ?? null,
      context,
      created_at: now,
      updated_at: now,
      creator: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    });
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return stopping;
  };
  setTimeout(() => void stop(), 10 * 60_000).unref();
  return {
    url,
    requests,
    statuses,
    fail: (fault, times = 1) => {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    reset: () => {
      requests.length = 0;
      statuses.clear();
      faults.length = 0;
    },
    stop,
  };
}
