/**
 * One registry host as the user is logged in there: its base URL, and requests that answer
 * whatever `WWW-Authenticate` challenge the registry sends — `Bearer` (a token from the realm,
 * with Basic credentials or anonymously, one per set of scopes, fetched again when the registry
 * refuses a token it gave) or `Basic`. The read client (`oci-client.ts`) and the push client
 * (`push.ts`) of a host share one session, and so its tokens.
 */
import type { RegistryLogin } from '../contract.js';
import { basicAuth } from '../lib/docker-hub.js';
import { RegistryError } from './errors.js';
import { redactUrl, type Http, type HttpInit, type Response } from './http.js';
import { fetchBearerToken } from './token.js';
import { parseChallenges, type Challenge } from './www-authenticate.js';

type Auth = { kind: 'none' } | { kind: 'basic' } | { kind: 'bearer'; challenge: Challenge };

/** What a request does to a repository: read it, or read and write it. */
export type Access = 'pull' | 'push';

/**
 * The token scopes of a request on `repository`: `pull`, or `pull,push` to write; a blob mount
 * also reads the repository it mounts `from`.
 */
export function scopesFor(repository: string, access: Access, from?: string): string[] {
  const scopes = [`repository:${repository}:${access === 'push' ? 'pull,push' : 'pull'}`];
  if (from !== undefined && from !== repository) scopes.push(`repository:${from}:pull`);
  return scopes;
}

export class RegistrySession {
  private auth: Auth = { kind: 'none' };
  /** Bearer tokens by the scopes they were asked for. */
  private readonly tokens = new Map<string, string>();
  /** Token requests under way, so concurrent requests of the same scopes share one. */
  private readonly pendingTokens = new Map<string, Promise<string>>();
  /** `http(s)://host[:port]` of the distribution API. */
  readonly base: string;
  readonly credentials: RegistryLogin | undefined;

  constructor(
    readonly http: Http,
    /** `host[:port]` that serves `/v2/` (`registry-1.docker.io` for Docker Hub). */
    readonly apiHost: string,
    credentials?: RegistryLogin,
  ) {
    this.base = http.baseUrl(apiHost);
    this.credentials =
      credentials && credentials.username && credentials.password ? credentials : undefined;
  }

  /** A request with the body read, answering one authentication challenge. */
  async buffered(
    scopes: readonly string[],
    url: string,
    init: HttpInit,
  ): Promise<{ response: Response; body: Buffer }> {
    const send = (headers: Record<string, string>) =>
      this.http.fetchBody(url, { ...init, headers: { ...asRecord(init.headers), ...headers } });
    const sent = this.headersFor(scopes, url);
    let result = await send(sent);
    if (
      result.response.status === 401 &&
      (await this.answer(scopes, result.response, url, sent.authorization))
    ) {
      result = await send(this.headersFor(scopes, url));
    }
    return result;
  }

  /**
   * A request whose response body is left to the caller, answering one authentication
   * challenge. A request body that is a stream is made by `body`, once per try.
   */
  async streamed(
    scopes: readonly string[],
    url: string,
    init: HttpInit,
    body?: () => HttpInit['body'],
  ): Promise<Response> {
    const send = (headers: Record<string, string>) =>
      this.http.fetch(url, {
        ...init,
        ...(body ? { body: body(), duplex: 'half' } : {}),
        headers: { ...asRecord(init.headers), ...headers },
      });
    const sent = this.headersFor(scopes, url);
    let response = await send(sent);
    if (response.status === 401) {
      const retry = await this.answer(scopes, response, url, sent.authorization);
      if (retry) {
        await response.body?.cancel().catch(() => undefined);
        response = await send(this.headersFor(scopes, url));
      }
    }
    return response;
  }

  /** The URL of the manifest `repository:reference` (a tag or a digest). */
  manifestUrl(repository: string, reference: string): string {
    return `${this.base}/v2/${repository}/manifests/${encodeURIComponent(reference).replace(/%3A/gi, ':')}`;
  }

  /** The URL of the blob `digest` of `repository`. */
  blobUrl(repository: string, digest: string): string {
    return `${this.base}/v2/${repository}/blobs/${digest}`;
  }

  /** Whether `url` is on the registry's own origin, where its credentials may go. */
  isOwnOrigin(url: string | URL): boolean {
    return new URL(url).origin === new URL(this.base).origin;
  }

  /**
   * The URL a registry's `Location` header points to, resolved against the request it
   * answered; refused when it leaves HTTPS for a host not listed in `insecure-registries`.
   */
  resolveLocation(location: string | null, requestUrl: string, status: number): URL {
    if (!location) {
      throw new RegistryError(
        `${redactUrl(requestUrl)} answered ${status} without a Location.`,
        redactUrl(requestUrl),
        status,
      );
    }
    let target: URL;
    try {
      target = new URL(location, requestUrl);
    } catch (cause) {
      throw new RegistryError(
        `${redactUrl(requestUrl)} answered ${status} with an unusable Location.`,
        redactUrl(requestUrl),
        status,
        { cause },
      );
    }
    if (!this.http.mayReach(target)) {
      throw new RegistryError(
        `${redactUrl(requestUrl)} sent the client to ${redactUrl(target)}, which is not HTTPS; add its host to 'insecure-registries' if that is intended.`,
        redactUrl(requestUrl),
        status,
      );
    }
    return target;
  }

  /** The Authorization for `scopes`; none for a URL on another origin. */
  private headersFor(scopes: readonly string[], url: string): { authorization?: string } {
    if (!this.isOwnOrigin(url)) return {};
    if (this.auth.kind === 'basic' && this.credentials) {
      return {
        authorization: `Basic ${basicAuth(this.credentials.username, this.credentials.password)}`,
      };
    }
    if (this.auth.kind === 'bearer') {
      const token = this.tokens.get(scopes.join(' '));
      if (token) return { authorization: `Bearer ${token}` };
    }
    return {};
  }

  /**
   * Learns from a 401 how to authenticate. Returns true when the request is worth sending again:
   * a token was fetched (none was sent, or the one sent was refused as expired or too narrow),
   * another request got a newer token meanwhile, or Basic credentials can be sent where none
   * were. `sent` is the Authorization header the refused request carried.
   */
  private async answer(
    scopes: readonly string[],
    response: Response,
    url: string,
    sent: string | undefined,
  ): Promise<boolean> {
    if (!this.isOwnOrigin(url)) return false;
    const challenges = parseChallenges(response.headers.get('www-authenticate'));
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basicChallenge = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      const key = scopes.join(' ');
      this.auth = { kind: 'bearer', challenge: bearer };
      const current = this.tokens.get(key);
      if (current && `Bearer ${current}` !== sent) return true;
      let pending = this.pendingTokens.get(key);
      if (!pending) {
        pending = fetchBearerToken(this.http, bearer, {
          apiHost: this.apiHost,
          repository: repositoryOf(scopes[0] ?? ''),
          scopes,
          url,
          login: this.credentials,
        }).finally(() => this.pendingTokens.delete(key));
        this.pendingTokens.set(key, pending);
      }
      this.tokens.set(key, await pending);
      return true;
    }
    if (basicChallenge && this.credentials) {
      if (sent?.startsWith('Basic ')) return false; // the credentials were sent and refused
      this.auth = { kind: 'basic' };
      return true;
    }
    return false;
  }
}

/** `team/app` of `repository:team/app:pull`. */
function repositoryOf(scope: string): string {
  return scope.replace(/^repository:/, '').replace(/:[^:]*$/, '');
}

function asRecord(headers: HttpInit['headers']): Record<string, string> {
  if (!headers) return {};
  return Object.fromEntries(new Headers(headers as Record<string, string>).entries());
}
