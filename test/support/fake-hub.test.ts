import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from './fake-hub.js';

interface TagPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: Array<Record<string, unknown> & { name: string; digest: string; last_updated: string }>;
}

const NOT_FOUND = { message: 'httperror 404: object not found' };
const tagNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `v1.0.${i}`);

let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub({ users: { alice: ['hunter2', 'dckr_pat_alice'] } });
});

afterAll(async () => {
  await hub.stop();
});

beforeEach(() => {
  hub.faults.clear();
  hub.requests.length = 0;
  hub.setRepo('acme', 'big', tagNames(250));
  hub.setRepo('acme', 'empty', []);
  hub.setRepo('acme', 'secret', ['v2.0.0', 'v2.0.1'], { private: true });
});

async function getJson<T>(url: string, init?: RequestInit): Promise<{ res: Response; body: T }> {
  const res = await fetch(url, init);
  return { res, body: (await res.json()) as T };
}

async function login(route: 'users' | 'auth', user: string, secret: string): Promise<Response> {
  const [path, body] =
    route === 'users'
      ? ['/v2/users/login', { username: user, password: secret }]
      : ['/v2/auth/token', { identifier: user, secret }];
  return fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('tag listing', () => {
  it('paginates 250 tags over 3 pages, newest first, with absolute next/previous links', async () => {
    const first = `${hub.url}/v2/repositories/acme/big/tags/?page_size=100`;
    const pages: TagPage[] = [];
    let url: string | null = first;
    while (url) {
      const { res, body }: { res: Response; body: TagPage } = await getJson<TagPage>(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      pages.push(body);
      url = body.next;
    }

    expect(pages.map((p) => p.results.length)).toEqual([100, 100, 50]);
    expect(pages.every((p) => p.count === 250)).toBe(true);
    const base = `${hub.url}/v2/repositories/acme/big/tags/`;
    expect(pages.map((p) => p.next)).toEqual([
      `${base}?page=2&page_size=100`,
      `${base}?page=3&page_size=100`,
      null,
    ]);
    expect(pages.map((p) => p.previous)).toEqual([
      null,
      `${base}?page=1&page_size=100`,
      `${base}?page=2&page_size=100`,
    ]);

    const names = pages.flatMap((p) => p.results.map((t) => t.name));
    expect(new Set(names).size).toBe(250);
    // Later tags in setRepo count as pushed later; the default order is newest first.
    expect(names[0]).toBe('v1.0.249');
    expect(names.at(-1)).toBe('v1.0.0');
  });

  it('returns tags in the shape of a real Hub page', async () => {
    const { body } = await getJson<TagPage>(
      `${hub.url}/v2/namespaces/acme/repositories/big/tags?page_size=1`,
    );
    const tag = body.results[0];
    expect(Object.keys(tag ?? {})).toEqual([
      'creator',
      'id',
      'images',
      'last_updated',
      'last_updater',
      'last_updater_username',
      'name',
      'repository',
      'full_size',
      'v2',
      'tag_status',
      'tag_last_pulled',
      'tag_last_pushed',
      'media_type',
      'content_type',
      'digest',
    ]);
    expect(tag?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(tag?.last_updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(tag?.tag_status).toBe('active');
    expect(body.next).toBe(
      `${hub.url}/v2/namespaces/acme/repositories/big/tags?page=2&page_size=1`,
    );
  });

  it('defaults to 10 per page and caps page_size at 100', async () => {
    const small = await getJson<TagPage>(`${hub.url}/v2/repositories/acme/big/tags`);
    expect(small.body.results).toHaveLength(10);
    expect(small.body.next).toBe(`${hub.url}/v2/repositories/acme/big/tags?page=2&page_size=10`);

    const capped = await getJson<TagPage>(`${hub.url}/v2/repositories/acme/big/tags?page_size=500`);
    expect(capped.res.status).toBe(200);
    expect(capped.body.results).toHaveLength(100);
    expect(capped.body.next).toBe(`${hub.url}/v2/repositories/acme/big/tags?page=2&page_size=100`);
  });

  it('keeps other query parameters in next, sorted by name, and honours ordering and name', async () => {
    hub.setRepo('acme', 'mixed', ['b', 'a-1', 'c', 'a-2']);
    const byName = await getJson<TagPage>(
      `${hub.url}/v2/repositories/acme/mixed/tags?page_size=2&ordering=name`,
    );
    expect(byName.body.results.map((t) => t.name)).toEqual(['a-1', 'a-2']);
    expect(byName.body.next).toBe(
      `${hub.url}/v2/repositories/acme/mixed/tags?ordering=name&page=2&page_size=2`,
    );

    const reversed = await getJson<TagPage>(
      `${hub.url}/v2/repositories/acme/mixed/tags?ordering=-name`,
    );
    expect(reversed.body.results.map((t) => t.name)).toEqual(['c', 'b', 'a-2', 'a-1']);

    const filtered = await getJson<TagPage>(`${hub.url}/v2/repositories/acme/mixed/tags?name=a-`);
    expect(filtered.body.count).toBe(2);
    expect(filtered.body.results.map((t) => t.name)).toEqual(['a-2', 'a-1']);
  });

  it('orders by explicit last_updated and keeps given digests', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    hub.setRepo('acme', 'dated', [
      { name: 'old', last_updated: '2020-01-01T00:00:00.000000Z' },
      { name: 'new', last_updated: '2025-06-01T12:00:00.123456Z', digest },
      { name: 'mid', last_updated: '2022-01-01T00:00:00.000000Z' },
    ]);
    const { body } = await getJson<TagPage>(`${hub.url}/v2/repositories/acme/dated/tags`);
    expect(body.results.map((t) => t.name)).toEqual(['new', 'mid', 'old']);
    expect(body.results[0]?.digest).toBe(digest);
    expect(body.results[0]?.last_updated).toBe('2025-06-01T12:00:00.123456Z');
  });

  it('builds next from the Host header the client sent', async () => {
    const port = new URL(hub.url).port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/v2/repositories/acme/big/tags?page_size=100',
          headers: { host: `localhost:${port}` },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect((JSON.parse(body) as TagPage).next).toBe(
      `http://localhost:${port}/v2/repositories/acme/big/tags?page=2&page_size=100`,
    );
  });

  it('answers a missing repository with the Hub 404 body', async () => {
    for (const path of [
      '/v2/repositories/acme/nope/tags/?page_size=100',
      '/v2/namespaces/acme/repositories/nope/tags',
    ]) {
      const { res, body } = await getJson<unknown>(`${hub.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(body).toEqual({ ...NOT_FOUND, errinfo: { namespace: 'acme', repository: 'nope' } });
    }
  });

  it('answers a page beyond the end with 404, but page 1 of an empty repository with 200', async () => {
    const beyond = await getJson<unknown>(
      `${hub.url}/v2/repositories/acme/big/tags?page=4&page_size=100`,
    );
    expect(beyond.res.status).toBe(404);
    expect(beyond.body).toMatchObject(NOT_FOUND);

    const empty = await getJson<TagPage>(
      `${hub.url}/v2/repositories/acme/empty/tags/?page_size=100`,
    );
    expect(empty.res.status).toBe(200);
    expect(empty.body).toEqual({ count: 0, next: null, previous: null, results: [] });

    const emptyPage2 = await fetch(`${hub.url}/v2/repositories/acme/empty/tags/?page=2`);
    expect(emptyPage2.status).toBe(404);
  });

  it('answers HEAD with 200 when the repository has tags and 404 otherwise', async () => {
    const head = (repo: string): Promise<number> =>
      fetch(`${hub.url}/v2/namespaces/acme/repositories/${repo}/tags`, { method: 'HEAD' }).then(
        (r) => r.status,
      );
    expect(await head('big')).toBe(200);
    expect(await head('empty')).toBe(404);
    expect(await head('nope')).toBe(404);
  });

  it('looks up one tag, and a tag pushed later shows up first', async () => {
    const missing = await getJson<unknown>(
      `${hub.url}/v2/namespaces/acme/repositories/big/tags/v9.9.9`,
    );
    expect(missing.res.status).toBe(404);
    expect(missing.body).toEqual({
      message: "tag 'v9.9.9' not found",
      errinfo: { namespace: 'acme', repository: 'big', tag: 'v9.9.9' },
    });

    hub.addTag('acme', 'big', 'v9.9.9');
    const found = await getJson<{ name: string }>(
      `${hub.url}/v2/repositories/acme/big/tags/v9.9.9/`,
    );
    expect(found.res.status).toBe(200);
    expect(found.body.name).toBe('v9.9.9');
    const list = await getJson<TagPage>(`${hub.url}/v2/repositories/acme/big/tags?page_size=1`);
    expect(list.body.results[0]?.name).toBe('v9.9.9');
    expect(list.body.count).toBe(251);

    hub.removeRepo('acme', 'big');
    expect((await fetch(`${hub.url}/v2/repositories/acme/big/tags`)).status).toBe(404);
  });

  it('sends the documented rate-limit headers on every answer', async () => {
    const res = await fetch(`${hub.url}/v2/repositories/acme/big/tags`);
    await res.arrayBuffer();
    expect(res.headers.get('x-ratelimit-limit')).toBe('180');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(180);
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
  });

  it('answers unknown routes with an HTML 404 page', async () => {
    const res = await fetch(`${hub.url}/v2/nothing/here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html/);
  });
});

describe('login', () => {
  it('issues a token from /v2/users/login for a password or a personal access token', async () => {
    for (const secret of ['hunter2', 'dckr_pat_alice']) {
      const res = await login('users', 'alice', secret);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token: string };
      expect(Object.keys(body)).toEqual(['token']);
      expect(body.token.split('.')).toHaveLength(3);
    }
    const slash = await fetch(`${hub.url}/v2/users/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'hunter2' }),
    });
    expect(slash.status).toBe(200);
  });

  it('rejects bad credentials on /v2/users/login with the Hub detail', async () => {
    const res = await login('users', 'alice', 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Incorrect authentication credentials' });
  });

  it('issues an access_token from /v2/auth/token and rejects bad secrets', async () => {
    const ok = await login('auth', 'alice', 'dckr_pat_alice');
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { access_token: string };
    expect(Object.keys(body)).toEqual(['access_token']);

    const bad = await login('auth', 'bob', 'dckr_pat_alice');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ message: 'unauthorized', errinfo: {} });
  });

  it('answers 400 to a malformed login body', async () => {
    const res = await fetch(`${hub.url}/v2/auth/token`, { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'malformed request', errinfo: {} });
    expect((await fetch(`${hub.url}/v2/users/login`)).status).toBe(405);
  });

  it('follows changes to the users map', async () => {
    expect((await login('auth', 'carol', 'pw')).status).toBe(401);
    hub.users.set('carol', 'pw');
    expect((await login('auth', 'carol', 'pw')).status).toBe(200);
    hub.users.delete('carol');
  });
});

describe('private repositories', () => {
  const secretUrl = (): string => `${hub.url}/v2/repositories/acme/secret/tags/?page_size=100`;

  it('answer 404, like a missing repository, without a token', async () => {
    const { res, body } = await getJson<unknown>(secretUrl());
    expect(res.status).toBe(404);
    expect(body).toEqual({ ...NOT_FOUND, errinfo: { namespace: 'acme', repository: 'secret' } });
  });

  it('list their tags with a token from either login route, as Bearer or JWT', async () => {
    const fromUsers = (
      (await (await login('users', 'alice', 'hunter2')).json()) as { token: string }
    ).token;
    const fromAuth = (
      (await (await login('auth', 'alice', 'dckr_pat_alice')).json()) as { access_token: string }
    ).access_token;
    for (const authorization of [`Bearer ${fromUsers}`, `Bearer ${fromAuth}`, `JWT ${fromAuth}`]) {
      const { res, body } = await getJson<TagPage>(secretUrl(), { headers: { authorization } });
      expect(res.status).toBe(200);
      expect(body.results.map((t) => t.name)).toEqual(['v2.0.1', 'v2.0.0']);
    }
  });

  it('reject a token the Hub never issued with 401', async () => {
    const { res, body } = await getJson<unknown>(secretUrl(), {
      headers: { authorization: 'Bearer dckr_pat_not_a_jwt' },
    });
    expect(res.status).toBe(401);
    expect(body).toEqual({ message: 'unauthorized', errinfo: {} });
  });
});

describe('faults', () => {
  const tagsUrl = (): string => `${hub.url}/v2/repositories/acme/big/tags?page_size=5`;

  async function expectHealthy(): Promise<void> {
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(200);
    expect(((await res.json()) as TagPage).count).toBe(250);
    expect(hub.faults.pending).toBe(0);
  }

  it('rate-limit answers 429 with Retry-After once, then clears', async () => {
    hub.faults.add({ kind: 'rate-limit', retryAfter: 3 });
    expect(hub.faults.pending).toBe(1);
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(Number(res.headers.get('x-retry-after'))).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await res.json()).toEqual({ detail: 'Rate limit exceeded', error: false });
    await expectHealthy();
  });

  it.each([500, 502, 503])('status %i answers once, then clears', async (status) => {
    hub.faults.add({ kind: 'status', status });
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(String(status));
    await expectHealthy();
  });

  it('status can carry a JSON body, e.g. the Hub 403', async () => {
    const body = JSON.stringify({
      errinfo: {},
      message: 'access to the resource is forbidden with personal access token',
    });
    hub.faults.add({ kind: 'status', status: 403, body });
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(body);
    await expectHealthy();
  });

  it('html answers 200 with an HTML page once, then clears', async () => {
    hub.faults.add({ kind: 'html' });
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(res.json()).rejects.toThrow(SyntaxError);
    await expectHealthy();
  });

  it('malformed-json answers 200 application/json that does not parse, once', async () => {
    hub.faults.add({ kind: 'malformed-json' });
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
    await expectHealthy();
  });

  it('reset drops the connection once, then clears', async () => {
    hub.faults.add({ kind: 'reset' });
    await expect(fetch(tagsUrl())).rejects.toThrow(TypeError);
    await expectHealthy();
  });

  it('hang outlasts a client timeout once, then clears', async () => {
    hub.faults.add({ kind: 'hang', ms: 60_000 });
    await expect(fetch(tagsUrl(), { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /aborted|timeout/i,
    );
    await expectHealthy();
  });

  it('hang with a short delay still gives the normal answer', async () => {
    hub.faults.add({ kind: 'hang', ms: 20 });
    const res = await fetch(tagsUrl());
    expect(res.status).toBe(200);
    expect(((await res.json()) as TagPage).results).toHaveLength(5);
  });

  it('fires only on matching requests and for the given number of times', async () => {
    hub.faults.add({ kind: 'status', status: 503 }, { path: '/v2/auth/token', times: 2 });
    expect((await fetch(tagsUrl())).status).toBe(200);
    expect((await login('auth', 'alice', 'hunter2')).status).toBe(503);
    expect((await login('auth', 'alice', 'hunter2')).status).toBe(503);
    expect((await login('auth', 'alice', 'hunter2')).status).toBe(200);

    hub.faults.add({ kind: 'status', status: 500 }, { path: /\/tags$/, method: 'head' });
    expect((await fetch(tagsUrl())).status).toBe(200);
    expect((await fetch(tagsUrl(), { method: 'HEAD' })).status).toBe(500);
    expect(hub.faults.pending).toBe(0);
    expect(() => hub.faults.add({ kind: 'reset' }, { times: 0 })).toThrow(/positive integer/);
  });
});

describe('recording and lifecycle', () => {
  it('records method, path, query, headers and body of every request', async () => {
    hub.faults.add({ kind: 'status', status: 502 });
    await fetch(`${hub.url}/v2/repositories/acme/big/tags/?page_size=100&page=2`, {
      headers: { authorization: 'Bearer x', 'user-agent': 'kaniko-release-test' },
    });
    await login('users', 'alice', 'hunter2');

    expect(hub.requests).toHaveLength(2);
    const [get, post] = hub.requests;
    expect(get).toMatchObject({
      method: 'GET',
      path: '/v2/repositories/acme/big/tags/',
      query: { page_size: '100', page: '2' },
      body: '',
      fault: 'status',
    });
    expect(get?.headers.authorization).toBe('Bearer x');
    expect(get?.headers['user-agent']).toBe('kaniko-release-test');
    expect(post).toMatchObject({ method: 'POST', path: '/v2/users/login', query: {} });
    expect(post && 'fault' in post).toBe(false);
    expect(JSON.parse(post?.body ?? '')).toEqual({ username: 'alice', password: 'hunter2' });
  });

  it('stop() closes open and hanging connections and refuses new ones', async () => {
    const own = await startFakeHub();
    own.setRepo('acme', 'app', ['v1.0.0']);
    own.faults.add({ kind: 'hang', ms: Number.POSITIVE_INFINITY });
    const pending = fetch(`${own.url}/v2/repositories/acme/app/tags`);
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    while (own.requests.length === 0) await new Promise((r) => setTimeout(r, 5));

    await own.stop();
    await own.stop();
    expect(await outcome).toBe('failed');
    await expect(fetch(`${own.url}/v2/repositories/acme/app/tags`)).rejects.toThrow(TypeError);
  });

  it('stops by itself after maxLifetimeMs', async () => {
    const own = await startFakeHub({ maxLifetimeMs: 10 });
    let refused = false;
    while (!refused) {
      refused = await fetch(`${own.url}/v2/nothing`).then(
        async (r) => (await r.arrayBuffer(), false),
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 10));
    }
    expect(refused).toBe(true);
    await own.stop();
  });
});
