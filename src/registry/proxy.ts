/**
 * The job's base-image cache: a read-only, pull-through registry on 127.0.0.1 that kaniko is
 * pointed at with `--registry-map <registry>=<this host>/<prefix>`, one prefix per upstream
 * registry, so that every build of the job reads a base image's blobs from one local store.
 *
 * - Manifests by tag are never cached: each one asks the upstream registry for the tag's
 *   current digest (HEAD, which Docker Hub does not count as a pull), so a `FROM …:latest`
 *   pushed a moment ago is the one served. Manifests by digest never change and are kept.
 * - Blobs are served only when a manifest served here lists them (which gives their size),
 *   from the store (`blob-store.ts`): downloaded once, verified before stored or served.
 * - Upstream requests carry the user's logins (the clients come from `Registries`). So that no
 *   other process on the runner can use those logins through it, every request must carry the
 *   job's secret (Basic auth), which only kaniko's credentials file holds.
 * - Only GET and HEAD: it never pushes anything anywhere.
 *
 * What it cannot serve gets an error answer; kaniko then pulls from the registry itself.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegistryLogin } from '../contract.js';
import { basicAuth } from '../lib/docker-hub.js';
import { errorMessage } from '../lib/errors.js';
import { PATH_COMPONENT, SHA256_DIGEST, TAG } from '../lib/names.js';
import { BlobMismatchError, type BlobSource } from './blob-download.js';
import type { BlobStore } from './blob-store.js';
import { RegistryError } from './errors.js';
import { MANIFEST_TYPES, type Manifest } from './oci-client.js';

/** What the proxy asks of an upstream registry (`RegistryClient` answers it). */
export interface UpstreamClient extends BlobSource {
  manifestDigest(
    repository: string,
    reference: string,
    accept: readonly string[],
  ): Promise<string | null>;
  getManifest(repository: string, reference: string, accept: readonly string[]): Promise<Manifest>;
}

export interface ProxyUpstream {
  /** The registry as kaniko names it (`index.docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  client: UpstreamClient;
}

export interface ProxyOptions {
  upstreams: readonly ProxyUpstream[];
  store: BlobStore;
  /** Told why a request could not be served (kaniko then pulls from the registry itself). */
  debug?: (message: string) => void;
}

export interface ProxyStats {
  /** Manifests served, and how many of them came from upstream (the rest were kept here). */
  manifests: number;
  manifestsFetched: number;
  /** Blobs served, and their bytes. */
  blobs: number;
  blobBytes: number;
}

/** The user name of the job's secret; the password is random. */
export const PROXY_USER = 'kaniko-release';
const MAX_KEPT_MANIFESTS = 1000;

/**
 * The repository prefix of `registry`'s mirror: one path component of letters, digits and `-`,
 * unique among `taken`. Never a `.` or `:`: kaniko (go-containerregistry) reads a first path
 * component holding one as a registry host, and would pull from there instead.
 */
export function prefixFor(registry: string, taken: ReadonlySet<string>): string {
  const base =
    registry
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'registry';
  let prefix = base;
  for (let n = 2; taken.has(prefix); n++) prefix = `${base}-${n}`;
  return prefix;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class RegistryProxy {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** The job's secret: kaniko's credentials file holds it for `host`. */
  readonly login: RegistryLogin;
  /** Upstream registry → the `--registry-map` mirror for it, `127.0.0.1:PORT/<prefix>`. */
  readonly mirrors: ReadonlyMap<string, string>;
  readonly stats: ProxyStats = { manifests: 0, manifestsFetched: 0, blobs: 0, blobBytes: 0 };

  private readonly expected: Buffer;
  private readonly byPrefix = new Map<string, UpstreamClient>();
  /** Manifests by digest (they never change), and the size of every blob they list. */
  private readonly manifests = new Map<string, Omit<Manifest, 'digest'>>();
  private readonly sizes = new Map<string, number>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    port: number,
    private readonly options: ProxyOptions,
  ) {
    this.host = `127.0.0.1:${port}`;
    this.login = { username: PROXY_USER, password: randomBytes(32).toString('base64url') };
    this.expected = hashed(`Basic ${basicAuth(this.login.username, this.login.password)}`);
    const mirrors = new Map<string, string>();
    for (const upstream of options.upstreams) {
      if (mirrors.has(upstream.registry)) continue;
      const prefix = prefixFor(upstream.registry, new Set(this.byPrefix.keys()));
      this.byPrefix.set(prefix, upstream.client);
      mirrors.set(upstream.registry, `${this.host}/${prefix}`);
    }
    this.mirrors = mirrors;
  }

  /** Starts the proxy on a random port of 127.0.0.1. */
  static async start(options: ProxyOptions): Promise<RegistryProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const proxy = new RegistryProxy(server, (server.address() as AddressInfo).port, options);
    // No request can have arrived yet: its event would come from a later turn of the loop.
    server.on(
      'request',
      (req: IncomingMessage, res: ServerResponse) => void proxy.handle(req, res),
    );
    return proxy;
  }

  /** Stops listening and ends every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    try {
      if (!this.authorized(req.headers.authorization)) {
        res.setHeader('www-authenticate', 'Basic realm="kaniko-release base-image cache"');
        throw new Refusal(401, 'UNAUTHORIZED', 'this cache serves only the job that started it');
      }
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        throw new Refusal(405, 'UNSUPPORTED', 'the base-image cache is read-only');
      }
      const pathname = new URL(req.url ?? '/', 'http://proxy').pathname;
      if (pathname === '/v2/' || pathname === '/v2') {
        send(res, method, 200, { 'content-type': 'application/json' }, Buffer.from('{}'));
        return;
      }
      const route = /^\/v2\/([^/]+)\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(pathname);
      const client = route ? this.byPrefix.get(route[1]!) : undefined;
      const repository = route?.[2] ?? '';
      if (!route || !client || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
        throw new Refusal(404, 'NAME_UNKNOWN', `${pathname} names no repository of this cache`);
      }
      const reference = route[4]!;
      if (route[3] === 'manifests') {
        await this.serveManifest(client, repository, reference, req, res, method);
      } else {
        await this.serveBlob(client, repository, reference, res, method);
      }
    } catch (error) {
      this.fail(req, res, error);
    }
  }

  private authorized(header: string | undefined): boolean {
    return header !== undefined && timingSafeEqual(hashed(header), this.expected);
  }

  private async serveManifest(
    client: UpstreamClient,
    repository: string,
    reference: string,
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
  ): Promise<void> {
    const byDigest = SHA256_DIGEST.test(reference);
    if (!byDigest && !TAG.test(reference)) {
      throw new Refusal(404, 'MANIFEST_UNKNOWN', `${reference} is neither a tag nor a digest`);
    }
    const accept = acceptedTypes(req.headers.accept);
    if (accept.length === 0) {
      throw new Refusal(404, 'MANIFEST_UNKNOWN', 'no manifest type this cache serves is accepted');
    }
    // A tag's digest is asked of the registry every time, so a tag is never served stale.
    const digest = byDigest
      ? reference
      : await client.manifestDigest(repository, reference, accept);
    if (digest === null) {
      throw new Refusal(404, 'MANIFEST_UNKNOWN', `${repository}:${reference} does not exist`);
    }
    let manifest = this.manifests.get(digest);
    let served = digest;
    if (!manifest) {
      const fetched = await client.getManifest(repository, reference, accept);
      if (!MANIFEST_TYPES.includes(fetched.mediaType)) {
        throw new Refusal(404, 'MANIFEST_UNKNOWN', `media type ${fetched.mediaType} not served`);
      }
      const size = this.sizes.get(fetched.digest);
      if (size !== undefined && size !== fetched.body.length) {
        throw new Refusal(502, 'MANIFEST_INVALID', `${fetched.digest} is not ${size} bytes`);
      }
      manifest = { mediaType: fetched.mediaType, body: fetched.body };
      served = fetched.digest;
      this.remember(served, manifest);
      this.stats.manifestsFetched++;
    }
    this.stats.manifests++;
    send(
      res,
      method,
      200,
      { 'content-type': manifest.mediaType, 'docker-content-digest': served },
      manifest.body,
    );
  }

  private async serveBlob(
    client: UpstreamClient,
    repository: string,
    digest: string,
    res: ServerResponse,
    method: string,
  ): Promise<void> {
    const size = SHA256_DIGEST.test(digest) ? this.sizes.get(digest) : undefined;
    if (size === undefined) {
      throw new Refusal(404, 'BLOB_UNKNOWN', `${digest} is listed by no manifest served here`);
    }
    const blob = await this.options.store.get(client, repository, { digest, size });
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
      'docker-content-digest': blob.digest,
    };
    this.stats.blobs++;
    if (method === 'HEAD') {
      res.writeHead(200, headers).end();
      return;
    }
    this.stats.blobBytes += blob.size;
    res.writeHead(200, headers);
    fs.createReadStream(blob.file, { highWaterMark: 1024 * 1024 })
      .on('error', () => res.destroy())
      .pipe(res);
  }

  /** Keeps a manifest by its digest, and the size of every blob and manifest it lists. */
  private remember(digest: string, manifest: Omit<Manifest, 'digest'>): void {
    if (this.manifests.size >= MAX_KEPT_MANIFESTS) this.manifests.clear();
    this.manifests.set(digest, manifest);
    let parsed: { config?: unknown; layers?: unknown; manifests?: unknown };
    try {
      parsed = JSON.parse(manifest.body.toString('utf8')) as typeof parsed;
    } catch {
      return;
    }
    const listed = [
      parsed.config,
      ...(Array.isArray(parsed.layers) ? parsed.layers : []),
      ...(Array.isArray(parsed.manifests) ? parsed.manifests : []),
    ];
    for (const d of listed as { digest?: unknown; size?: unknown }[]) {
      if (
        typeof d?.digest === 'string' &&
        SHA256_DIGEST.test(d.digest) &&
        Number.isSafeInteger(d.size) &&
        (d.size as number) >= 0
      ) {
        this.sizes.set(d.digest, d.size as number);
      }
    }
  }

  private fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    let status = 502;
    let code = 'UNAVAILABLE';
    if (error instanceof Refusal) {
      ({ status, code } = error);
    } else if (error instanceof BlobMismatchError) {
      code = 'BLOB_UNKNOWN';
    } else if (error instanceof RegistryError && [401, 403, 404].includes(error.status)) {
      status = error.status;
      code = status === 404 ? 'NAME_UNKNOWN' : 'DENIED';
    }
    const message = errorMessage(error);
    if (status !== 401 || req.headers.authorization !== undefined) {
      this.options.debug?.(
        `Base-image cache: ${req.method ?? 'GET'} ${req.url ?? ''} answered ${status}: ${message}`,
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = Buffer.from(JSON.stringify({ errors: [{ code, message }] }));
    send(res, req.method ?? 'GET', status, { 'content-type': 'application/json' }, body);
  }
}

/** The manifest types of an `Accept` header that this cache serves, in its order. */
function acceptedTypes(header: string | undefined): readonly string[] {
  if (!header) return MANIFEST_TYPES;
  const asked = new Set(header.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase()));
  if (asked.has('*/*')) return MANIFEST_TYPES;
  return MANIFEST_TYPES.filter((t) => asked.has(t));
}

function send(
  res: ServerResponse,
  method: string,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): void {
  res.writeHead(status, {
    ...headers,
    'content-length': String(body.length),
    'docker-distribution-api-version': 'registry/2.0',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

function hashed(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
