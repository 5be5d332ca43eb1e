/**
 * Provider-like servers for API keys and for plain misbehaviour.
 *
 * Landbot: `Authorization: Token <key>` only (Bearer is refused). WebinarGeek: `Api-Token: <key>`.
 * The misbehaving server answers each path with one failure (429, HTML 500, hang, huge body…),
 * for testing providerFetch against real sockets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { failWith, sendJson, type Failure } from './server-util';

export interface ApiKeyServerOptions {
  /** Header that carries the key, lower case ("authorization", "api-token"). */
  header: string;
  /** Exact value prefix before the key ("Token ", "" …). */
  scheme: string;
  key: string;
  path: string;
  /** What the test call returns on success. */
  answer?: unknown;
  failure?: Failure;
}

export interface SimpleServer {
  base: string;
  hits: number;
  /** Header values seen, for asserting which scheme was used. */
  seen: string[];
  /** From now on accept only this key (the provider revoked the old one); API-key servers only. */
  acceptOnly?(key: string): void;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Start an API-key provider that accepts exactly `${scheme}${key}` in `header` on `path`. */
export async function startApiKeyServer(options: ApiKeyServerOptions): Promise<SimpleServer> {
  const state = { hits: 0, seen: [] as string[] };
  const { base, close } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== options.path) return sendJson(res, 404, { errors: { path: ['not found'] } });
    state.hits += 1;
    const value = req.headers[options.header];
    state.seen.push(String(value ?? ''));
    if (options.failure) return failWith(res, options.failure);
    if (value !== `${options.scheme}${options.key}`) return sendJson(res, 401, { errors: { auth: ['Invalid token'] } });
    sendJson(res, 200, options.answer ?? { results: [] });
  });
  const acceptOnly = (key: string): void => {
    options = { ...options, key };
  };
  return {
    base,
    close,
    get hits() {
      return state.hits;
    },
    seen: state.seen,
    acceptOnly,
  };
}

/** A server whose path names the failure: /429, /429-date, /html500, /hang, /huge, /html200, /empty, /ok. */
export async function startMisbehavingServer(): Promise<SimpleServer> {
  const state = { hits: 0, seen: [] as string[] };
  const { base, close } = await listen((req, res) => {
    state.hits += 1;
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const failures: Record<string, Failure> = {
      '/429': { kind: 'rate_limited', retryAfter: '30' },
      '/429-date': { kind: 'rate_limited', retryAfter: new Date(Date.now() + 300_000).toUTCString() },
      '/429-none': { kind: 'rate_limited', retryAfter: '' },
      '/html500': { kind: 'html500' },
      '/hang': { kind: 'hang' },
      '/huge': { kind: 'huge' },
      '/html200': { kind: 'html200' },
      '/empty': { kind: 'empty200' },
    };
    const failure = failures[path];
    if (failure) return failWith(res, failure);
    sendJson(res, 200, { ok: true });
  });
  return {
    base,
    close,
    get hits() {
      return state.hits;
    },
    seen: state.seen,
  };
}
