/**
 * Bounds against real local servers that misbehave: a server dripping a byte now and then is
 * cut off by the overall deadline of each try (the idle timeout alone would wait forever); a
 * registry that ignores `n` and sends 150 000 tags in one page, or links page after page
 * without end, gets a clear error — never a crash, never an exhausted memory.
 */
import type * as nodeHttp from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/registry/hub-client.js';
import { Http, HttpError } from '../../src/registry/http.js';
import { MAX_TAGS, RegistryClient } from '../../src/registry/oci-client.js';
import { json, startServer, stopServers, type TestServer } from '../support/http-servers.js';

let server: TestServer;

function http(timeouts: { totalMs?: number; streamMs?: number; bodyMs?: number } = {}): Http {
  return new Http({
    insecureRegistries: [server.host],
    caCertificates: '',
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    timeouts,
  });
}

/** Sends the headers, then one byte every `everyMs` until the client goes away. */
function drip(res: nodeHttp.ServerResponse, everyMs: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), everyMs);
  timer.unref();
  res.on('close', () => clearInterval(timer));
}

beforeEach(async () => {
  await stopServers();
  server = await startServer();
});
afterAll(stopServers);

describe('the deadline of a request', () => {
  it('ends a body that drips, each try, then fails naming the deadline', async () => {
    server.handle = (_req, _body, res) => drip(res, 100);
    const started = Date.now();
    const error = await http({ totalMs: 800, bodyMs: 500 })
      .fetchBody(`${server.url}/v2/`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toBe(
      `GET ${server.url}/v2/ did not finish within 0.8 s, 2 times. The server is too slow or stalls; re-run the job later.`,
    );
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends a streamed body (a blob) that drips, at its own deadline', async () => {
    server.handle = (_req, _body, res) => drip(res, 100);
    const response = await http({ streamMs: 700, bodyMs: 500 }).fetch(`${server.url}/blob`);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow(/abort|timeout/i);
  });

  it('lets a slow answer that finishes in time through', async () => {
    server.handle = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok"');
      setTimeout(() => res.end(':true}'), 200).unref();
    };
    const { body } = await http({ totalMs: 2_000 }).fetchBody(`${server.url}/v2/`);
    expect(JSON.parse(body.toString())).toEqual({ ok: true });
  });
});

describe('tag lists that do not end', () => {
  it('refuses 150 000 tags in one page from a registry that ignores n', async () => {
    const tags = Array.from({ length: 150_000 }, (_, i) => `v1.0.${i}`);
    server.handle = (_req, _body, res) => json(res, 200, { name: 'acme/app', tags });
    const client = new RegistryClient(http(), server.host);
    await expect(client.listTags('acme/app')).rejects.toThrow(
      `The tag list of acme/app on ${server.host} runs over ${MAX_TAGS} tags; the action stops reading there rather than guess a version. Set 'version' to release without reading the tags, or delete old tags.`,
    );
  });

  it('stops a Link chain that never ends', async () => {
    server.handle = (req, _body, res) => {
      const page = Number(new URL(req.url ?? '', server.url).searchParams.get('last') ?? 0);
      json(
        res,
        200,
        { name: 'acme/app', tags: [`v1.0.${page}`] },
        {
          link: `</v2/acme/app/tags/list?n=100&last=${page + 1}>; rel="next"`,
        },
      );
    };
    const client = new RegistryClient(http(), server.host, undefined, { maxPages: 25 });
    await expect(client.listTags('acme/app')).rejects.toThrow(/runs over 25 pages/);
    expect(server.requests).toHaveLength(25);
  });

  it('refuses a Docker Hub page of 150 000 results, and a `next` chain that never ends', async () => {
    const results = Array.from({ length: 150_000 }, (_, i) => ({ name: `v1.0.${i}` }));
    server.handle = (_req, _body, res) => json(res, 200, { next: null, results });
    await expect(new HubClient(http(), server.url).listTags('acme', 'app')).rejects.toThrow(
      /The Docker Hub tag list of acme\/app runs over 100000 tags/,
    );
    server.requests.length = 0;
    server.handle = (req, _body, res) => {
      const page = Number(new URL(req.url ?? '', server.url).searchParams.get('page') ?? 1);
      json(res, 200, {
        next: `${server.url}/v2/namespaces/acme/repositories/app/tags?page_size=100&page=${page + 1}`,
        results: [{ name: `v1.0.${page}` }],
      });
    };
    const hub = new HubClient(http(), server.url, undefined, { maxPages: 30 });
    await expect(hub.listTags('acme', 'app')).rejects.toThrow(/runs over 30 pages/);
    expect(server.requests).toHaveLength(30);
  });
});
