/** How registries' and the Docker Hub API's answers become errors that say what to do. */
import { plain, quote } from '../lib/untrusted.js';
import type { Response } from './http.js';

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
