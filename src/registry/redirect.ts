/**
 * Whether and how a redirect is followed — the one policy for every request of the action
 * (registries, token services, the Docker Hub API):
 *
 * - only to HTTPS, or to plain HTTP on a host listed in `insecure-registries`;
 * - to another origin without the request's credentials (`Authorization`, `Cookie`,
 *   `Proxy-Authorization`), as a browser does;
 * - a request with a body (the Hub login, which carries the password) only to its own origin
 *   and only by 307/308, which keep method and body; anything else is refused;
 * - at most `MAX_REDIRECTS` hops.
 *
 * Pure: a decision from the request, the answer and what the runner may reach.
 */
import type { RequestInit } from 'undici';
import { redactUrl } from './urls.js';

export const MAX_REDIRECTS = 5;

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

export type NextHop = { ok: true; url: URL; init: RequestInit } | { ok: false; reason: string };

function withoutCredentials(headers: RequestInit['headers']): Record<string, string> {
  const kept = new Headers(headers as Record<string, string> | undefined);
  for (const name of CREDENTIAL_HEADERS) kept.delete(name);
  return Object.fromEntries(kept.entries());
}

/**
 * The request to send after `status` with `location` answered `init` sent to `from` (`hop`
 * redirects followed so far), or why it is not sent.
 */
export function nextHop(
  from: URL,
  status: number,
  location: string | null,
  init: RequestInit,
  hop: number,
  reachable: (url: URL) => boolean,
): NextHop {
  const method = (init.method ?? 'GET').toUpperCase();
  const what = `${method} ${redactUrl(from)} answered ${status}`;
  if (!location) return { ok: false, reason: `${what} without a Location to redirect to.` };
  if (hop >= MAX_REDIRECTS) {
    return { ok: false, reason: `${what} after ${MAX_REDIRECTS} redirects; not following more.` };
  }
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return { ok: false, reason: `${what} with an unusable Location ${JSON.stringify(location)}.` };
  }
  if (!reachable(url)) {
    return {
      ok: false,
      reason: `${what}, redirecting to ${redactUrl(url)}, which is not HTTPS; refusing to follow. Add ${url.host} to 'insecure-registries' if that is intended.`,
    };
  }
  const sameOrigin = url.origin === from.origin;
  if (init.body !== undefined && init.body !== null) {
    if (!sameOrigin || (status !== 307 && status !== 308)) {
      return {
        ok: false,
        reason: `${what}, redirecting to ${redactUrl(url)}; the action sends a request body (it may hold credentials) to no other place than it was meant for.`,
      };
    }
    return { ok: true, url, init };
  }
  const next: RequestInit = sameOrigin
    ? init
    : { ...init, headers: withoutCredentials(init.headers) };
  // 303 means "GET this instead", and a GET stays a GET (HEAD a HEAD) on the others.
  return {
    ok: true,
    url,
    init: status === 303 && method !== 'HEAD' ? { ...next, method: 'GET' } : next,
  };
}
