/**
 * A loopback "who am I" server that watches how it is called: every request's arrival time and
 * API key, the requests in flight and their peak. Each answer comes from a script the test sets
 * (`answer`), which may hold a request back (a promise) to shape a wave of requests.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  key: string;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CheckServer {
  base: string;
  hits: Hit[];
  inFlight: number;
  peak: number;
  /** The script: the answer to the n-th request (0-based) carrying `key`. */
  answer: (key: string, n: number, req: IncomingMessage) => Answer | Promise<Answer>;
  /** How long every answer takes (ms). */
  latencyMs: number;
  /** Forget hits and the peak (after seeding connections, which test each key once). */
  reset(): void;
  close(): Promise<void>;
}

/** A provider definition (API key in `Authorization: Token …`) whose test URL is this server. */
export function checkProvider(server: CheckServer, id = 'acme-check'): Record<string, unknown> {
  return {
    id,
    name: 'Acme Check',
    auth: 'apiKey',
    apiKeyHeader: 'Authorization',
    apiKeyPrefix: 'Token ',
    testUrl: `${server.base}/me`,
    labelPath: 'name',
  };
}

/** Start the server; by default every key works and is named "Account <key>". */
export async function startCheckServer(): Promise<CheckServer> {
  const perKey = new Map<string, number>();
  const state: CheckServer = {
    base: '',
    hits: [],
    inFlight: 0,
    peak: 0,
    latencyMs: 0,
    answer: (key) => ({ status: 200, body: { name: `Account ${key.split('-')[0]}` } }),
    reset() {
      state.hits = [];
      state.peak = state.inFlight;
      perKey.clear();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Token /, '');
    state.hits.push({ key, at: Date.now() });
    state.inFlight += 1;
    state.peak = Math.max(state.peak, state.inFlight);
    const n = perKey.get(key) ?? 0;
    perKey.set(key, n + 1);
    void (async () => {
      const answer = await state.answer(key, n, req);
      if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
      state.inFlight -= 1;
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(JSON.stringify(answer.body ?? {}));
    })();
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
