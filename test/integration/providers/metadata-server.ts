/**
 * A loopback server that publishes authorization server metadata exactly where a test says, and
 * logs every path asked for, so tests can prove which addresses discovery tried and in what order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path answers: a JSON document, or raw bytes with a status and content type. */
export type MetadataAnswer =
  { json: unknown; status?: number } | { raw: string; status?: number; contentType?: string };

export interface MetadataServer {
  origin: string;
  /** Paths requested, in order (query strings included). */
  log: string[];
  /** Set (or replace) what a path answers; every other path is a 404. */
  serve(path: string, answer: MetadataAnswer): void;
  close(): Promise<void>;
}

/** Start the server on 127.0.0.1 with a free port. */
export async function startMetadataServer(): Promise<MetadataServer> {
  const answers = new Map<string, MetadataAnswer>();
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    log.push(path);
    const answer = answers.get(path);
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    const status = answer.status ?? 200;
    if ('json' in answer) {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
    } else {
      res.writeHead(status, { 'content-type': answer.contentType ?? 'application/json' }).end(answer.raw);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    serve: (path, answer) => void answers.set(path, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plain, valid metadata document for `issuer` with endpoints under `base`. */
export function metadataFor(issuer: string, base = issuer): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    revocation_endpoint: `${base}/revoke`,
    userinfo_endpoint: `${base}/userinfo`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'crm.read'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
    authorization_response_iss_parameter_supported: true,
    response_types_supported: ['code'],
  };
}
