/**
 * Fault injection between the OCI client and the real docker-registry: a proxy
 * (test/support/token-registry.ts) answers chosen requests with 429, 5xx, resets, stalls or
 * garbage. Retries are bounded and counted, and no failure turns into "no tags".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Http, HttpError } from '../../src/registry/http.js';
import { RegistryError } from '../../src/registry/errors.js';
import { RegistryClient } from '../../src/registry/oci-client.js';
import { pushRandomImage, startRegistry, type LocalRegistry } from '../support/registry.js';
import { startTokenRegistry, type TokenRegistry } from '../support/token-registry.js';
import { getManifest, putManifest } from '../support/oci-image.js';

const ATTEMPTS = 3;
const MANY = Array.from({ length: 120 }, (_, i) => `v1.0.${i}`);

let reg: LocalRegistry;
let front: TokenRegistry;
let sleeps: number[];

function client(options: { headersMs?: number; pageSize?: number } = {}): RegistryClient {
  const http = new Http({
    insecureRegistries: [front.host],
    caCertificates: '',
    retry: { attempts: ATTEMPTS, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 10_000 },
    timeouts: options.headersMs ? { headersMs: options.headersMs } : {},
    sleep: async (ms) => void sleeps.push(ms),
  });
  return new RegistryClient(http, front.host, undefined, { pageSize: options.pageSize ?? 50 });
}

const listRequests = (): number =>
  front.requests.filter((r) => r.path.includes('/tags/list')).length;

const failure = async (promise: Promise<unknown>): Promise<Error> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
};

beforeAll(async () => {
  reg = await startRegistry();
  await pushRandomImage(reg, 'team/app', ['v1.0.0']);
  const digest = await pushRandomImage(reg, 'team/many', MANY.slice(0, 1));
  const { body, mediaType } = await getManifest(reg, 'team/many', digest);
  for (let i = 1; i < MANY.length; i += 20) {
    await Promise.all(
      MANY.slice(i, i + 20).map((t) => putManifest(reg, 'team/many', t, body, mediaType)),
    );
  }
  front = await startTokenRegistry({
    upstream: reg.url,
    auth: 'none',
    paginate: { pageSize: 50, link: 'relative' },
  });
});
afterAll(async () => {
  await front?.stop();
  await reg?.stop();
});
beforeEach(() => {
  front.clearFaults();
  front.requests.length = 0;
  sleeps = [];
});

describe('retried, bounded', () => {
  it('waits for Retry-After on 429 and goes on', async () => {
    front.addFault({ status: 429, headers: { 'retry-after': '3' }, body: '{}', times: 2 });
    expect(await client().listTags('team/app')).toEqual(['v1.0.0']);
    expect(sleeps).toEqual([3000, 3000]);
    expect(listRequests()).toBe(3);
  });

  it('gives up on 429 after the last try', async () => {
    front.addFault({ status: 429, headers: { 'retry-after': '1' }, body: '{}', times: 100 });
    const error = (await failure(client().listTags('team/app'))) as RegistryError;
    expect(error.status).toBe(429);
    expect(error.message).toContain('rate-limits');
    expect(listRequests()).toBe(ATTEMPTS);
  });

  it('retries 503 on a later page and goes on', async () => {
    front.addFault({ status: 503, path: 'last=', times: 2 });
    expect(await client().listTags('team/many')).toHaveLength(MANY.length);
    expect(sleeps).toHaveLength(2);
  });

  it('fails after the last try of a 500, naming the page and the URL', async () => {
    front.addFault({ status: 500, path: 'last=', times: 100 });
    const error = (await failure(client().listTags('team/many'))) as RegistryError;
    expect(error.status).toBe(500);
    expect(error.message).toContain('(page 2)');
    expect(error.message).toContain(`http://${front.host}/v2/team/many/tags/list?n=50&last=`);
    expect(listRequests()).toBe(1 + ATTEMPTS);
  });

  it('retries a reset connection, then fails with the URL', async () => {
    front.addFault({ reset: true, times: 100 });
    const error = await failure(client().listTags('team/app'));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain(`http://${front.host}/v2/team/app/tags/list`);
    expect(listRequests()).toBe(ATTEMPTS);
  });

  it('retries a stalled answer (timeout) and goes on', async () => {
    front.addFault({ hangMs: 5_000 });
    expect(await client({ headersMs: 150 }).listTags('team/app')).toEqual(['v1.0.0']);
    expect(listRequests()).toBe(2);
  });

  it('fails when every try stalls', async () => {
    front.addFault({ hangMs: 5_000, times: 100 });
    const error = await failure(client({ headersMs: 100 }).listTags('team/app'));
    expect(error.message).toMatch(/timeout/i);
    expect(listRequests()).toBe(ATTEMPTS);
  });
});

describe('never guessed', () => {
  it.each([
    ['a body that is not JSON', 200, 'text/plain', 'garbage{', 'not JSON'],
    ['an HTML page', 200, 'text/html', '<html>login</html>', 'not JSON'],
    ['JSON without tags', 200, 'application/json', '{"name":"team/app"}', 'without a tag list'],
    ['tags of the wrong type', 200, 'application/json', '{"tags":[1,2]}', 'without a tag list'],
    ['a JSON array', 200, 'application/json', '["v1.0.0"]', 'without a tag list'],
    ['a 404 HTML page (not a registry)', 404, 'text/html', '<html>404</html>', '404'],
    ['a 403', 403, 'application/json', '{"errors":[{"code":"DENIED","message":"no"}]}', 'DENIED'],
    ['a 400', 400, 'application/json', '{}', '400'],
  ])('fails on %s, without retrying', async (_what, status, type, body, says) => {
    front.addFault({ status, headers: { 'content-type': type }, body });
    const error = await failure(client().listTags('team/app'));
    expect(error.message).toContain(says);
    expect(listRequests()).toBe(1);
  });

  it('reads `tags: null` as an existing repository without tags', async () => {
    front.addFault({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"name":"team/app","tags":null}',
    });
    expect(await client().listTags('team/app')).toEqual([]);
  });

  it('reads NAME_UNKNOWN on the first page as a missing repository', async () => {
    expect(await client().listTags('team/gone')).toBeNull();
  });

  it('fails on a 404 for a later page (the repository went away)', async () => {
    front.addFault({
      status: 404,
      path: 'last=',
      headers: { 'content-type': 'application/json' },
      body: '{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}',
    });
    const error = (await failure(client().listTags('team/many'))) as RegistryError;
    expect(error.status).toBe(404);
    expect(error.message).toContain('NAME_UNKNOWN');
    expect(error.message).toContain('deleted while its tags were read');
  });

  it('refuses a Link to another origin', async () => {
    front.addFault({
      status: 200,
      headers: {
        'content-type': 'application/json',
        link: '<https://elsewhere.example/v2/team/app/tags/list?last=a>; rel="next"',
      },
      body: '{"name":"team/app","tags":["a"]}',
    });
    const error = await failure(client().listTags('team/app'));
    expect(error.message).toContain('links to another host');
  });

  it('refuses a Link that loops back to a page already read', async () => {
    front.addFault({
      status: 200,
      headers: {
        'content-type': 'application/json',
        link: '</v2/team/app/tags/list?n=50>; rel="next"',
      },
      body: '{"name":"team/app","tags":["a"]}',
    });
    const error = await failure(client().listTags('team/app'));
    expect(error.message).toContain('does not end');
  });
});
