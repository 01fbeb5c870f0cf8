/**
 * A token service in front of a real registry: the local `docker-registry` only does Basic
 * (htpasswd) auth, while most public registries (Docker Hub, ghcr.io, quay.io) answer with a
 * `Bearer` challenge and hand out tokens from a realm. This proxy does what they do:
 *
 * - every `/v2/…` request without a valid token gets `401` with
 *   `WWW-Authenticate: Bearer realm="…/token",service="…",scope="repository:<name>:pull"`
 *   (`pull,push` for writes, plus `repository:<from>:pull` for a mount; and
 *   `error="invalid_token"` when a token was sent but is unknown or expired);
 * - `GET /token?service=…&scope=…` checks Basic credentials (when `users` is set) and answers
 *   `{"token": …, "access_token": …, "expires_in": …}`; a token is good for the scopes asked;
 * - requests with a good token are forwarded to the real registry, streamed both ways;
 * - optional: tokens that expire after N uses (to force a refresh mid-pagination), blob
 *   downloads redirected to a second origin (a "CDN" that records what it was sent), and
 *   injected faults (any status/body/headers, a hang, a reset) by path.
 *
 * Binds 127.0.0.1, unref'd, and stops by itself after `maxLifetimeMs`.
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyFault {
  /** Answer with this status (default 500), body and headers … */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** … or hang for `hangMs` first (then answer normally), or reset the connection. */
  hangMs?: number;
  reset?: boolean;
  /** How many matching requests it answers (default 1). */
  times?: number;
  /** Only requests whose path+query contains this string. */
  path?: string;
  /** Only requests with this method. */
  method?: string;
}

export interface TokenRegistryOptions {
  /** The real registry, e.g. `http://127.0.0.1:5000`. */
  upstream: string;
  /** Accepted `username → password`; without it every token request is granted anonymously. */
  users?: Record<string, string>;
  /** With `users`: grant tokens to anonymous requests too (a public registry). Default false. */
  anonymous?: boolean;
  /** A token is refused (as expired) after this many uses. Default: never. */
  tokenUses?: number;
  /** Serve `GET /v2/<name>/blobs/<digest>` as a 307 to a second local origin. */
  blobRedirect?: boolean;
  /** The realm as written in the challenge; default `<url>/token`. `relative` writes `/token`. */
  realm?: 'absolute' | 'relative';
  /** `bearer` (default) challenges as above; `none` forwards without checking anything. */
  auth?: 'bearer' | 'none';
  /**
   * Serve `/tags/list` in pages (the Debian registry 2.8 ignores `n` and sends every tag in one
   * answer): sorted, `n` (default `pageSize`) per page after `last`, with a `Link` to the next
   * page written relative (`</v2/…>`) or absolute (`<http://127.0.0.1:PORT/v2/…>`).
   */
  paginate?: { pageSize: number; link: 'relative' | 'absolute' };
  maxLifetimeMs?: number;
}

export interface ProxyRequest {
  method: string;
  path: string;
  authorization: string;
  fault: boolean;
}

export interface TokenRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  /** `127.0.0.1:PORT` of the blob "CDN" (another origin). */
  cdnHost: string;
  /** Requests to the registry routes (`/v2/…`), in order. */
  requests: ProxyRequest[];
  /** Requests to `/token`: the scopes asked for and the Authorization sent. */
  tokenRequests: { scope: string; service: string; authorization: string }[];
  /** Requests the blob "CDN" received, with their Authorization header (`''` when none). */
  cdnRequests: { path: string; authorization: string }[];
  addFault(fault: ProxyFault): void;
  /** Drop every fault still queued. */
  clearFaults(): void;
  /** Forget every token handed out, as if they all expired. */
  revokeTokens(): void;
  stop(): Promise<void>;
}

interface Grant {
  scopes: Set<string>;
  uses: number;
}

const SERVICE = 'test-registry';

/** Whether granted scopes hold every action of `scope` (`repository:<name>:pull,push`). */
function covers(granted: Set<string>, scope: string): boolean {
  const colon = scope.lastIndexOf(':');
  const resource = scope.slice(0, colon);
  const actions = scope.slice(colon + 1).split(',');
  const held = new Set<string>();
  for (const g of granted) {
    const c = g.lastIndexOf(':');
    if (g.slice(0, c) === resource) for (const a of g.slice(c + 1).split(',')) held.add(a);
  }
  return actions.every((a) => held.has(a));
}

export async function startTokenRegistry(options: TokenRegistryOptions): Promise<TokenRegistry> {
  const upstream = new URL(options.upstream);
  const tokens = new Map<string, Grant>();
  const faults: (ProxyFault & { left: number })[] = [];
  const requests: ProxyRequest[] = [];
  const tokenRequests: TokenRegistry['tokenRequests'] = [];
  const cdnRequests: TokenRegistry['cdnRequests'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let host = '';
  let url = '';
  let cdnUrl = '';

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    headers: IncomingHttpHeaders,
  ): void => {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path,
        headers: { ...headers, host: upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const challenge = (res: ServerResponse, scope: string, error?: string): void => {
    const realm = options.realm === 'relative' ? '/token' : `${url}/token`;
    const params = [`realm="${realm}"`, `service="${SERVICE}"`];
    if (scope) params.push(`scope="${scope}"`);
    if (error) params.push(`error="${error}"`);
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer ${params.join(',')}`,
      'docker-distribution-api-version': 'registry/2.0',
    });
    res.end(
      JSON.stringify({
        errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }],
      }),
    );
  };

  const handleToken = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void => {
    const authorization = req.headers.authorization ?? '';
    const scopes = query.getAll('scope');
    tokenRequests.push({
      scope: scopes.join(' '),
      service: query.get('service') ?? '',
      authorization,
    });
    if (options.users) {
      let ok = false;
      if (authorization.startsWith('Basic ')) {
        const [user, ...rest] = Buffer.from(authorization.slice(6), 'base64')
          .toString('utf8')
          .split(':');
        ok = user !== undefined && options.users[user] === rest.join(':');
        if (!ok) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ details: 'incorrect username or password' }));
          return;
        }
      }
      if (!ok && !options.anonymous) {
        // Like Docker Hub: an anonymous token, but without access to anything.
        scopes.length = 0;
      }
    }
    const token = randomBytes(16).toString('hex');
    tokens.set(token, { scopes: new Set(scopes.flatMap((s) => s.split(' '))), uses: 0 });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  };

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://x');
    const path = target.pathname + target.search;
    if (target.pathname === '/token') {
      handleToken(req, res, target.searchParams);
      return;
    }
    const record: ProxyRequest = {
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization ?? '',
      fault: false,
    };
    requests.push(record);

    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (f.path === undefined || path.includes(f.path)) &&
        (f.method === undefined || f.method.toUpperCase() === req.method),
    );
    if (fault) {
      fault.left--;
      record.fault = true;
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.hangMs !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) proceed();
        }, fault.hangMs);
        timers.add(timer);
        return;
      }
      res.writeHead(fault.status ?? 500, fault.headers ?? { 'content-type': 'text/html' });
      res.end(fault.body ?? '<html><body>error</body></html>');
      return;
    }
    proceed();

    function proceed(): void {
      const name = /^\/v2\/(.+?)\/(?:tags|manifests|blobs)\//.exec(target.pathname)?.[1];
      // As distribution: reads need pull, writes pull and push, a mount also pull on `from`.
      const write = !['GET', 'HEAD'].includes(req.method ?? 'GET');
      const required = name ? [`repository:${name}:${write ? 'pull,push' : 'pull'}`] : [];
      const from = target.searchParams.get('from');
      if (name && write && from) required.push(`repository:${from}:pull`);
      const scope = required.join(' ');
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      const grant = token ? tokens.get(token) : undefined;
      if (options.auth === 'none') {
        pass();
        return;
      }
      if (!grant) {
        challenge(res, scope, token ? 'invalid_token' : undefined);
        return;
      }
      grant.uses++;
      if (options.tokenUses !== undefined && grant.uses > options.tokenUses) {
        tokens.delete(token);
        challenge(res, scope, 'invalid_token');
        return;
      }
      if (!required.every((r) => covers(grant.scopes, r))) {
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="${url}/token",service="${SERVICE}",scope="${scope}",error="insufficient_scope"`,
        });
        res.end(
          JSON.stringify({
            errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [] }],
          }),
        );
        return;
      }
      if (
        options.blobRedirect &&
        req.method === 'GET' &&
        /\/blobs\/sha256:/.test(target.pathname)
      ) {
        res.writeHead(307, { location: `${cdnUrl}/cdn${target.pathname}?signature=abc` });
        res.end();
        return;
      }
      pass();
    }

    function pass(): void {
      if (options.paginate && req.method === 'GET' && /\/tags\/list$/.test(target.pathname)) {
        void paginate(res, target, options.paginate);
        return;
      }
      // Upload locations point back here, as a registry behind a proxy writes them.
      const headers = { ...req.headers, 'x-forwarded-host': host, 'x-forwarded-proto': 'http' };
      delete headers.authorization;
      forward(req, res, path, headers);
    }
  });

  const paginate = async (
    res: ServerResponse,
    target: URL,
    how: NonNullable<TokenRegistryOptions['paginate']>,
  ): Promise<void> => {
    const answer = await fetch(new URL(target.pathname, upstream));
    const text = await answer.text();
    if (answer.status !== 200) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(text);
      return;
    }
    const body = JSON.parse(text) as { name: string; tags: string[] | null };
    const all = [...(body.tags ?? [])].sort();
    const n = Number(target.searchParams.get('n') ?? how.pageSize);
    const last = target.searchParams.get('last');
    const rest = last === null ? all : all.filter((t) => t > last);
    const page = rest.slice(0, n);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (rest.length > n) {
      const next = `${target.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1]!)}`;
      headers.link = `<${how.link === 'absolute' ? url + next : next}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify({ name: body.name, tags: page }));
  };

  const cdn = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://x');
    cdnRequests.push({ path: target.pathname, authorization: req.headers.authorization ?? '' });
    const headers = { ...req.headers };
    delete headers.authorization;
    forward(req, res, target.pathname.replace(/^\/cdn/, ''), headers);
  });

  const listen = (s: Server): Promise<string> =>
    new Promise((resolve, reject) => {
      s.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        s.unref();
        resolve(`127.0.0.1:${(s.address() as AddressInfo).port}`);
      });
    });
  host = await listen(server);
  url = `http://${host}`;
  cdnUrl = `http://${await listen(cdn)}`;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    clearTimeout(lifetime);
    for (const t of timers) clearTimeout(t);
    for (const s of sockets) s.destroy();
    await Promise.all(
      [server, cdn].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  };
  const lifetime = setTimeout(() => void stop(), options.maxLifetimeMs ?? 10 * 60_000);
  lifetime.unref();

  return {
    url,
    host,
    cdnHost: new URL(cdnUrl).host,
    requests,
    tokenRequests,
    cdnRequests,
    addFault(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    revokeTokens() {
      tokens.clear();
    },
    stop,
  };
}
