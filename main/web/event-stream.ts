/**
 * Server-Sent Events for the web host: the same events Electron sends over IPC.
 *
 * SSE is one long GET the browser reconnects by itself, needs no library, and lets the launch key
 * travel in the query (EventSource cannot set headers). Each event is `event: <name>` plus one
 * JSON `data:` line; a comment every 15 s keeps proxies and idle timers from closing the stream.
 */
import type { ServerResponse } from 'node:http';
import type { EventName, PatchbayEvents } from '../../preload/contract';

/** Fan-out of bridge events to every open page. */
export interface EventHub {
  /** Attach a response as an event stream; it is detached when the client goes away. */
  attach(res: ServerResponse): void;
  send<E extends EventName>(event: E, payload: PatchbayEvents[E]): void;
  /** Number of open streams (tests and shutdown). */
  readonly size: number;
  close(): void;
}

/** Create the hub; `keepAliveMs` is exposed for tests. */
export function createEventHub(keepAliveMs = 15_000): EventHub {
  const clients = new Set<ServerResponse>();
  const timer = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, keepAliveMs);
  timer.unref();

  return {
    attach(res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
      // Tell the browser how long to wait before reconnecting, and flush the headers now.
      res.write('retry: 1000\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    send(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of clients) res.write(frame);
    },
    get size() {
      return clients.size;
    },
    close() {
      clearInterval(timer);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
