/**
 * The Docker Hub API client against the local fake Hub (test/support/fake-hub.ts): pages,
 * logins, private repositories, and every fault the Hub or a proxy in front of it produces —
 * with the retries bounded and counted, and no tag list ever guessed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/registry/hub-client.js';
import { Http, HttpError } from '../../src/registry/http.js';
import { RegistryError } from '../../src/registry/errors.js';
import { startFakeHub, type FakeHub } from '../support/fake-hub.js';
import { startTokenRegistry } from '../support/token-registry.js';

const ATTEMPTS = 3;
const TAGS = Array.from({ length: 250 }, (_, i) => `v2.${i % 3}.${i}`);

let hub: FakeHub;
/** Every delay the client asked to sleep for, in order. */
let sleeps: number[];

function http(timeouts?: { headersMs?: number }, insecure = true): Http {
  return new Http({
    // The fake Hub speaks plain HTTP; credentials go there only when it is listed.
    insecureRegistries: insecure ? [new URL(hub.url).host] : [],
    caCertificates: '',
    retry: { attempts: ATTEMPTS, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5_000 },
    timeouts,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

/**
 * A fault path matcher that matches the `n`-th request it is asked about (1-based) and every
 * later one; with `times: 1` the fault answers only the `n`-th.
 */
function nth(n: number): RegExp {
  let seen = 0;
  const matcher = /./;
  matcher.test = () => ++seen >= n;
  return matcher;
}

const tagRequests = (): string[] =>
  hub.requests.filter((r) => r.method === 'GET' && r.path.includes('/tags')).map((r) => r.path);

beforeAll(async () => {
  hub = await startFakeHub({ users: { alice: ['hunter2', 'dckr_pat_abc'] } });
  hub.setRepo('acme', 'app', TAGS);
  hub.setRepo('acme', 'small', ['v1.0.0', 'latest']);
  hub.setRepo('acme', 'empty', []);
  hub.setRepo('acme', 'secret', ['v7.0.0'], { private: true });
});
afterAll(async () => hub?.stop());
beforeEach(() => {
  hub.requests.length = 0;
  hub.faults.clear();
  sleeps = [];
});

describe('HubClient tag lists', () => {
  it('reads every page of 100 from the documented route, in order', async () => {
    const tags = await new HubClient(http(), hub.url).listTags('acme', 'app');
    expect([...(tags ?? [])].sort()).toEqual([...TAGS].sort());
    const pages = hub.requests.map((r) => ({ path: r.path, query: r.query }));
    expect(pages).toEqual([
      { path: '/v2/namespaces/acme/repositories/app/tags', query: { page_size: '100' } },
      {
        path: '/v2/namespaces/acme/repositories/app/tags',
        query: { page: '2', page_size: '100' },
      },
      {
        path: '/v2/namespaces/acme/repositories/app/tags',
        query: { page: '3', page_size: '100' },
      },
    ]);
    expect(hub.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('answers null for a repository that does not exist', async () => {
    expect(await new HubClient(http(), hub.url).listTags('acme', 'nothing')).toBeNull();
  });

  it('answers [] for a repository without tags', async () => {
    expect(await new HubClient(http(), hub.url).listTags('acme', 'empty')).toEqual([]);
  });

  it('sees a private repository as missing without credentials', async () => {
    expect(await new HubClient(http(), hub.url).listTags('acme', 'secret')).toBeNull();
  });

  it.each([
    ['a password', 'hunter2'],
    ['a personal access token', 'dckr_pat_abc'],
  ])('logs in once with %s and reads a private repository', async (_what, secret) => {
    const client = new HubClient(http(), hub.url, { username: 'alice', password: secret });
    expect(await client.listTags('acme', 'secret')).toEqual(['v7.0.0']);
    expect(await client.listTags('acme', 'small')).toHaveLength(2);
    const logins = hub.requests.filter((r) => r.method === 'POST');
    expect(logins.map((r) => r.path)).toEqual(['/v2/auth/token']);
    expect(JSON.parse(logins[0]!.body)).toEqual({ identifier: 'alice', secret });
    const reads = hub.requests.filter((r) => r.method === 'GET');
    expect(reads).toHaveLength(2);
    expect(reads.every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? ''))).toBe(true);
  });

  it('shares one login between concurrent lookups', async () => {
    const client = new HubClient(http(), hub.url, { username: 'alice', password: 'hunter2' });
    await Promise.all([
      client.listTags('acme', 'app'),
      client.listTags('acme', 'small'),
      client.listTags('acme', 'secret'),
    ]);
    expect(hub.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('falls back to the older login route when the token route is missing', async () => {
    hub.faults.add(
      {
        kind: 'status',
        status: 404,
        body: '{"message":"not found"}',
        contentType: 'application/json',
      },
      { path: '/v2/auth/token' },
    );
    const client = new HubClient(http(), hub.url, { username: 'alice', password: 'dckr_pat_abc' });
    expect(await client.listTags('acme', 'secret')).toEqual(['v7.0.0']);
    expect(hub.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      '/v2/auth/token',
      '/v2/users/login',
    ]);
  });

  it('fails loudly on wrong credentials without showing the secret', async () => {
    const client = new HubClient(http(), hub.url, { username: 'alice', password: 'wrong-secret' });
    const error = (await client.listTags('acme', 'app').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain(`${hub.url}/v2/auth/token`);
    expect(error.message).toContain('401');
    expect(error.message).toContain("Check 'username' and 'password'");
    expect(error.message).not.toContain('wrong-secret');
    expect(tagRequests()).toEqual([]);
  });

  it('renews an expired token in the middle of the pages', async () => {
    hub.faults.add(
      {
        kind: 'status',
        status: 401,
        body: '{"message":"unauthorized","errinfo":{}}',
        contentType: 'application/json',
      },
      { path: nth(2), method: 'GET' },
    );
    const client = new HubClient(http(), hub.url, { username: 'alice', password: 'hunter2' });
    expect(await client.listTags('acme', 'app')).toHaveLength(TAGS.length);
    expect(hub.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });
});

describe('HubClient faults: retried a bounded number of times, never guessed', () => {
  it('waits for Retry-After on 429 and goes on', async () => {
    hub.faults.add({ kind: 'rate-limit', retryAfter: 2 }, { path: '/tags', times: 2 });
    const tags = await new HubClient(http(), hub.url).listTags('acme', 'small');
    expect(tags).toHaveLength(2);
    expect(sleeps).toEqual([2000, 2000]);
    expect(tagRequests()).toHaveLength(3);
  });

  it('gives up on 429 after the last try, saying it was rate-limited', async () => {
    hub.faults.add({ kind: 'rate-limit', retryAfter: 1 }, { path: '/tags', times: 100 });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.status).toBe(429);
    expect(error.message).toContain('rate-limits');
    expect(tagRequests()).toHaveLength(ATTEMPTS);
  });

  it('does not sleep for hours when Retry-After is too long: fails at once', async () => {
    hub.faults.add({ kind: 'rate-limit', retryAfter: 3600 }, { path: '/tags', times: 100 });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(429);
    expect(sleeps).toEqual([]);
    expect(tagRequests()).toHaveLength(1);
  });

  it('retries 5xx with growing backoff and goes on', async () => {
    hub.faults.add({ kind: 'status', status: 502 }, { path: '/tags', times: 2 });
    expect(await new HubClient(http(), hub.url).listTags('acme', 'small')).toHaveLength(2);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(5);
    expect(sleeps[0]).toBeLessThanOrEqual(10);
    expect(sleeps[1]).toBeGreaterThanOrEqual(10);
    expect(sleeps[1]).toBeLessThanOrEqual(20);
  });

  it('fails after the last try of a 500 on a later page, naming the page', async () => {
    hub.faults.add({ kind: 'status', status: 500 }, { path: nth(2), times: 100 });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'app')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(500);
    expect(error.message).toContain('(page 2)');
    expect(error.message).toContain('re-run the job later');
    expect(tagRequests()).toHaveLength(1 + ATTEMPTS);
  });

  it('retries a reset connection, then fails with the URL', async () => {
    hub.faults.add({ kind: 'reset' }, { path: '/tags', times: 100 });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain(`${hub.url}/v2/namespaces/acme/repositories/small/tags`);
    expect(error.message).toContain(`after ${ATTEMPTS} tries`);
    expect(tagRequests()).toHaveLength(ATTEMPTS);
  });

  it('retries a request that times out', async () => {
    hub.faults.add({ kind: 'hang', ms: 5_000 }, { path: '/tags' });
    const tags = await new HubClient(http({ headersMs: 200 }), hub.url).listTags('acme', 'small');
    expect(tags).toHaveLength(2);
    expect(tagRequests()).toHaveLength(2);
  });

  it('fails when every try times out', async () => {
    hub.faults.add({ kind: 'hang', ms: 5_000 }, { path: '/tags', times: 100 });
    const error = (await new HubClient(http({ headersMs: 100 }), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toMatch(/timeout/i);
    expect(tagRequests()).toHaveLength(ATTEMPTS);
  });

  it.each([
    [401, '{"message":"unauthorized","errinfo":{}}', "Set 'username' and 'password'"],
    [
      403,
      '{"errinfo":{},"message":"access to the resource is forbidden with personal access token"}',
      'forbidden with personal access token',
    ],
  ])('fails loudly on %i without retrying', async (status, body, says) => {
    hub.faults.add(
      { kind: 'status', status, body, contentType: 'application/json' },
      { path: '/tags' },
    );
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(status);
    expect(error.message).toContain(says);
    expect(tagRequests()).toHaveLength(1);
  });

  it('fails on 404 for a later page (the repository went away)', async () => {
    hub.faults.add(
      {
        kind: 'status',
        status: 404,
        body: '{"message":"httperror 404: object not found","errinfo":{}}',
        contentType: 'application/json',
      },
      { path: nth(3) },
    );
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'app')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(404);
    expect(error.message).toContain('(page 3)');
  });

  it('refuses to send credentials to a plain-HTTP hub-api-url that is not listed as insecure', async () => {
    hub.setRepo('acme', 'secret-svc', ['v1.0.0'], { private: true });
    const client = new HubClient(http(undefined, false), hub.url, {
      username: 'alice',
      password: 'pw-alice',
    });
    const error = await client.listTags('acme', 'secret-svc').then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toContain("'hub-api-url'");
    expect(error.message).toContain('refusing to send the password');
    expect(error.message).not.toContain('pw-alice');
    expect(hub.requests).toEqual([]);
  });

  it('fails on a 404 HTML page (a wrong hub-api-url), not "repository missing"', async () => {
    hub.faults.add({ kind: 'status', status: 404 }, { path: '/tags' });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.status).toBe(404);
    expect(error.message).toContain("check 'hub-api-url'");
  });

  it('fails on an HTML page answered with 200', async () => {
    hub.faults.add({ kind: 'html' }, { path: '/tags' });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain('HTML page instead of JSON');
  });

  it('fails on malformed JSON', async () => {
    hub.faults.add({ kind: 'malformed-json' }, { path: '/tags' });
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain('not JSON');
  });

  it('fails on JSON of the wrong shape', async () => {
    hub.faults.add(
      { kind: 'status', status: 200, body: '{"tags":["v1.0.0"]}', contentType: 'application/json' },
      { path: '/tags' },
    );
    const error = (await new HubClient(http(), hub.url)
      .listTags('acme', 'small')
      .catch((e: unknown) => e)) as RegistryError;
    expect(error.message).toContain('without a tag page');
  });

  it('follows `next` only on its own origin', async () => {
    // A plain proxy in front of the fake Hub: the Hub writes `next` with its own host, which is
    // another origin than the one the client was given.
    const front = await startTokenRegistry({ upstream: hub.url, auth: 'none' });
    try {
      const error = (await new HubClient(http(), front.url)
        .listTags('acme', 'app')
        .catch((e: unknown) => e)) as RegistryError;
      expect(error).toBeInstanceOf(RegistryError);
      expect(error.message).toContain('another origin');
      expect(tagRequests()).toHaveLength(1);
    } finally {
      await front.stop();
    }
  });
});
