/**
 * The system-browser authorizer: a one-shot loopback listener (RFC 8252 §7.3).
 *
 * Listens on 127.0.0.1 only (never all interfaces), on the provider's fixed port when it matches
 * redirect URIs exactly, otherwise on a free one. The first request to exactly /callback that
 * carries `code` or `error` is the answer; the browser gets a small page that echoes nothing
 * back, and the listener closes on dispose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PatchbayError } from '../model/errors';
import type { Authorizer, PreparedRedirect } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

export interface LoopbackAuthorizerOptions {
  /** Show the authorization page (system browser, or a test's HTTP client). */
  openUrl: (url: URL) => Promise<void> | void;
  host?: '127.0.0.1';
}

const CALLBACK_PATH = '/callback';

// color-scheme lets the browser draw the page in its dark colours when the person prefers dark;
// the one <main> landmark lets screen readers jump to the message.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Patchbay</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"></head>
<body style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 32rem; text-align: center">
<main><h1>Back to Patchbay</h1><p>You can close this tab and go back to Patchbay.</p></main></body></html>`;

/** Create the loopback authorizer for hosts that use the system browser. */
export function createLoopbackAuthorizer(options: LoopbackAuthorizerOptions): Authorizer {
  const host = options.host ?? '127.0.0.1';
  return {
    mode: 'browser',
    describeRedirectUri(def: ProviderDefinition): string {
      return def.loopbackPort ? `http://${host}:${def.loopbackPort}${CALLBACK_PATH}` : `http://${host}${CALLBACK_PATH}`;
    },
    prepare: (def) => prepareLoopback(def, host, options.openUrl),
  };
}

async function prepareLoopback(def: ProviderDefinition, host: string, openUrl: LoopbackAuthorizerOptions['openUrl']): Promise<PreparedRedirect> {
  let received: URL | null = null;
  let notify: ((url: URL) => void) | null = null;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const isAnswer = req.method === 'GET' && url.pathname === CALLBACK_PATH && (url.searchParams.has('code') || url.searchParams.has('error'));
    if (!isAnswer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      connection: 'close',
    }).end(PAGE);
    if (received) return;
    received = new URL(`${redirectUri}${url.search}`);
    notify?.(received);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PatchbayError('busy',
          `Port ${def.loopbackPort} on this computer is in use, and ${def.name} only accepts sign-ins that come back to that port. Close the program using it (or another Patchbay sign-in) and try again.`,
          { cause: error }));
      } else {
        reject(new PatchbayError('internal', 'Patchbay could not listen for the sign-in answer on this computer. Try again.', { cause: error }));
      }
    });
    server.listen(def.loopbackPort ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://${host}:${port}${CALLBACK_PATH}`;

  return {
    redirectUri,
    authorize(authorizationUrl: URL, signal: AbortSignal): Promise<URL> {
      return new Promise<URL>((resolve, reject) => {
        const onAbort = (): void => {
          const reason: unknown = signal.reason;
          reject(reason instanceof PatchbayError ? reason
            : new PatchbayError('cancelled', `The sign-in to ${def.name} was cancelled. Nothing was connected.`));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        notify = (url) => {
          signal.removeEventListener('abort', onAbort);
          resolve(url);
        };
        if (received) return notify(received);
        // If no browser can be opened, the URL is still shown (flow event / CLI), so keep waiting.
        Promise.resolve().then(() => openUrl(authorizationUrl)).catch(() => undefined);
      });
    },
    async dispose(): Promise<void> {
      notify = null;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
