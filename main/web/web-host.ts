/**
 * The web host: the bridge contract over loopback HTTP, plus the built renderer.
 *
 * `POST /api/invoke/<channel>` (JSON argument array, header X-Patchbay-Key) answers with the
 * bridge's Result; `GET /api/events?key=…` streams the contract's events (the paths and names are
 * preload/web-transport.ts, shared with the renderer). Everything else is a
 * renderer file. Every request passes the Host check; API requests also need the launch key and
 * a same-origin Origin (always required on POST). Refusals are a bare 403 so probing learns nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isChannel } from '../../preload/contract';
import { EVENTS_PATH, KEY_FRAGMENT, channelFromPath } from '../../preload/web-transport';
import { invokeChannel } from '../core/facade/bridge';
import { invalidInput } from '../core/model/errors';
import { startHost } from '../host/host-runtime';
import type { HealthServiceOptions } from '../host/health-service';
import type { HostCore, HostTransport } from '../host/types';
import { createEventHub, type EventHub } from './event-stream';
import { createLaunchKey, hostAllowed, keyMatches, originAllowed, presentedKey } from './guard';
import { SECURITY_HEADERS, serveStatic } from './static-files';

export interface WebHostOptions {
  core: HostCore;
  /** Folder with the built renderer (index.html, assets/). */
  staticDir: string;
  /** Preferred port; when busy, a free one is used. 0 picks a free port. */
  port: number;
  version: string;
  /** For tests; normally a fresh random key per launch. */
  key?: string;
  settingsNotice?: () => string | null;
  /** Largest accepted request body in bytes (default 2 MiB). */
  bodyLimitBytes?: number;
  /** Refresh scheduler timing (tests shorten it); default: the core's. */
  refresh?: { marginMs?: number; intervalMs?: number };
  /** Health check timing (PATCHBAY_HEALTH_INTERVAL_MS; tests inject a clock); default: the settings'. */
  health?: HealthServiceOptions;
  /** Longest time to receive one whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Longest time to receive a request's headers (default 10 s). */
  headersTimeoutMs?: number;
}

/** How long a client may take to send a request; a connect's wait for the user is not part of it. */
export interface WebHostLimits {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

export interface WebHost {
  /** The URL to open, key in the fragment so it stays out of logs and Referer. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly key: string;
  readonly events: EventHub;
  readonly limits: WebHostLimits;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' && port !== 0) resolve(listen(server, 0));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function forbidden(res: ServerResponse): void {
  res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('Forbidden');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Read a request body up to `limit` bytes; resolves null when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The web host's transport for the host layer: SSE to every open page, which opens links itself. */
function webTransport(events: EventHub): HostTransport {
  return {
    host: 'web',
    send: (event, payload) => events.send(event, payload),
    hasAudience: () => events.size > 0,
    pageOpensLinks: true,
  };
}

/**
 * Start the web host on 127.0.0.1.
 *
 * What every host does (refresh scheduler, batched list events, link policy) is the host layer's
 * (main/host); this file maps it to loopback HTTP and server-sent events.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const key = options.key ?? createLaunchKey();
  const limit = options.bodyLimitBytes ?? 2 * 1024 * 1024;
  const events = createEventHub();
  const host = startHost({
    core: options.core,
    transport: webTransport(events),
    version: options.version,
    embeddedAuth: false,
    settingsNotice: options.settingsNotice,
    ...(options.refresh ? { refresh: options.refresh } : {}),
    ...(options.health ? { health: options.health } : {}),
  });
  const handlers = host.handlers;

  let port = 0;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req, port)) return forbidden(res);
    if (!url.pathname.startsWith('/api/')) {
      if (!originAllowed(req, port, false)) return forbidden(res);
      return serveStatic(options.staticDir, req, res, url.pathname);
    }
    if (url.pathname === EVENTS_PATH && req.method === 'GET') {
      if (!originAllowed(req, port, false) || !keyMatches(presentedKey(req, url, 'events'), key)) return forbidden(res);
      return events.attach(res);
    }
    const channel = channelFromPath(url.pathname);
    if (
      req.method !== 'POST' ||
      !originAllowed(req, port, true) ||
      !keyMatches(presentedKey(req, url, 'invoke'), key)
    ) {
      return forbidden(res);
    }
    if (!channel || !isChannel(channel))
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'Unknown request.' } });
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return sendJson(res, 415, {
        ok: false,
        error: invalidInput('Content-Type', 'Send the arguments as application/json.').toBridge(),
      });
    }
    const body = await readBody(req, limit);
    if (body === null) {
      return sendJson(res, 413, { ok: false, error: invalidInput('body', 'The request is too large.').toBridge() });
    }
    let args: unknown;
    try {
      args = body.trim() === '' ? [] : JSON.parse(body);
    } catch {
      args = null;
    }
    if (!Array.isArray(args)) {
      return sendJson(res, 400, {
        ok: false,
        error: invalidInput('args', 'Send the arguments as a JSON array.').toBridge(),
      });
    }
    sendJson(res, 200, await invokeChannel(handlers, channel, args));
  }

  const limits: WebHostLimits = {
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
  };
  // Node's timeouts cover receiving the request only: a connect that then waits minutes for the
  // user to sign in is a complete request and is not cut. Without them anyone on the machine can
  // hold sockets open forever with a body sent one byte at a time. Node checks the timers every
  // connectionsCheckingInterval, so that interval follows the shorter limit.
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: Math.max(250, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4),
    },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent)
          sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Something went wrong.' } });
        else res.end();
      });
    },
  );
  port = await listen(server, options.port);
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#${KEY_FRAGMENT}=${key}`,
    origin,
    port,
    key,
    events,
    limits,
    async close() {
      await host.stop();
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
