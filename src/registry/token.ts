/**
 * Tokens: a Bearer token from a registry's token service (the realm of its challenge), and
 * the one parser of token answers that the registry and the Docker Hub API clients share.
 */
import type { RegistryLogin } from '../contract.js';
import { basicAuth } from '../lib/docker-hub.js';
import { errorDetail, RegistryError, retryHint, snippet, statusText } from './errors.js';
import { redactUrl, type Http } from './http.js';
import type { Challenge } from './www-authenticate.js';

export interface TokenRequest {
  /** The registry host, for messages. */
  apiHost: string;
  repository: string;
  /** The scopes the request needs (`repository:<name>:pull,push`, …). */
  scopes: readonly string[];
  /** The request that was challenged (the realm may be relative to it). */
  url: string;
  login: RegistryLogin | undefined;
}

/**
 * The token of a token service's JSON answer: the first of `fields` that holds a non-empty
 * string. Throws, quoting the start of the body, when it is not JSON or has none.
 */
export function tokenFromBody(
  body: Buffer,
  fields: readonly string[],
  who: string,
  url: string,
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (cause) {
    throw new RegistryError(
      `${who} answered with something that is not JSON: ${snippet(body)}`,
      url,
      200,
      {
        cause,
      },
    );
  }
  const record =
    parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  throw new RegistryError(`${who} answered without a token: ${snippet(body)}`, url, 200);
}

/**
 * The scopes to ask a token for: the request's own, plus those of the challenge (space
 * separated) that they do not already cover — the same resource with at least those actions.
 */
export function mergeScopes(ours: readonly string[], challenged: string): string[] {
  const split = (scope: string): [string, string[]] => {
    const colon = scope.lastIndexOf(':');
    return colon < 0 ? [scope, []] : [scope.slice(0, colon), scope.slice(colon + 1).split(',')];
  };
  const out = [...ours];
  for (const scope of challenged.split(/\s+/).filter(Boolean)) {
    const [resource, actions] = split(scope);
    const covered = out.some((own) => {
      const [r, a] = split(own);
      return r === resource && actions.every((action) => a.includes(action));
    });
    if (!covered) out.push(scope);
  }
  return out;
}

export async function fetchBearerToken(
  http: Http,
  challenge: Challenge,
  request: TokenRequest,
): Promise<string> {
  const { apiHost, repository, url, login } = request;
  const realm = challenge.params.realm!;
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(realm, url);
  } catch (cause) {
    throw new RegistryError(
      `${apiHost} sent an unusable token realm ${JSON.stringify(realm)}.`,
      redactUrl(url),
      401,
      { cause },
    );
  }
  if (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:') {
    throw new RegistryError(
      `${apiHost} sent a token realm that is not HTTP(S): ${redactUrl(tokenUrl)}.`,
      redactUrl(url),
      401,
    );
  }
  const headers: Record<string, string> = {};
  if (login) {
    if (tokenUrl.protocol === 'http:' && !http.isInsecure(tokenUrl.host)) {
      throw new RegistryError(
        `${apiHost} asks for credentials at ${redactUrl(tokenUrl)} over plain HTTP; refusing to send them. Add ${tokenUrl.host} to 'insecure-registries' if that is intended.`,
        redactUrl(url),
        401,
      );
    }
    headers.authorization = `Basic ${basicAuth(login.username, login.password)}`;
  }
  if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
  for (const scope of mergeScopes(request.scopes, challenge.params.scope ?? '')) {
    tokenUrl.searchParams.append('scope', scope);
  }
  const { response, body } = await http.fetchBody(tokenUrl, { method: 'GET', headers });
  const shown = redactUrl(tokenUrl);
  if (response.status !== 200) {
    const detail = errorDetail(body);
    const hint =
      response.status === 401 || response.status === 403
        ? login
          ? ` Check 'username' and 'password' (a token needs ${request.scopes.some((x) => x.endsWith(',push')) ? 'write' : 'read'} access to ${repository}).`
          : ` The registry wants credentials: set 'username' and 'password'.`
        : retryHint(response.status);
    throw new RegistryError(
      `The token service ${shown} answered ${statusText(response)}${detail ? ` (${detail})` : ''} for ${repository}.${hint}`,
      shown,
      response.status,
    );
  }
  return tokenFromBody(body, ['token', 'access_token'], `The token service ${shown}`, shown);
}
