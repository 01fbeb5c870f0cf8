/**
 * The reading client of the OCI distribution API of one registry host: tag lists, manifests and
 * blobs, authenticated by its session (`session.ts`). Pushing is `push.ts`'s.
 */
import type { RegistryLogin } from '../contract.js';
import { SHA256_DIGEST } from '../lib/names.js';
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES, sha256Digest } from '../lib/oci.js';
import { RegistryError, registryFailure, snippet } from './errors.js';
import { Http, redactUrl, type HttpInit, type Response } from './http.js';
import { isRedirect, MAX_REDIRECTS } from './redirect.js';
import { RegistrySession, scopesFor } from './session.js';
import { nextLink } from './www-authenticate.js';

export interface Manifest {
  mediaType: string;
  /** `sha256:…` of the body as received. */
  digest: string;
  body: Buffer;
}

/** Manifest media types the action understands, most specific first. */
export const MANIFEST_TYPES: readonly string[] = [...INDEX_TYPES, ...IMAGE_MANIFEST_TYPES];

/** Limits of one tag list: more is a registry gone wrong, not a repository to release into. */
export const MAX_TAG_PAGES = 1_000;
export const MAX_TAGS = 100_000;

export interface RegistryClientOptions {
  /** Tags asked for per page of `/tags/list` (the registry may send fewer). Default 100. */
  pageSize?: number;
  /** Default `MAX_TAG_PAGES` and `MAX_TAGS`. */
  maxPages?: number;
  maxTags?: number;
}

export class RegistryClient {
  /** The host as the user is logged in there; the push client of the host shares it. */
  readonly session: RegistrySession;
  private readonly http: Http;
  private readonly base: string;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly maxTags: number;

  constructor(
    http: Http,
    /** `host[:port]` that serves `/v2/` (`registry-1.docker.io` for Docker Hub). */
    readonly apiHost: string,
    credentials?: RegistryLogin,
    options: RegistryClientOptions = {},
  ) {
    this.session = new RegistrySession(http, apiHost, credentials);
    this.http = http;
    this.base = this.session.base;
    this.pageSize = options.pageSize ?? 100;
    this.maxPages = options.maxPages ?? MAX_TAG_PAGES;
    this.maxTags = options.maxTags ?? MAX_TAGS;
  }

  /**
   * Every tag of `repository`, all pages in order (following `Link` headers); `null` when the
   * repository does not exist (404 on the first page). Any other failure throws.
   */
  async listTags(repository: string): Promise<string[] | null> {
    const tags: string[] = [];
    const visited = new Set<string>();
    let url: string | undefined =
      `${this.base}/v2/${repository}/tags/list?n=${encodeURIComponent(String(this.pageSize))}`;
    for (let page = 1; url !== undefined; page++) {
      if (visited.has(url)) {
        throw new RegistryError(
          `The tag list of ${repository} on ${this.apiHost} does not end: page ${page} links back to ${redactUrl(url)}.`,
          redactUrl(url),
          200,
        );
      }
      if (page > this.maxPages) throw this.tooMany(repository, url, `${this.maxPages} pages`);
      visited.add(url);
      const { response, body } = await this.buffered(repository, url, { method: 'GET' });
      if (response.status === 404 && page === 1 && !isHtml(response)) return null;
      if (response.status !== 200) {
        throw this.failure('GET', url, response, body, repository, page > 1 ? `page ${page}` : '');
      }
      const pageTags = parseTagList(body, url, repository);
      if (tags.length + pageTags.length > this.maxTags) {
        throw this.tooMany(repository, url, `${this.maxTags} tags`);
      }
      for (const tag of pageTags) tags.push(tag);
      const next = nextLink(response.headers.get('link'), url);
      if (next !== undefined && new URL(next).origin !== new URL(url).origin) {
        throw new RegistryError(
          `The tag list of ${repository} links to another host (${redactUrl(next)}); the action does not send credentials there.`,
          redactUrl(url),
          200,
        );
      }
      url = next;
    }
    return tags;
  }

  /**
   * The digest of `repository:reference` (HEAD, which Docker Hub does not count as a pull), or
   * `null` when the registry answers 404. `accept`: the manifest types asked for.
   */
  async manifestDigest(
    repository: string,
    reference: string,
    accept: readonly string[] = MANIFEST_TYPES,
  ): Promise<string | null> {
    const url = this.session.manifestUrl(repository, reference);
    const init = { method: 'HEAD', headers: { accept: accept.join(', ') } };
    const { response, body } = await this.buffered(repository, url, init);
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure('HEAD', url, response, body, repository);
    const digest = response.headers.get('docker-content-digest');
    if (digest && SHA256_DIGEST.test(digest)) return digest;
    // The header is optional for HEAD: read the manifest and hash it.
    return (await this.getManifest(repository, reference, accept)).digest;
  }

  /**
   * The manifest (or index) `repository:reference`, its media type and the sha256 of its body.
   * A reference that is a digest is verified against the body.
   */
  async getManifest(
    repository: string,
    reference: string,
    accept: readonly string[],
  ): Promise<Manifest> {
    const url = this.session.manifestUrl(repository, reference);
    const { response, body } = await this.buffered(repository, url, {
      method: 'GET',
      headers: { accept: accept.join(', ') },
    });
    if (response.status !== 200) throw this.failure('GET', url, response, body, repository);
    const digest = sha256Digest(body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new RegistryError(
        `The manifest at ${redactUrl(url)} has the digest ${digest}, not the ${reference} asked for; refusing it.`,
        redactUrl(url),
        200,
      );
    }
    let mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!mediaType || mediaType === 'application/json') {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
        if (typeof parsed.mediaType === 'string') mediaType = parsed.mediaType;
      } catch {
        // left as the header said; the caller checks the media type it needs
      }
    }
    return { mediaType, digest, body };
  }

  /**
   * The blob `digest` of `repository` as a streaming response (status 200). Redirects are
   * followed here: the registry's `Authorization` goes only to the registry's own origin.
   * The caller verifies the content against the digest.
   */
  async getBlob(repository: string, digest: string): Promise<Response> {
    const first = this.session.blobUrl(repository, digest);
    let response = await this.streamed(repository, first, { method: 'GET', redirect: 'manual' });
    let url = first;
    for (let hop = 0; isRedirect(response.status); hop++) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      if (!location || hop >= MAX_REDIRECTS) {
        throw new RegistryError(
          `GET ${redactUrl(url)} redirected ${location ? 'too many times' : 'without a Location'}.`,
          redactUrl(url),
          response.status,
        );
      }
      let target: URL;
      try {
        target = new URL(location, url);
      } catch (cause) {
        throw new RegistryError(
          `GET ${redactUrl(url)} redirected to an unusable Location ${JSON.stringify(location)}.`,
          redactUrl(url),
          response.status,
          { cause },
        );
      }
      if (!this.http.mayReach(target)) {
        throw new RegistryError(
          `GET ${redactUrl(url)} redirected to ${redactUrl(target)}, which is not HTTPS; add its host to 'insecure-registries' if that is intended.`,
          redactUrl(url),
          response.status,
        );
      }
      url = target.href;
      response =
        target.origin === new URL(this.base).origin
          ? await this.streamed(repository, url, { method: 'GET', redirect: 'manual' })
          : await this.http.fetch(url, { method: 'GET', redirect: 'manual' });
    }
    if (response.status !== 200) {
      const body = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
      throw this.failure('GET', url, response, body, repository);
    }
    return response;
  }

  private tooMany(repository: string, url: string, limit: string): RegistryError {
    return new RegistryError(
      `The tag list of ${repository} on ${this.apiHost} runs over ${limit}; the action stops reading there rather than guess a version. Set 'version' to release without reading the tags, or delete old tags.`,
      redactUrl(url),
      200,
    );
  }

  private buffered(
    repository: string,
    url: string,
    init: HttpInit,
  ): Promise<{ response: Response; body: Buffer }> {
    return this.session.buffered(scopesFor(repository, 'pull'), url, init);
  }

  private streamed(repository: string, url: string, init: HttpInit): Promise<Response> {
    return this.session.streamed(scopesFor(repository, 'pull'), url, init);
  }

  /** An error for an unexpected answer, saying what to do about it. */
  private failure(
    method: string,
    url: string,
    response: Response,
    body: Buffer,
    repository: string,
    where = '',
  ): RegistryError {
    return registryFailure(
      { method, url, response, body, repository, where, access: 'read' },
      this.session.credentials !== undefined,
    );
  }
}

/** Tags from one page of `/tags/list`; throws when the body is not the expected JSON. */
function parseTagList(body: Buffer, url: string, repository: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new RegistryError(
      `GET ${redactUrl(url)} answered 200 with a body that is not JSON: ${snippet(body)}`,
      redactUrl(url),
      200,
      { cause },
    );
  }
  const tags = (parsed as { tags?: unknown } | null)?.tags;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !(tags === null || (Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
  ) {
    throw new RegistryError(
      `GET ${redactUrl(url)} answered 200 without a tag list for ${repository} (expected {"name": …, "tags": [...]}): ${snippet(body)}`,
      redactUrl(url),
      200,
    );
  }
  return (tags as string[] | null) ?? [];
}

function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().includes('text/html');
}
