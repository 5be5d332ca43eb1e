/**
 * Start the Patchbay Sandbox: oidc-provider plus its own pages, on 127.0.0.1 only.
 *
 * The HTTP server listens first and the provider is built once the port is known, so port 0
 * (tests) and a fixed port (everyone else) work the same way; requests that arrive in between
 * get a 503 and callers probing for the Sandbox simply try again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Provider } from 'oidc-provider';
import { createFileAdapterFactory } from './file-adapter';
import { INTERACTION_PATH, handleInteraction, sendPage } from './interactions';
import { loadOrCreateKeys } from './keys';
import { renderErrorPage, renderHomePage } from './pages';
import { DEFAULT_TOKEN_TTL_SECONDS, buildProviderConfiguration } from './provider-config';

export interface SandboxServerOptions {
  /** PATCHBAY_HOME; state lives in `${home}/sandbox/`. */
  home: string;
  /** 0 picks a free port. */
  port: number;
  /** Access-token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
}

export interface SandboxServer {
  /** `http://127.0.0.1:<port>`. */
  issuer: string;
  port: number;
  /** The underlying server, so an embedding process can `unref()` it. */
  server: Server;
  close(): Promise<void>;
}

/**
 * The machine client's "who am I": which client a client-credentials token belongs to. The OIDC
 * userinfo endpoint (/me) only answers for a person's token, so a machine connection is tested here.
 */
export const MACHINE_WHO_AM_I = '/machine/me';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {}),
  });
  res.end(text);
}

async function machineWhoAmI(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]{1,4096}=*)$/.exec(req.headers.authorization ?? '');
  const token = match ? await provider.ClientCredentials.find(match[1] ?? '') : undefined;
  if (!token || token.isExpired) {
    sendJson(res, 401, { error: 'invalid_token' });
    return;
  }
  sendJson(res, 200, { client_id: token.clientId, scope: token.scope ?? '' });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Start a Sandbox on `127.0.0.1:<port>` with its state under `${home}/sandbox/`.
 *
 * Rejects with the listen error (code EADDRINUSE when the port is taken) so that
 * `ensureSandbox` can decide whether to reuse whoever holds it.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const dir = path.join(options.home, 'sandbox');
  const keys = await loadOrCreateKeys(dir);

  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else sendPage(res, renderErrorPage('The Sandbox is starting. Try again in a moment.', 503));
  });
  server.keepAliveTimeout = 2_000;

  const port = await listen(server, options.port);
  const issuer = `http://127.0.0.1:${port}`;
  let provider: Provider;
  try {
    provider = new Provider(
      issuer,
      buildProviderConfiguration({
        adapter: createFileAdapterFactory(path.join(dir, 'store')),
        jwks: keys.jwks,
        cookieKeys: keys.cookieKeys,
        tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      }),
    );
  } catch (error) {
    server.close();
    throw error;
  }
  // Errors oidc-provider already answered (bad requests from clients) are not ours to print.
  provider.on('server_error', () => undefined);
  const providerCallback = provider.callback();

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = INTERACTION_PATH.exec(url.pathname);
    if (match) {
      handleInteraction(provider, req, res, match[1] ?? '', match[2]).catch(() => {
        if (!res.headersSent) sendPage(res, renderErrorPage('The Sandbox could not finish this step.', 500));
        else res.end();
      });
      return;
    }
    if (url.pathname === MACHINE_WHO_AM_I && req.method === 'GET') {
      machineWhoAmI(provider, req, res).catch(() => sendJson(res, 500, { error: 'server_error' }));
      return;
    }
    if (url.pathname === '/' && req.method === 'GET') {
      sendPage(res, renderHomePage(issuer));
      return;
    }
    providerCallback(req, res);
  };

  return {
    issuer,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
