/** How registries' and the Docker Hub API's answers become errors that say what to do. */
import { plain, quote } from '../lib/untrusted.js';
import type { Response } from './http.js';
import { redactUrl } from './urls.js';

/** An answer of a registry that the action cannot go on with. */
export class RegistryError extends Error {
  constructor(
    message: string,
    /** The URL without credentials. */
    readonly url: string,
    /** The HTTP status, or 0 when there was no valid answer. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RegistryError';
  }
}

export function statusText(response: Response): string {
  return `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

export function retryHint(status: number): string {
  if (status === 429) return ' The registry rate-limits this client; wait and re-run the job.';
  if (status >= 500) return ' The registry failed; re-run the job later.';
  return '';
}

/** The `code: message` of an OCI error body as one safe line of text, or `''`. */
export function errorDetail(body: Buffer): string {
  return plain(rawErrorDetail(body));
}

function rawErrorDetail(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      errors?: { code?: unknown; message?: unknown }[];
      details?: unknown;
      message?: unknown;
    };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors
        .map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x).join(': '))
        .filter(Boolean)
        .join('; ');
    }
    for (const key of ['message', 'details'] as const) {
      if (typeof parsed[key] === 'string' && parsed[key]) return parsed[key];
    }
  } catch {
    // not JSON
  }
  return '';
}

/** The start of a body, printable, for error messages. */
export function snippet(body: Buffer, max = 120): string {
  const text = body.toString('utf8').replace(/\s+/g, ' ').trim();
  if (text === '') return '(empty body)';
  return quote(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** An unexpected answer of a registry to a read (pull) or a push, and the request it answered. */
export interface FailedRequest {
  method: string;
  url: string;
  response: Response;
  body: Buffer;
  repository: string;
  access: 'read' | 'push';
  /** Where in a longer operation, e.g. `page 3`. */
  where?: string;
}

/** The error for an unexpected answer, saying what to do about it. */
export function registryFailure(request: FailedRequest, loggedIn: boolean): RegistryError {
  const { method, url, response, body, repository, access, where = '' } = request;
  const shown = redactUrl(url);
  const detail = errorDetail(body);
  const verb = access === 'read' ? 'read' : 'push to';
  let hint: string;
  switch (response.status) {
    case 401:
      hint = loggedIn
        ? ` Check 'username' and 'password' (a token needs ${access === 'read' ? 'read' : 'write'} access to ${repository}).`
        : ` The registry wants credentials ${access === 'read' ? 'for' : 'to push to'} ${repository}: set 'username' and 'password'.`;
      break;
    case 403:
      hint = ` The credentials may not ${verb} ${repository}: check the account's or token's ${access === 'read' ? '' : 'write '}access.`;
      break;
    case 404:
      hint =
        access === 'push' && method === 'POST'
          ? ` The registry does not know ${repository}; some registries need the repository (or its project) created before the first push.`
          : where
            ? ' The repository may have been deleted while its tags were read.'
            : '';
      break;
    case 413:
      hint = ' The registry (or a proxy in front of it) refused a request this large.';
      break;
    default:
      hint = retryHint(response.status);
  }
  return new RegistryError(
    `${method} ${shown}${where ? ` (${where})` : ''} answered ${statusText(response)}${detail ? ` (${detail})` : ''}.${hint}`,
    shown,
    response.status,
  );
}
