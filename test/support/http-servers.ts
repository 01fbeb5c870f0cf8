/**
 * Small HTTP servers on 127.0.0.1 for tests of the HTTP layer: each records every request it
 * gets (method, path, headers, body) and answers with a handler the test sets. They unref and
 * are closed with `stopServers`.
 */
import * as http from 'node:http';
import type * as net from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  requests: SeenRequest[];
  handle: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
}

const open: http.Server[] = [];
const sockets = new Set<net.Socket>();

export async function startServer(): Promise<TestServer> {
  const server: TestServer = {
    host: '',
    url: '',
    requests: [],
    handle: (_req, _body, res) => {
      res.writeHead(404);
      res.end();
    },
  };
  const http1 = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      server.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      });
      server.handle(req, body, res);
    });
  });
  http1.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  open.push(http1);
  await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
  http1.unref();
  server.host = `127.0.0.1:${(http1.address() as net.AddressInfo).port}`;
  server.url = `http://${server.host}`;
  return server;
}

export async function stopServers(): Promise<void> {
  for (const s of sockets) s.destroy();
  await Promise.all(open.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
}

/** A handler that answers JSON. */
export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
