/**
 * Redirects against real local servers: credentials and request bodies never follow a redirect
 * to another origin, and nothing follows one to plain HTTP on a host that is not listed in
 * `insecure-registries` — for the Hub login, token fetches, manifests, tag lists and blobs.
 * A second server stands for the other origin and records what reaches it.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/registry/hub-client.js';
import { Http, HttpError } from '../../src/registry/http.js';
import { RegistryClient } from '../../src/registry/oci-client.js';
import { RegistryError } from '../../src/registry/errors.js';
import { json, startServer, stopServers, type TestServer } from '../support/http-servers.js';

const LOGIN = { username: 'ci', password: 'pa55-redirect-secret' };
const BASIC = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`;

let home: TestServer;
let other: TestServer;

/** `home` is listed as insecure (plain HTTP allowed); `other` only when `otherListed`. */
function http(otherListed = true): Http {
  return new Http({
    insecureRegistries: otherListed ? [home.host, other.host] : [home.host],
    caCertificates: '',
    retry: { attempts: 1 },
  });
}

const credentialsAt = (server: TestServer): string[] =>
  server.requests.flatMap((r) =>
    [r.headers.authorization, r.headers.cookie, r.body].filter(
      (v): v is string => typeof v === 'string' && v !== '',
    ),
  );

beforeEach(async () => {
  await stopServers();
  home = await startServer();
  other = await startServer();
  other.handle = (_req, _body, res) => json(res, 200, { reached: 'other' });
});
afterAll(stopServers);

describe('Http follows redirects', () => {
  it('to its own origin with the credentials', async () => {
    home.handle = (req, _body, res) => {
      if (req.url === '/a') return void res.writeHead(302, { location: '/b' }).end();
      json(res, 200, { auth: req.headers.authorization ?? '' });
    };
    const { body } = await http().fetchBody(`${home.url}/a`, { headers: { authorization: BASIC } });
    expect(JSON.parse(body.toString())).toEqual({ auth: BASIC });
  });

  it('to another origin without the credentials', async () => {
    home.handle = (_req, _body, res) =>
      void res.writeHead(302, { location: `${other.url}/elsewhere` }).end();
    const { response, body } = await http().fetchBody(`${home.url}/a`, {
      headers: { authorization: BASIC, cookie: 'session=1' },
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(body.toString())).toEqual({ reached: 'other' });
    expect(other.requests.map((r) => r.path)).toEqual(['/elsewhere']);
    expect(credentialsAt(other)).toEqual([]);
  });

  it('never to plain HTTP on a host that is not listed', async () => {
    home.handle = (_req, _body, res) =>
      void res.writeHead(301, { location: `${other.url}/x` }).end();
    const error = await http(false)
      .fetchBody(`${home.url}/a`, { headers: { authorization: BASIC } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `redirecting to ${other.url}/x, which is not HTTPS; refusing to follow\\. Add ${other.host} to 'insecure-registries'`,
      ),
    );
    expect(other.requests).toEqual([]);
  });

  it('never with a body to another origin, whatever the status', async () => {
    for (const status of [307, 308, 302]) {
      home.handle = (_req, _body, res) =>
        void res.writeHead(status, { location: `${other.url}/steal` }).end();
      await expect(
        http().fetchBody(`${home.url}/login`, { method: 'POST', body: JSON.stringify(LOGIN) }),
      ).rejects.toThrow(
        /redirecting to .*\/steal; the action sends a request body .* to no other place/,
      );
    }
    expect(other.requests).toEqual([]);
  });

  it('with a body to its own origin by 307, method and body kept', async () => {
    home.handle = (req, body, res) => {
      if (req.url === '/login') return void res.writeHead(307, { location: '/login/' }).end();
      json(res, 200, { method: req.method, body });
    };
    const { body } = await http().fetchBody(`${home.url}/login`, {
      method: 'POST',
      body: '{"a":1}',
    });
    expect(JSON.parse(body.toString())).toEqual({ method: 'POST', body: '{"a":1}' });
  });

  it('at most 5 times', async () => {
    home.handle = (req, _body, res) =>
      void res.writeHead(302, { location: `/r${Number(req.url?.slice(2) || 0) + 1}` }).end();
    await expect(http().fetchBody(`${home.url}/r0`)).rejects.toThrow(
      /answered 302 after 5 redirects; not following more/,
    );
    expect(home.requests).toHaveLength(6);
  });
});

describe('the clients behind it', () => {
  it('the Hub login: a 307 to another host never gets the password', async () => {
    home.handle = (req, _body, res) => {
      if (req.url === '/v2/auth/token') {
        return void res.writeHead(307, { location: `${other.url}/v2/auth/token` }).end();
      }
      json(res, 404, {});
    };
    const hub = new HubClient(http(), home.url, LOGIN);
    await expect(hub.listTags('acme', 'app')).rejects.toThrow(
      /POST .*\/v2\/auth\/token answered 307/,
    );
    expect(other.requests).toEqual([]);
    expect(home.requests.map((r) => r.path)).toEqual(['/v2/auth/token']);
  });

  it('a token fetch: redirected to another host, without the Basic credentials', async () => {
    home.handle = (req, _body, res) => {
      if (req.url?.startsWith('/token')) {
        return void res.writeHead(302, { location: `${other.url}${req.url}` }).end();
      }
      if (req.headers.authorization === 'Bearer good')
        return json(res, 200, { name: 'app', tags: ['v1.0.0'] });
      json(
        res,
        401,
        {},
        {
          'www-authenticate': `Bearer realm="${home.url}/token",service="home"`,
        },
      );
    };
    other.handle = (req, _body, res) =>
      req.headers.authorization
        ? json(res, 200, { token: 'good' })
        : json(res, 401, { details: 'who?' });
    const client = new RegistryClient(http(), home.host, LOGIN);
    await expect(client.listTags('acme/app')).rejects.toThrow(/token service .* answered 401/);
    expect(other.requests).toHaveLength(1);
    expect(credentialsAt(other)).toEqual([]);
  });

  it('a manifest: redirected to another host, without the credentials', async () => {
    home.handle = (req, _body, res) => {
      if (!req.headers.authorization)
        return json(res, 401, {}, { 'www-authenticate': 'Basic realm="home"' });
      res.writeHead(302, { location: `${other.url}/v2/acme/app/manifests/v1` }).end();
    };
    other.handle = (_req, _body, res) => json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    const client = new RegistryClient(http(), home.host, LOGIN);
    await expect(client.manifestDigest('acme/app', 'v1')).resolves.toBeNull();
    expect(other.requests.map((r) => r.method)).toEqual(['HEAD']);
    expect(credentialsAt(other)).toEqual([]);
  });

  it('a tag list: never redirected to plain HTTP on a host that is not listed', async () => {
    home.handle = (req, _body, res) =>
      void res.writeHead(301, { location: `${other.url}${req.url}` }).end();
    const client = new RegistryClient(http(false), home.host, LOGIN);
    await expect(client.listTags('acme/app')).rejects.toThrow(
      /which is not HTTPS; refusing to follow/,
    );
    expect(other.requests).toEqual([]);
  });

  it('a blob: redirected to another host without the credentials, never to unlisted plain HTTP', async () => {
    home.handle = (req, _body, res) => {
      if (!req.headers.authorization)
        return json(res, 401, {}, { 'www-authenticate': 'Basic realm="home"' });
      res.writeHead(307, { location: `${other.url}/cdn/blob` }).end();
    };
    other.handle = (_req, _body, res) => void res.writeHead(200).end('blob-bytes');
    const listed = new RegistryClient(http(), home.host, LOGIN);
    const response = await listed.getBlob('acme/app', `sha256:${'a'.repeat(64)}`);
    expect(await response.text()).toBe('blob-bytes');
    expect(credentialsAt(other)).toEqual([]);
    const unlisted = new RegistryClient(http(false), home.host, LOGIN);
    await expect(unlisted.getBlob('acme/app', `sha256:${'a'.repeat(64)}`)).rejects.toThrow(
      /redirected to .*\/cdn\/blob, which is not HTTPS/,
    );
    expect(other.requests).toHaveLength(1);
  });

  it('a blob redirected to a Location that is no URL fails as a registry error that quotes it', async () => {
    home.handle = (_req, _body, res) => void res.writeHead(307, { location: 'http://[x' }).end();
    const client = new RegistryClient(http(), home.host);
    const failure = client.getBlob('acme/app', `sha256:${'a'.repeat(64)}`);
    await expect(failure).rejects.toBeInstanceOf(RegistryError);
    await expect(failure).rejects.toThrow(/redirected to an unusable Location "http:\/\/\[x"/);
  });
});
