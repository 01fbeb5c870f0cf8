/**
 * A local stand-in for the Docker Hub API (hub.docker.com) covering what the action uses:
 * tag listing (both routes), single-tag lookup, the two login routes, private repositories,
 * rate-limit headers, and injectable faults. Every response shape and where it comes from is
 * written down in `fake-hub.md` next to this file.
 *
 * The server binds 127.0.0.1 on a random port, is unref'd, and stops by itself after
 * `maxLifetimeMs`, so a forgotten `stop()` never keeps a process alive.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeHubTagInput {
  name: string;
  digest?: string;
  last_updated?: string;
}

export interface FakeHubRepoOptions {
  /** Answer 404 (as for a missing repository) unless the request carries a token from a login route. */
  private?: boolean;
}

export interface FakeHubRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  /** Query parameters; the last value wins when a name repeats. */
  query: Record<string, string>;
  /** Request headers as Node gives them (lower-case names). */
  headers: IncomingHttpHeaders;
  /** Raw request body (empty for GET). */
  body: string;
  /** Set when an injected fault answered this request. */
  fault?: FakeHubFault['kind'];
}

export type FakeHubFault =
  /** 429 with `Retry-After: <seconds>` and the Hub's `X-Retry-After: <unix time>`. */
  | { kind: 'rate-limit'; retryAfter?: number }
  /** Any status (500, 502, 503, 401, 403 …); default body is a small HTML error page. */
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  /** 200 with an HTML page instead of JSON (a captive portal or proxy error page). */
  | { kind: 'html' }
  /** 200 with `application/json` whose body is cut off mid-document. */
  | { kind: 'malformed-json' }
  /** The connection is reset without any response. */
  | { kind: 'reset' }
  /** No answer for `ms` milliseconds, then the normal answer. A non-finite `ms` hangs until stop(). */
  | { kind: 'hang'; ms: number };

export interface FakeHubFaultOptions {
  /** How many matching requests the fault answers before it clears itself. Default 1. */
  times?: number;
  /** Only requests whose path contains this string (or matches this RegExp). Default: every path. */
  path?: string | RegExp;
  /** Only requests with this method (any case). Default: every method. */
  method?: string;
}

export interface FakeHubFaults {
  /** Queue a fault for the next `times` matching requests. Rules are tried in the order added. */
  add(fault: FakeHubFault, opts?: FakeHubFaultOptions): void;
  /** Drop every queued fault. */
  clear(): void;
  /** Number of fault answers still queued (sum of remaining `times`). */
  readonly pending: number;
}

export interface FakeHubOptions {
  /** Initial accounts: username → secret, or several secrets (password and personal access tokens). */
  users?: Record<string, string | readonly string[]>;
  /** Hard limit after which the server stops by itself (unref'd timer). Default 10 minutes. */
  maxLifetimeMs?: number;
  /** Value of `X-RateLimit-Limit` (requests per minute). Default 180, as observed on the Hub. */
  rateLimit?: number;
}

export interface FakeHub {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** Create or replace a repository. Tags listed later count as pushed later (newer). */
  setRepo(
    namespace: string,
    name: string,
    tags: readonly (string | FakeHubTagInput)[],
    opts?: FakeHubRepoOptions,
  ): void;
  /** Push one more tag (newest) to an existing repository, replacing a tag of the same name. */
  addTag(namespace: string, name: string, tag: string | FakeHubTagInput): void;
  /** Delete a repository; it then answers 404. */
  removeRepo(namespace: string, name: string): void;
  /** Accounts accepted by the login routes: username → secret or secrets. Mutable. */
  readonly users: Map<string, string | readonly string[]>;
  /** Every request received, in order. Clear with `requests.length = 0`. */
  readonly requests: FakeHubRequest[];
  readonly faults: FakeHubFaults;
  /** Close the server, destroy every open socket, cancel pending hangs. Idempotent. */
  stop(): Promise<void>;
}

interface StoredTag {
  id: number;
  name: string;
  digest: string;
  lastUpdated: string;
  time: number;
}

interface StoredRepo {
  id: number;
  ownerId: number;
  namespace: string;
  name: string;
  private: boolean;
  tags: StoredTag[];
}

interface FaultRule {
  fault: FakeHubFault;
  remaining: number;
  path?: string | RegExp;
  method?: string;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;
const MAX_BODY_BYTES = 1 << 20;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Default tags get timestamps one minute apart from this instant, in the order given. */
const BASE_TIME = Date.UTC(2024, 0, 1);

const TAG_LIST_ROUTES = [
  /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/?$/,
  /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags\/?$/,
];
const TAG_ONE_ROUTES = [
  /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/([^/]+)\/?$/,
  /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags\/([^/]+)\/?$/,
];
const USERS_LOGIN_ROUTE = /^\/v2\/users\/login\/?$/;
const AUTH_TOKEN_ROUTE = /^\/v2\/auth\/token\/?$/;

/** Hub timestamps carry microseconds: `2024-03-20T20:11:07.183053Z`. */
function hubTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function repoKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function htmlPage(status: number): string {
  const reason = STATUS_CODES[status] ?? 'Error';
  return `<!doctype html>\n<html lang="en"><head><title>${status} ${reason}</title></head><body><h1>${status} ${reason}</h1></body></html>\n`;
}

function secretsOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

export async function startFakeHub(opts: FakeHubOptions = {}): Promise<FakeHub> {
  const rateLimit = opts.rateLimit ?? 180;
  const users = new Map<string, string | readonly string[]>(Object.entries(opts.users ?? {}));
  const requests: FakeHubRequest[] = [];
  const repos = new Map<string, StoredRepo>();
  const tokens = new Map<string, string>();
  const rules: FaultRule[] = [];
  const sockets = new Set<Socket>();
  const hangs = new Set<NodeJS.Timeout>();
  let nextId = 1000;
  let windowStart = 0;
  let windowCount = 0;
  let port = 0;

  const ownerIds = new Map<string, number>();
  const ownerId = (namespace: string): number => {
    let id = ownerIds.get(namespace);
    if (id === undefined) {
      id = nextId++;
      ownerIds.set(namespace, id);
    }
    return id;
  };

  const makeTag = (
    namespace: string,
    name: string,
    input: string | FakeHubTagInput,
    defaultTime: number,
  ): StoredTag => {
    const tag = typeof input === 'string' ? { name: input } : input;
    const lastUpdated = tag.last_updated ?? hubTime(defaultTime);
    const parsed = Date.parse(lastUpdated);
    return {
      id: nextId++,
      name: tag.name,
      digest: tag.digest ?? `sha256:${sha256(`${namespace}/${name}:${tag.name}`)}`,
      lastUpdated,
      time: Number.isNaN(parsed) ? 0 : parsed,
    };
  };

  // ---- responses ------------------------------------------------------------------------------

  const rateHeaders = (): OutgoingHttpHeaders => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount++;
    return {
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, rateLimit - windowCount)),
      'x-ratelimit-reset': String(Math.floor((windowStart + 60_000) / 1000)),
    };
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    contentType: string,
    extra: OutgoingHttpHeaders = {},
  ): void => {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      ...rateHeaders(),
      ...extra,
    });
    res.end(body);
  };

  const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
    send(res, status, JSON.stringify(value), 'application/json');

  const notFound = (res: ServerResponse, namespace: string, repository: string): void =>
    sendJson(res, 404, {
      message: 'httperror 404: object not found',
      errinfo: { namespace, repository },
    });

  const unauthorized = (res: ServerResponse): void =>
    sendJson(res, 401, { message: 'unauthorized', errinfo: {} });

  const malformed = (res: ServerResponse): void =>
    sendJson(res, 400, { message: 'malformed request', errinfo: {} });

  const methodNotAllowed = (res: ServerResponse, allow: string): void =>
    send(
      res,
      405,
      JSON.stringify({ message: 'method not allowed', errinfo: {} }),
      'application/json',
      {
        allow,
      },
    );

  const tagJson = (repo: StoredRepo, tag: StoredTag): Record<string, unknown> => {
    const size = 1_000_000 + (parseInt(tag.digest.slice(-6), 16) % 9_000_000 || 0);
    return {
      creator: repo.ownerId,
      id: tag.id,
      images: [
        {
          architecture: 'amd64',
          features: '',
          variant: null,
          digest: tag.digest,
          os: 'linux',
          os_features: '',
          os_version: null,
          size,
          status: 'active',
          last_pulled: null,
          last_pushed: tag.lastUpdated,
        },
      ],
      last_updated: tag.lastUpdated,
      last_updater: repo.ownerId,
      last_updater_username: repo.namespace,
      name: tag.name,
      repository: repo.id,
      full_size: size,
      v2: true,
      tag_status: 'active',
      tag_last_pulled: null,
      tag_last_pushed: tag.lastUpdated,
      media_type: 'application/vnd.docker.container.image.v1+json',
      content_type: 'image',
      digest: tag.digest,
    };
  };

  // ---- auth -----------------------------------------------------------------------------------

  const issueToken = (username: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({
        sub: username,
        iss: 'fake-hub',
        iat: now,
        exp: now + 600,
        jti: randomBytes(8).toString('hex'),
      }),
    );
    const token = `${header}.${payload}.${base64url(randomBytes(32))}`;
    tokens.set(token, username);
    return token;
  };

  /** `undefined`: no Authorization header; `null`: a header that names no issued token. */
  const callerOf = (req: IncomingMessage): string | null | undefined => {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^(?:Bearer|JWT)\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return null;
    return tokens.get(match[1]) ?? null;
  };

  const checkSecret = (username: unknown, secret: unknown): string | undefined => {
    if (typeof username !== 'string' || typeof secret !== 'string') return undefined;
    return secretsOf(users.get(username)).includes(secret) ? username : undefined;
  };

  const parseBody = (body: string): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(body);
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };

  const handleUsersLogin = (res: ServerResponse, body: string): void => {
    const data = parseBody(body);
    if (!data || typeof data.username !== 'string' || typeof data.password !== 'string') {
      return malformed(res);
    }
    const user = checkSecret(data.username, data.password);
    if (!user) return sendJson(res, 401, { detail: 'Incorrect authentication credentials' });
    sendJson(res, 200, { token: issueToken(user) });
  };

  const handleAuthToken = (res: ServerResponse, body: string): void => {
    const data = parseBody(body);
    if (!data || typeof data.identifier !== 'string' || typeof data.secret !== 'string') {
      return malformed(res);
    }
    const user = checkSecret(data.identifier, data.secret);
    if (!user) return unauthorized(res);
    sendJson(res, 200, { access_token: issueToken(user) });
  };

  // ---- tags -----------------------------------------------------------------------------------

  /** Resolves the repository a tag route names, or answers the error itself and returns undefined. */
  const visibleRepo = (
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
  ): StoredRepo | undefined => {
    const caller = callerOf(req);
    if (caller === null) {
      unauthorized(res);
      return undefined;
    }
    const repo = repos.get(repoKey(namespace, name));
    if (!repo || (repo.private && caller === undefined)) {
      notFound(res, namespace, name);
      return undefined;
    }
    return repo;
  };

  const sortedTags = (repo: StoredRepo, ordering: string | null): StoredTag[] => {
    const tags = [...repo.tags];
    const newestFirst = (a: StoredTag, b: StoredTag): number => b.time - a.time || b.id - a.id;
    if (ordering === 'name') tags.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    else if (ordering === '-name') {
      tags.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    } else tags.sort(newestFirst);
    return tags;
  };

  const handleTagList = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    namespace: string,
    name: string,
  ): void => {
    const repo = visibleRepo(req, res, namespace, name);
    if (!repo) return;
    const query = url.searchParams;

    const rawPage = query.get('page');
    const page = rawPage === null || rawPage === '' ? 1 : /^\d+$/.test(rawPage) ? +rawPage : 0;
    const rawSize = query.get('page_size');
    const askedSize = rawSize !== null && /^\d+$/.test(rawSize) ? +rawSize : 0;
    const pageSize = askedSize > 0 ? Math.min(askedSize, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;

    const filter = query.get('name');
    const all = sortedTags(repo, query.get('ordering')).filter(
      (tag) => !filter || tag.name.includes(filter),
    );
    const lastPage = Math.max(1, Math.ceil(all.length / pageSize));
    if (page < 1 || page > lastPage) return notFound(res, namespace, name);
    // HEAD answers whether the repository holds tags at all (documented: 200 or 404).
    if (req.method === 'HEAD' && repo.tags.length === 0) return notFound(res, namespace, name);

    const host = req.headers.host ?? `127.0.0.1:${port}`;
    const link = (target: number): string => {
      const params = new URLSearchParams(query);
      params.set('page', String(target));
      params.set('page_size', String(pageSize));
      params.sort();
      return `http://${host}${url.pathname}?${params.toString()}`;
    };

    sendJson(res, 200, {
      count: all.length,
      next: page < lastPage ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: all.slice((page - 1) * pageSize, page * pageSize).map((t) => tagJson(repo, t)),
    });
  };

  const handleTagOne = (
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
    tagName: string,
  ): void => {
    const repo = visibleRepo(req, res, namespace, name);
    if (!repo) return;
    const tag = repo.tags.find((t) => t.name === tagName);
    if (!tag) {
      return sendJson(res, 404, {
        message: `tag '${tagName}' not found`,
        errinfo: { namespace, repository: name, tag: tagName },
      });
    }
    sendJson(res, 200, tagJson(repo, tag));
  };

  // ---- routing --------------------------------------------------------------------------------

  const route = (req: IncomingMessage, res: ServerResponse, url: URL, body: string): void => {
    const method = req.method ?? 'GET';
    const path = url.pathname;

    for (const pattern of TAG_LIST_ROUTES) {
      const m = pattern.exec(path);
      if (!m) continue;
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return handleTagList(req, res, url, decode(m[1] ?? ''), decode(m[2] ?? ''));
    }
    for (const pattern of TAG_ONE_ROUTES) {
      const m = pattern.exec(path);
      if (!m) continue;
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return handleTagOne(req, res, decode(m[1] ?? ''), decode(m[2] ?? ''), decode(m[3] ?? ''));
    }
    if (USERS_LOGIN_ROUTE.test(path)) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return handleUsersLogin(res, body);
    }
    if (AUTH_TOKEN_ROUTE.test(path)) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return handleAuthToken(res, body);
    }
    send(res, 404, htmlPage(404), 'text/html; charset=utf-8');
  };

  // ---- faults ---------------------------------------------------------------------------------

  const takeFault = (method: string, path: string): FakeHubFault | undefined => {
    const index = rules.findIndex(
      (rule) =>
        (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
        (rule.path === undefined ||
          (typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path))),
    );
    const rule = rules[index];
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) rules.splice(index, 1);
    return rule.fault;
  };

  const applyFault = (
    fault: FakeHubFault,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: string,
  ): void => {
    switch (fault.kind) {
      case 'rate-limit': {
        const seconds = Math.max(0, Math.ceil(fault.retryAfter ?? 1));
        return send(
          res,
          429,
          JSON.stringify({ detail: 'Rate limit exceeded', error: false }),
          'application/json',
          {
            'retry-after': String(seconds),
            'x-retry-after': String(Math.floor(Date.now() / 1000) + seconds),
            'x-ratelimit-remaining': '0',
          },
        );
      }
      case 'status':
        return send(
          res,
          fault.status,
          fault.body ?? htmlPage(fault.status),
          fault.contentType ??
            (fault.body === undefined ? 'text/html; charset=utf-8' : 'application/json'),
        );
      case 'html':
        return send(
          res,
          200,
          htmlPage(200).replace('200 OK', 'Docker Hub'),
          'text/html; charset=utf-8',
        );
      case 'malformed-json':
        return send(
          res,
          200,
          '{"count": 3, "next": null, "previous": null, "results": [{"name": "v1',
          'application/json',
        );
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang': {
        if (!Number.isFinite(fault.ms) || fault.ms > MAX_TIMER_MS) return;
        const timer = setTimeout(
          () => {
            hangs.delete(timer);
            if (!req.socket.destroyed) route(req, res, url, body);
          },
          Math.max(0, fault.ms),
        );
        timer.unref();
        hangs.add(timer);
        return;
      }
    }
  };

  const faults: FakeHubFaults = {
    add(fault, options = {}) {
      const times = options.times ?? 1;
      if (!Number.isInteger(times) || times < 1) {
        throw new Error(`fake hub: fault times must be a positive integer, got ${times}`);
      }
      rules.push({ fault, remaining: times, path: options.path, method: options.method });
    },
    clear() {
      rules.length = 0;
    },
    get pending() {
      return rules.reduce((sum, rule) => sum + rule.remaining, 0);
    },
  };

  // ---- server ---------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake-hub.invalid');
      const method = req.method ?? 'GET';
      const body = Buffer.concat(chunks).toString('utf8');
      const fault = takeFault(method, url.pathname);
      requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        ...(fault ? { fault: fault.kind } : {}),
      });
      if (size > MAX_BODY_BYTES) return send(res, 413, htmlPage(413), 'text/html; charset=utf-8');
      if (fault) return applyFault(fault, req, res, url, body);
      route(req, res, url, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    if (stopping) return stopping;
    clearTimeout(lifetime);
    for (const timer of hangs) clearTimeout(timer);
    hangs.clear();
    stopping = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    return stopping;
  };
  const lifetime = setTimeout(() => void stop(), opts.maxLifetimeMs ?? 10 * 60_000);
  lifetime.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    setRepo(namespace, name, tags, options = {}) {
      const existing = repos.get(repoKey(namespace, name));
      const stored = tags.map((tag, i) => makeTag(namespace, name, tag, BASE_TIME + i * 60_000));
      repos.set(repoKey(namespace, name), {
        id: existing?.id ?? nextId++,
        ownerId: ownerId(namespace),
        namespace,
        name,
        private: options.private ?? false,
        tags: stored,
      });
    },
    addTag(namespace, name, tag) {
      const repo = repos.get(repoKey(namespace, name));
      if (!repo) throw new Error(`fake hub: no repository ${repoKey(namespace, name)}`);
      const newest = repo.tags.reduce((max, t) => Math.max(max, t.time), BASE_TIME - 60_000);
      const stored = makeTag(namespace, name, tag, newest + 60_000);
      repo.tags = [...repo.tags.filter((t) => t.name !== stored.name), stored];
    },
    removeRepo(namespace, name) {
      repos.delete(repoKey(namespace, name));
    },
    users,
    requests,
    faults,
    stop,
  };
}
