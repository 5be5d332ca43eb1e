/**
 * A provider's API (the "resource server"), on its own origin, for requests made through a
 * connection. It accepts a credential when `accepts` says so (the OAuth server's live access
 * tokens, or one API key) and records every request it sees: method, path, credential header and
 * body, so tests can assert what was sent and that nothing was sent at all.
 *
 * Routes: GET /v1/me (identity one level down), POST|PUT /v1/echo (echoes method, content type
 * and body, never the credential), GET /v1/big (3 MB), GET /v1/429, GET /v1/teapot (418), GET
 * /v1/html500, GET /v1/redirect (302 to `redirectTo`), GET /v1/leak (echoes the credential, as a
 * careless API might), GET /v1/hang (never answers).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './server-util';

export interface SeenRequest {
  method: string;
  path: string;
  credential: string;
  body: string;
  contentType: string;
}

export interface ResourceServer {
  base: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Start an API that checks `credentialHeader` (lower case) with `accepts`. */
export async function startResourceServer(options: {
  credentialHeader?: string;
  accepts: (value: string) => boolean;
  redirectTo?: string;
}): Promise<ResourceServer> {
  const header = options.credentialHeader ?? 'authorization';
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const credential = String(req.headers[header] ?? '');
      seen.push({
        method: req.method ?? '',
        path,
        credential,
        body,
        contentType: String(req.headers['content-type'] ?? ''),
      });
      if (path === '/v1/hang') return;
      if (!options.accepts(credential)) return sendJson(res, 401, { error: 'invalid_token' });
      switch (path) {
        case '/v1/me':
          return sendJson(res, 200, { data: { id: 7, email: 'ada@example.test' } });
        case '/v1/echo':
          return sendJson(res, 201, { method: req.method, contentType: req.headers['content-type'] ?? null, body });
        case '/v1/big': {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(3 * 1024 * 1024) });
          res.end('é'.repeat(1.5 * 1024 * 1024));
          return;
        }
        case '/v1/429':
          res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"error":"slow down"}');
          return;
        case '/v1/teapot':
          return sendJson(res, 418, { error: 'teapot' });
        case '/v1/html500':
          res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Oops</h1>');
          return;
        case '/v1/redirect':
          res.writeHead(302, { location: options.redirectTo ?? '/v1/me' }).end();
          return;
        case '/v1/leak':
          res
            .writeHead(200, { 'content-type': 'application/json', 'x-echo': credential })
            .end(JSON.stringify({ youSent: credential }));
          return;
        default:
          return sendJson(res, 404, { error: 'not_found' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
