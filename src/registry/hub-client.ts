/**
 * A client of the Docker Hub API (`hub-api-url`, https://hub.docker.com by default) for tag
 * lists: `GET /v2/namespaces/<ns>/repositories/<name>/tags?page_size=100`, following `next` to
 * the end, only on the API's own origin. With credentials it first exchanges them (a password,
 * a personal or an organisation access token) for a short-lived JWT at `POST /v2/auth/token`,
 * sent as `Authorization: Bearer …`. 404 on the first page: the repository does not exist (or is
 * private and no credentials were given). Everything else unexpected fails loudly.
 */
import { Http, redactUrl, type Response } from './http.js';
import type { RegistryLogin } from '../contract.js';
import { RegistryError, snippet, statusText } from './errors.js';
import { MAX_TAG_PAGES, MAX_TAGS } from './oci-client.js';
import { tokenFromBody } from './token.js';
import { plain } from '../lib/untrusted.js';

/** The Hub's largest page (its documented maximum). */
export const HUB_PAGE_SIZE = 100;

export interface HubClientOptions {
  /** Default `MAX_TAG_PAGES` and `MAX_TAGS` of the OCI client. */
  maxPages?: number;
  maxTags?: number;
}

interface TagPage {
  next: string | null;
  results: { name: string }[];
}

export class HubClient {
  private token: Promise<string> | undefined;
  private readonly origin: string;

  constructor(
    private readonly http: Http,
    /** Base URL without a trailing slash, e.g. `https://hub.docker.com`. */
    private readonly apiUrl: string,
    private readonly credentials?: RegistryLogin,
    private readonly options: HubClientOptions = {},
  ) {
    this.apiUrl = apiUrl.replace(/\/+$/, '');
    this.origin = new URL(this.apiUrl).origin;
    if (credentials && (!credentials.username || !credentials.password))
      this.credentials = undefined;
  }

  /** Every tag of `namespace/name`, all pages in order; `null` when the Hub answers 404 at once. */
  async listTags(namespace: string, name: string): Promise<string[] | null> {
    const repository = `${namespace}/${name}`;
    const tags: string[] = [];
    const visited = new Set<string>();
    let url: string | null =
      `${this.apiUrl}/v2/namespaces/${encodeURIComponent(namespace)}/repositories/${encodeURIComponent(name)}/tags?page_size=${HUB_PAGE_SIZE}`;
    const maxPages = this.options.maxPages ?? MAX_TAG_PAGES;
    const maxTags = this.options.maxTags ?? MAX_TAGS;
    const tooMany = (url: string, limit: string): RegistryError =>
      new RegistryError(
        `The Docker Hub tag list of ${repository} runs over ${limit}; the action stops reading there rather than guess a version. Set 'version' to release without reading the tags, or delete old tags.`,
        redactUrl(url),
        200,
      );
    for (let page = 1; url !== null; page++) {
      if (page > maxPages) throw tooMany(url, `${maxPages} pages`);
      if (visited.has(url)) {
        throw new RegistryError(
          `The Docker Hub tag list of ${repository} does not end: page ${page} links back to ${redactUrl(url)}.`,
          redactUrl(url),
          200,
        );
      }
      visited.add(url);
      const { response, body } = await this.get(url);
      if (response.status === 404 && page === 1 && isJson(response)) return null;
      if (response.status !== 200) throw this.failure(url, response, body, repository, page);
      const parsed = parsePage(body, url, response, repository);
      if (tags.length + parsed.results.length > maxTags) throw tooMany(url, `${maxTags} tags`);
      for (const r of parsed.results) tags.push(r.name);
      url = parsed.next === null ? null : this.sameOrigin(parsed.next, url, repository);
    }
    return tags;
  }

  /** GET with the Hub token when there are credentials; a refused token is renewed once. */
  private async get(url: string): Promise<{ response: Response; body: Buffer }> {
    const headers = async (): Promise<Record<string, string>> => {
      const h: Record<string, string> = { accept: 'application/json' };
      if (this.credentials) h.authorization = `Bearer ${await this.login()}`;
      return h;
    };
    let result = await this.http.fetchBody(url, { method: 'GET', headers: await headers() });
    if (result.response.status === 401 && this.credentials) {
      // The token lives a few minutes: a long run may outlive it.
      this.token = undefined;
      result = await this.http.fetchBody(url, { method: 'GET', headers: await headers() });
    }
    return result;
  }

  /** One login per client, shared by concurrent requests. */
  private login(): Promise<string> {
    this.token ??= this.createToken().catch((error: unknown) => {
      this.token = undefined;
      throw error;
    });
    return this.token;
  }

  private async createToken(): Promise<string> {
    const { username, password } = this.credentials!;
    const api = new URL(this.apiUrl);
    if (api.protocol === 'http:' && !this.http.isInsecure(api.host)) {
      throw new RegistryError(
        `'hub-api-url' ${this.apiUrl} is plain HTTP; refusing to send the password over it. Use https, or add ${api.host} to 'insecure-registries' if that is intended (a local mirror).`,
        `${this.apiUrl}/v2/auth/token`,
        401,
      );
    }
    const post = (path: string, payload: object) =>
      this.http.fetchBody(`${this.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        // Creating a token changes nothing that matters: safe to send again.
        retry: true,
      });
    let url = `${this.apiUrl}/v2/auth/token`;
    let { response, body } = await post('/v2/auth/token', {
      identifier: username,
      secret: password,
    });
    if (response.status === 404 || response.status === 405) {
      // A mirror without the current route: the older, deprecated login route.
      url = `${this.apiUrl}/v2/users/login`;
      ({ response, body } = await post('/v2/users/login', { username, password }));
    }
    if (response.status === 200) {
      return tokenFromBody(body, ['access_token', 'token'], `Docker Hub API ${url} (login)`, url);
    }
    const hint =
      response.status === 401 || response.status === 403
        ? ` Check 'username' and 'password'; the password may be a personal access token (it needs at least read access to the repositories).`
        : response.status === 429
          ? ' Docker Hub rate-limits this client; wait and re-run the job.'
          : response.status >= 500
            ? ' Docker Hub failed; re-run the job later.'
            : '';
    throw new RegistryError(
      `Docker Hub login at ${url} as ${JSON.stringify(username)} answered ${statusText(response)}${detail(body)}.${hint}`,
      url,
      response.status,
    );
  }

  private sameOrigin(next: string, current: string, repository: string): string {
    let target: URL;
    try {
      target = new URL(next, current);
    } catch (cause) {
      throw new RegistryError(
        `Docker Hub API ${redactUrl(current)} gave an unusable next page ${JSON.stringify(next)} for ${repository}.`,
        redactUrl(current),
        200,
        { cause },
      );
    }
    if (target.origin !== this.origin) {
      throw new RegistryError(
        `Docker Hub API ${redactUrl(current)} points the next page of ${repository} to another origin (${redactUrl(target)}); the action only follows pages on ${this.origin}. Check 'hub-api-url'.`,
        redactUrl(current),
        200,
      );
    }
    return target.href;
  }

  private failure(
    url: string,
    response: Response,
    body: Buffer,
    repository: string,
    page: number,
  ): RegistryError {
    const shown = redactUrl(url);
    let hint = '';
    switch (response.status) {
      case 401:
        hint = this.credentials
          ? ` Check 'username' and 'password'; a personal access token needs read access to ${repository}.`
          : ` Set 'username' and 'password' to read ${repository}.`;
        break;
      case 403:
        hint = ` The credentials may not read ${repository}: check the token's access (a personal access token needs at least 'Public Repo Read-only', or read access to private repositories).`;
        break;
      case 404:
        hint =
          page > 1
            ? ` The repository may have been deleted while its tags were read; re-run the job.`
            : ` The answer is not the Hub's JSON: check 'hub-api-url'.`;
        break;
      case 429:
        hint = ' Docker Hub rate-limits this client; wait and re-run the job, or give credentials.';
        break;
      default:
        if (response.status >= 500) hint = ' Docker Hub failed; re-run the job later.';
    }
    return new RegistryError(
      `Docker Hub API ${shown}${page > 1 ? ` (page ${page})` : ''} answered ${statusText(response)}${detail(body)}.${hint}`,
      shown,
      response.status,
    );
  }
}

function isJson(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().includes('json');
}

function detail(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      message?: unknown;
      detail?: unknown;
      details?: unknown;
    };
    const text = [parsed.message, parsed.detail, parsed.details].find(
      (x): x is string => typeof x === 'string' && x !== '',
    );
    if (text) return ` (${plain(text)})`;
  } catch {
    // not JSON
  }
  return body.length > 0 ? `: ${snippet(body)}` : '';
}

function parsePage(body: Buffer, url: string, response: Response, repository: string): TagPage {
  const shown = redactUrl(url);
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.toLowerCase().includes('html')) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered with an HTML page instead of JSON (a proxy or login page?): ${snippet(body)}. Check 'hub-api-url' and the network.`,
      shown,
      response.status,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered 200 with a body that is not JSON: ${snippet(body)}`,
      shown,
      response.status,
      { cause },
    );
  }
  const page = parsed as { next?: unknown; results?: unknown } | null;
  const results = page?.results;
  if (
    typeof page !== 'object' ||
    page === null ||
    !Array.isArray(results) ||
    !results.every(
      (r) =>
        typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string',
    ) ||
    !(page.next === null || page.next === undefined || typeof page.next === 'string')
  ) {
    throw new RegistryError(
      `Docker Hub API ${shown} answered 200 without a tag page for ${repository} (expected {"next": …, "results": [{"name": …}]}): ${snippet(body)}`,
      shown,
      response.status,
    );
  }
  return {
    next: typeof page.next === 'string' && page.next !== '' ? page.next : null,
    results: results as { name: string }[],
  };
}
