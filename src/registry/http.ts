/**
 * The one HTTP layer of the action: every request to a registry, the Docker Hub API or a token
 * service goes through an `Http`. It owns one undici dispatcher (proxies from the environment,
 * extra CA certificates, timeouts), gives every try an overall deadline besides the idle
 * timeouts, follows redirects by one policy (`redirect.ts`: never credentials or a body to
 * another origin, never to plain HTTP unless listed), and retries idempotent requests, with
 * backoff, on 429 (honouring `Retry-After`), 5xx and network errors — a bounded number of times.
 */
import * as tls from 'node:tls';
import { EnvHttpProxyAgent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';
import { describeNetworkError, hintFor, isPermanent } from './network-errors.js';
import { isRedirect, nextHop } from './redirect.js';
import { redactUrl } from './urls.js';

export type { Response } from 'undici';
export { redactUrl } from './urls.js';

export interface RetryPolicy {
  /** Total tries of one request, the first included. */
  attempts: number;
  /** Delay before the first retry; doubled for each further one (with jitter). */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /**
   * The longest `Retry-After` the client waits for. A server asking for more gets its 429
   * returned at once, so the step fails with the server's answer instead of sleeping for hours.
   */
  maxRetryAfterMs: number;
}

export interface Timeouts {
  /** TCP + TLS connection setup. */
  connectMs: number;
  /** From sending the request to the end of the response headers. */
  headersMs: number;
  /** Longest pause between two chunks of a response body. */
  bodyMs: number;
  /** Deadline of one try whose body is read here (JSON, manifests), redirects included. */
  totalMs: number;
  /** Deadline of one try whose body the caller streams (blobs), until its last byte. */
  streamMs: number;
}

export interface HttpOptions {
  /** `host[:port]` entries reached over plain HTTP. */
  insecureRegistries: readonly string[];
  /** Extra PEM certificates trusted in addition to the default ones; `''` when none. */
  caCertificates: string;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** Replaces `setTimeout`-based sleeping (tests make backoff instant). */
  sleep?: (ms: number) => Promise<void>;
  /** Proxy settings; default: `http_proxy`, `https_proxy`, `no_proxy` from the environment. */
  proxy?: { httpProxy?: string; httpsProxy?: string; noProxy?: string };
}

export interface HttpInit extends RequestInit {
  /**
   * Retry this request on 429/5xx/network errors. Default: true for GET, HEAD and OPTIONS,
   * false for everything else (a POST may have had an effect).
   */
  retry?: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 30_000,
  headersMs: 60_000,
  bodyMs: 60_000,
  totalMs: 180_000,
  streamMs: 30 * 60_000,
};

/** Bodies read into memory (JSON, manifests) are bounded; blobs are streamed instead. */
export const MAX_BUFFERED_BODY = 32 * 1024 * 1024;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that failed without an HTTP answer, after every retry. */
export class HttpError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Docker Hub's `X-Retry-After` (a unix time in seconds) as milliseconds from now. */
export function parseUnixTime(value: string | null, now = Date.now()): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Math.max(0, Number(value) * 1000 - now);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599 && status !== 501);
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export class Http {
  private readonly insecure: Set<string>;
  private readonly retryPolicy: RetryPolicy;
  private readonly dispatcher: EnvHttpProxyAgent;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timeouts: Timeouts;
  /** Requests sent (every try counts), for benchmarks and tests. */
  requestCount = 0;

  constructor(options: HttpOptions) {
    this.insecure = new Set(options.insecureRegistries.map((h) => h.toLowerCase()));
    this.retryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? defaultSleep;
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.timeouts = timeouts;
    const ca = options.caCertificates.trim()
      ? [...defaultCertificates(), options.caCertificates]
      : undefined;
    const tlsOptions = ca ? { ca } : {};
    this.dispatcher = new EnvHttpProxyAgent({
      ...options.proxy,
      connect: { timeout: timeouts.connectMs, ...tlsOptions },
      requestTls: { timeout: timeouts.connectMs, ...tlsOptions },
      proxyTls: { timeout: timeouts.connectMs, ...tlsOptions },
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
  }

  /** `http://host` for an insecure registry, else `https://host`. */
  baseUrl(host: string): string {
    return `${this.isInsecure(host) ? 'http' : 'https'}://${host}`;
  }

  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  /** Whether a request may go to `url`: HTTPS, or HTTP to a host in `insecure-registries`. */
  mayReach(url: URL): boolean {
    return url.protocol === 'https:' || (url.protocol === 'http:' && this.isInsecure(url.host));
  }

  /**
   * Sends a request and returns the response. Idempotent requests are retried on 429, 408 and
   * 5xx answers and on network errors (timeouts included), with exponential backoff; a 429 or
   * 503 waits for its `Retry-After`. After the last try the last response is returned (its
   * status tells the caller what went wrong); a network error on the last try throws an
   * `HttpError` that names the URL without credentials.
   */
  async fetch(url: string | URL, init: HttpInit = {}): Promise<Response> {
    return this.withRetries(url, init, this.timeouts.streamMs, async (response) => response);
  }

  /**
   * Like `fetch`, but reads the whole body (up to `MAX_BUFFERED_BODY`) inside the retry loop,
   * so a connection that breaks mid-body is retried too.
   */
  async fetchBody(
    url: string | URL,
    init: HttpInit = {},
  ): Promise<{ response: Response; body: Buffer }> {
    return this.withRetries(url, init, this.timeouts.totalMs, async (response) => ({
      response,
      body: await readBounded(response, MAX_BUFFERED_BODY, url),
    }));
  }

  /**
   * Runs `operation` until it succeeds, with the same bounded tries and backoff as a single
   * request, while it fails with an error that `retryable` accepts: for a sequence of requests
   * that must start over together (a blob upload whose body was streamed from disk).
   */
  async repeat<T>(
    operation: (attempt: number) => Promise<T>,
    retryable: (error: unknown) => boolean,
  ): Promise<T> {
    const attempts = Math.max(1, this.retryPolicy.attempts);
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation(attempt);
      } catch (error) {
        if (attempt >= attempts || !retryable(error)) throw error;
      }
      await this.sleep(this.backoff(attempt));
    }
  }

  /** Closes the connections. Requests after this fail. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /**
   * One try: the request and the redirects it is allowed to follow (the caller's own handling
   * when it asks for `redirect: 'manual'`).
   */
  private async send(url: string | URL, init: RequestInit, signal: AbortSignal): Promise<Response> {
    const manual = init.redirect === 'manual';
    let target = new URL(url);
    let request: RequestInit = init;
    for (let hop = 0; ; hop++) {
      this.requestCount++;
      const response = await undiciFetch(target, {
        ...request,
        redirect: 'manual',
        signal,
        dispatcher: this.dispatcher,
      });
      if (manual || !isRedirect(response.status)) return response;
      await response.body?.cancel().catch(() => undefined);
      const next = nextHop(
        target,
        response.status,
        response.headers.get('location'),
        request,
        hop,
        (u) => this.mayReach(u),
      );
      if (!next.ok) throw new HttpError(redactUrl(target), next.reason);
      target = next.url;
      request = next.init;
    }
  }

  private async withRetries<T>(
    url: string | URL,
    init: HttpInit,
    deadlineMs: number,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const { retry, ...requestInit } = init;
    const method = (requestInit.method ?? 'GET').toUpperCase();
    const retrying = retry ?? IDEMPOTENT.has(method);
    const attempts = retrying ? Math.max(1, this.retryPolicy.attempts) : 1;
    const shown = redactUrl(url);
    for (let attempt = 1; ; attempt++) {
      let delay: number | undefined;
      // An overall deadline, so a server that sends a byte now and then cannot hold the step.
      const deadline = AbortSignal.timeout(deadlineMs);
      const signal = requestInit.signal
        ? AbortSignal.any([requestInit.signal, deadline])
        : deadline;
      try {
        const response = await this.send(url, requestInit, signal);
        if (attempt >= attempts || !isRetryableStatus(response.status)) {
          return await read(response);
        }
        delay = this.delayFor(attempt, response);
        if (delay === undefined) return await read(response);
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        if (requestInit.signal?.aborted) throw error;
        if (deadline.aborted && attempt >= attempts) {
          throw new HttpError(
            shown,
            `${method} ${shown} did not finish within ${deadlineMs / 1000} s${attempts > 1 ? `, ${attempts} times` : ''}. The server is too slow or stalls; re-run the job later.`,
            { cause: error },
          );
        }
        if (attempt >= attempts || isPermanent(error)) {
          const tries = isPermanent(error) ? attempt : attempts;
          throw new HttpError(
            shown,
            `${method} ${shown} failed${tries > 1 ? ` after ${tries} tries` : ''}: ${describeNetworkError(error)}${hintFor(error)}`,
            { cause: error },
          );
        }
        delay = this.backoff(attempt);
      }
      await this.sleep(delay);
    }
  }

  /** Milliseconds to wait before retrying `response`, or undefined to give up now. */
  private delayFor(attempt: number, response: Response): number | undefined {
    if (response.status === 429 || response.status === 503) {
      const asked =
        parseRetryAfter(response.headers.get('retry-after')) ??
        parseUnixTime(response.headers.get('x-retry-after'));
      if (asked !== undefined) {
        return asked > this.retryPolicy.maxRetryAfterMs ? undefined : asked;
      }
    }
    return this.backoff(attempt);
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.retryPolicy;
    const full = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    // Jitter between half and the full delay, so parallel clients do not retry in step.
    return Math.round(full / 2 + (Math.random() * full) / 2);
  }
}

/** Reads a response body into memory, failing when it is larger than `limit` bytes. */
export async function readBounded(
  response: Response,
  limit: number,
  url: string | URL,
): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw new HttpError(
      redactUrl(url),
      `${redactUrl(url)} answered with ${declared} bytes, more than the ${limit} bytes expected.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) {
      throw new HttpError(
        redactUrl(url),
        `${redactUrl(url)} answered with more than the ${limit} bytes expected.`,
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The CA certificates Node trusts by default (bundled, plus NODE_EXTRA_CA_CERTS / system). */
function defaultCertificates(): string[] {
  const get = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  return get ? get('default') : [...tls.rootCertificates];
}
