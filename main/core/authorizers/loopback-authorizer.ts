/**
 * The system-browser authorizer: a one-shot loopback listener (RFC 8252 §7.3).
 *
 * Listens on 127.0.0.1 only (never all interfaces), on the provider's fixed port when it matches
 * redirect URIs exactly, otherwise on a free one. The answer is the first request to exactly
 * /callback that carries `code` or `error` and this sign-in's own state. Anything on the machine
 * can reach the port, so a callback with another (or no) state gets an error page and the
 * listener keeps waiting for the real one, up to MAX_STRAY_CALLBACKS of them and never past the
 * flow's timeout. The browser gets a small page (callback-page.ts) that says what happened and
 * echoes nothing back; the listener closes on dispose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackOutcome, callbackPage } from './callback-page';
import { PatchbayError } from '../model/errors';
import type { Authorizer, PreparedRedirect } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

export interface LoopbackAuthorizerOptions {
  /** Show the authorization page (system browser, or a test's HTTP client). */
  openUrl: (url: URL) => Promise<void> | void;
  host?: '127.0.0.1';
}

const CALLBACK_PATH = '/callback';
/** Stray callbacks tolerated before the sign-in is given up as under attack. */
export const MAX_STRAY_CALLBACKS = 20;

/**
 * The loopback redirect URI for a port (`http://127.0.0.1:<port>/callback`), or the port-less
 * form shown when any free port will do (RFC 8252 §7.3 lets the provider ignore the port).
 * One function so every host shows and uses byte-for-byte the same URI.
 */
export function loopbackRedirectUri(port?: number, host = '127.0.0.1'): string {
  return port ? `http://${host}:${port}${CALLBACK_PATH}` : `http://${host}${CALLBACK_PATH}`;
}

const STRAY_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Patchbay</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 32rem; text-align: center">
<h1>Not the sign-in Patchbay is waiting for</h1><p>This answer did not match the sign-in Patchbay started, so it was
ignored for your safety. If you are signing in, finish it in the tab Patchbay opened.</p></body></html>`;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  connection: 'close',
} as const;

function strayError(def: ProviderDefinition, count: number): PatchbayError {
  return new PatchbayError(
    'state_mismatch',
    `The sign-in to ${def.name} did not finish: Patchbay ignored ${count} answer${count === 1 ? '' : 's'} that did not match the sign-in it started, for your safety. {connect} to try again.`,
  );
}

/** Create the loopback authorizer for hosts that use the system browser. */
export function createLoopbackAuthorizer(options: LoopbackAuthorizerOptions): Authorizer {
  const host = options.host ?? '127.0.0.1';
  return {
    mode: 'browser',
    describeRedirectUri: (def: ProviderDefinition): string => loopbackRedirectUri(def.loopbackPort, host),
    prepare: (def) => prepareLoopback(def, host, options.openUrl),
  };
}

async function prepareLoopback(
  def: ProviderDefinition,
  host: string,
  openUrl: LoopbackAuthorizerOptions['openUrl'],
): Promise<PreparedRedirect> {
  let received: URL | null = null;
  let notify: ((url: URL) => void) | null = null;
  let giveUp: ((error: PatchbayError) => void) | null = null;
  /** This sign-in's state, known once authorize() gets the authorization URL. */
  let expectedState: string | null = null;
  let strays = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const isAnswer =
      req.method === 'GET' &&
      url.pathname === CALLBACK_PATH &&
      (url.searchParams.has('code') || url.searchParams.has('error'));
    if (!isAnswer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Not found');
      return;
    }
    const states = url.searchParams.getAll('state');
    const ours = expectedState !== null && states.length === 1 && states[0] === expectedState;
    if (!ours && !received) {
      strays += 1;
      res.writeHead(400, PAGE_HEADERS).end(STRAY_PAGE);
      if (strays >= MAX_STRAY_CALLBACKS) giveUp?.(strayError(def, strays));
      return;
    }
    res.writeHead(200, PAGE_HEADERS).end(callbackPage(callbackOutcome(url.searchParams), def.name));
    if (received) return;
    received = new URL(`${redirectUri}${url.search}`);
    notify?.(received);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new PatchbayError(
            'busy',
            `Port ${def.loopbackPort} on this computer is in use, and ${def.name} only accepts sign-ins that come back to that port. Close the program using it (or another Patchbay sign-in) and try again.`,
            { cause: error },
          ),
        );
      } else {
        reject(
          new PatchbayError(
            'internal',
            'Patchbay could not listen for the sign-in answer on this computer. Try again.',
            { cause: error },
          ),
        );
      }
    });
    server.listen(def.loopbackPort ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = loopbackRedirectUri(port, host);

  return {
    redirectUri,
    authorize(authorizationUrl: URL, signal: AbortSignal): Promise<URL> {
      expectedState = authorizationUrl.searchParams.get('state');
      return new Promise<URL>((resolve, reject) => {
        const onAbort = (): void => {
          const reason: unknown = signal.reason;
          // Timing out after ignoring forged answers is reported as what it is, not as a slow user.
          if (strays > 0 && reason instanceof PatchbayError && reason.code === 'timeout')
            return reject(strayError(def, strays));
          reject(
            reason instanceof PatchbayError
              ? reason
              : new PatchbayError('cancelled', `The sign-in to ${def.name} was cancelled. Nothing was connected.`),
          );
        };
        giveUp = (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        notify = (url) => {
          signal.removeEventListener('abort', onAbort);
          resolve(url);
        };
        if (received) return notify(received);
        // If no browser can be opened, the URL is still shown (flow event / CLI), so keep waiting.
        Promise.resolve()
          .then(() => openUrl(authorizationUrl))
          .catch(() => undefined);
      });
    },
    async dispose(): Promise<void> {
      notify = null;
      giveUp = null;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
