/**
 * Shared pieces of the provider-like test servers: body parsing, JSON answers, token answers
 * with real-world quirks, and the ways a provider misbehaves (429, HTML 500, hang, huge body).
 */
import type http from 'node:http';

/** How an endpoint misbehaves on purpose. */
export type Failure =
  | { kind: 'rate_limited'; retryAfter?: string }
  | { kind: 'html500' }
  | { kind: 'hang' }
  | { kind: 'huge' }
  | { kind: 'html200' }
  | { kind: 'empty200' };

/** Read a request body as form or JSON, whichever its content type says. */
export async function readBody(
  req: http.IncomingMessage,
): Promise<{ contentType: string; body: Record<string, string> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const contentType = String(req.headers['content-type'] ?? '');
  if (contentType.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return { contentType, body: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) };
    } catch {
      return { contentType, body: {} };
    }
  }
  return { contentType, body: Object.fromEntries(new URLSearchParams(text)) };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

/** Answer with the chosen misbehaviour. */
export function failWith(res: http.ServerResponse, failure: Failure): void {
  switch (failure.kind) {
    case 'rate_limited':
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': failure.retryAfter ?? '120' })
        .end('{"error":"too_many_requests"}');
      return;
    case 'html500':
      res
        .writeHead(500, { 'content-type': 'text/html' })
        .end('<html><body><h1>Internal Server Error</h1><p>secret-looking-debug-info</p></body></html>');
      return;
    case 'hang':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":');
      return; // never ends
    case 'huge': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40 && res.write(chunk)) sent += 1;
        if (sent < 40) res.once('drain', pump);
        else res.end();
      };
      res.write('{"pad":"');
      pump();
      return;
    }
    case 'html200':
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome!</body></html>');
      return;
    case 'empty200':
      res.writeHead(200, { 'content-type': 'application/json' }).end();
      return;
  }
}

/** A token answer with the options' quirks (string expires_in, no token_type, comma scopes). */
export function tokenAnswer(
  options: { expiresIn?: number | string; omitTokenType?: boolean; commaScopes?: boolean },
  access: string,
  refresh: string | undefined,
  scope: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { access_token: access, expires_in: options.expiresIn ?? 3600 };
  if (!options.omitTokenType) out.token_type = 'Bearer';
  if (refresh) out.refresh_token = refresh;
  if (scope) out.scope = options.commaScopes ? scope.split(/[ ,]+/).join(',') : scope;
  return out;
}
