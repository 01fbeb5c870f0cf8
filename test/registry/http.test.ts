/**
 * The HTTP layer against real local servers: plain HTTP vs HTTPS per registry, extra CA
 * certificates (a CA made with openssl for the test), forward proxies (plain and CONNECT) from
 * the settings and from the environment, which requests are retried, and error messages.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Response } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Http,
  HttpError,
  parseRetryAfter,
  parseUnixTime,
  readBounded,
  redactUrl,
} from '../../src/registry/http.js';

interface Pki {
  ca: string;
  key: string;
  cert: string;
}

/** A throw-away CA and a server certificate for 127.0.0.1 signed by it. */
function makePki(dir: string): Pki {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=kaniko-release test CA',
  ]);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  return { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers: (http.Server | https.Server)[] = [];
const sockets = new Set<net.Socket>();

async function listen<S extends http.Server | https.Server>(server: S): Promise<string> {
  servers.push(server);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A forward proxy: absolute-form requests for http://, CONNECT tunnels for https://. */
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const out = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  proxy.on('connect', (req, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    sockets.add(upstream);
    sockets.add(client);
  });
  return { url: `http://${await listen(proxy)}`, seen };
}

let dir: string;
let pki: Pki;
let plain: string;
let secure: string;
let hits: string[];
let handler: Handler;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-test-'));
  pki = makePki(dir);
  const serve: Handler = (req, res) => handler(req, res);
  const record =
    (scheme: string): Handler =>
    (req, res) => {
      hits.push(`${scheme} ${req.method} ${req.url}`);
      serve(req, res);
    };
  plain = await listen(http.createServer(record('http')));
  secure = await listen(https.createServer({ key: pki.key, cert: pki.cert }, record('https')));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  hits = [];
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
});

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('Http', () => {
  it('uses plain HTTP only for insecure registries', () => {
    const h = new Http({ insecureRegistries: ['localhost:5000', 'Reg.Local'], caCertificates: '' });
    expect(h.baseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(h.baseUrl('reg.local')).toBe('http://reg.local');
    expect(h.baseUrl('localhost:5001')).toBe('https://localhost:5001');
    expect(h.baseUrl('ghcr.io')).toBe('https://ghcr.io');
  });

  it('trusts an extra CA for HTTPS, and says what to do without it', async () => {
    const trusting = new Http({ insecureRegistries: [], caCertificates: pki.ca, retry: fast });
    const response = await trusting.fetch(`https://${secure}/v2/`);
    expect(await response.json()).toEqual({ ok: true });

    const strict = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    const error = (await strict.fetch(`https://${secure}/v2/`).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain("'ca-certificates'");
    // A certificate problem is not retried: another try cannot fix it.
    expect(hits).toEqual([`https GET /v2/`]);
  });

  it('says to list a plain-HTTP server in insecure-registries when TLS fails', async () => {
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    const error = (await h.fetch(`https://${plain}/v2/`).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("'insecure-registries'");
  });

  it('retries GET on 5xx and network errors, a bounded number of times', async () => {
    let n = 0;
    handler = (req, res) => {
      n++;
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(n === 2 ? 502 : 200);
      res.end(n === 2 ? 'bad gateway' : 'ok');
    };
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    const response = await h.fetch(`http://${plain}/x`);
    expect(await response.text()).toBe('ok');
    expect(hits).toHaveLength(3);
    expect(h.requestCount).toBe(3);

    hits = [];
    handler = (_req, res) => {
      res.writeHead(500);
      res.end('down');
    };
    const last = await h.fetch(`http://${plain}/x`);
    expect(last.status).toBe(500);
    expect(hits).toHaveLength(3);
  });

  it('does not retry a POST unless told to', async () => {
    handler = (_req, res) => {
      res.writeHead(503);
      res.end();
    };
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    expect((await h.fetch(`http://${plain}/login`, { method: 'POST', body: '{}' })).status).toBe(
      503,
    );
    expect(hits).toHaveLength(1);
    await h.fetch(`http://${plain}/login`, { method: 'POST', body: '{}', retry: true });
    expect(hits).toHaveLength(4);
  });

  it('does not retry 4xx answers', async () => {
    handler = (_req, res) => {
      res.writeHead(404);
      res.end();
    };
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    expect((await h.fetch(`http://${plain}/x`)).status).toBe(404);
    expect(hits).toHaveLength(1);
  });

  it('names the URL without credentials when it gives up', async () => {
    const port = Number(plain.split(':')[1]);
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    expect(closed).not.toBe(port);
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    const error = (await h
      .fetch(`http://127.0.0.1:${closed}/v2/`)
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toContain(`http://127.0.0.1:${closed}/v2/`);
    expect(error.message).toContain('after 3 tries');
    expect(error.message).toContain('Nothing listens there');

    const withCredentials = (await h
      .fetch(`http://user:hunter2@${plain}/v2/`)
      .catch((e: unknown) => e)) as HttpError;
    expect(withCredentials).toBeInstanceOf(HttpError);
    expect(withCredentials.message).toContain(`http://${plain}/v2/`);
    expect(withCredentials.message).not.toContain('hunter2');
    expect(withCredentials.message).not.toContain('after');
  });

  it('reads a body within the retry loop, and bounds its size', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end('x'.repeat(1000));
    };
    const h = new Http({ insecureRegistries: [], caCertificates: '', retry: fast });
    const { body } = await h.fetchBody(`http://${plain}/x`);
    expect(body.length).toBe(1000);
    await expect(readBounded(new Response('x'.repeat(100)), 10, 'http://h/x')).rejects.toThrow(
      /more than the 10 bytes/,
    );
  });
});

describe('Http through a proxy', () => {
  it('sends plain HTTP through the configured proxy', async () => {
    const proxy = await startProxy();
    const h = new Http({
      insecureRegistries: [],
      caCertificates: '',
      proxy: { httpProxy: proxy.url, noProxy: '' },
    });
    expect((await h.fetch(`http://${plain}/v2/`)).status).toBe(200);
    expect(proxy.seen).toEqual([`GET http://${plain}/v2/`]);
  });

  it('tunnels HTTPS through the proxy, trusting the extra CA', async () => {
    const proxy = await startProxy();
    const h = new Http({
      insecureRegistries: [],
      caCertificates: pki.ca,
      proxy: { httpsProxy: proxy.url, noProxy: '' },
    });
    expect(await (await h.fetch(`https://${secure}/v2/`)).json()).toEqual({ ok: true });
    expect(proxy.seen).toEqual([`CONNECT ${secure}`]);
  });

  it('reads http_proxy and no_proxy from the environment', async () => {
    const proxy = await startProxy();
    const saved = { ...process.env };
    try {
      delete process.env.HTTP_PROXY;
      delete process.env.NO_PROXY;
      process.env.http_proxy = proxy.url;
      process.env.no_proxy = 'example.invalid';
      const h = new Http({ insecureRegistries: [], caCertificates: '' });
      await h.fetch(`http://${plain}/through`);
      process.env.no_proxy = '127.0.0.1';
      const direct = new Http({ insecureRegistries: [], caCertificates: '' });
      await direct.fetch(`http://${plain}/direct`);
    } finally {
      process.env = saved;
    }
    expect(proxy.seen).toEqual([`GET http://${plain}/through`]);
    expect(hits).toEqual(['http GET /through', 'http GET /direct']);
  });
});

describe('header helpers', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['  7 ', 7_000],
    ['soon', undefined],
    [null, undefined],
  ])('Retry-After %j → %j ms', (value, ms) => {
    expect(parseRetryAfter(value)).toBe(ms);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it("reads Docker Hub's X-Retry-After unix time", () => {
    expect(parseUnixTime('1767225610', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseUnixTime('later')).toBeUndefined();
  });

  it('redacts credentials from URLs', () => {
    expect(redactUrl('https://bob:secret@reg.example/v2/?n=1#x')).toBe(
      'https://reg.example/v2/?n=1',
    );
    expect(redactUrl('not a url')).toBe('(invalid URL)');
  });
});
