/**
 * The embedded authorizer: the provider's sign-in page in a window of its own (DESIGN.md, step 2).
 *
 * Every attempt gets a fresh in-memory session, no preload and every permission denied — which
 * includes `openExternal`, so the page cannot launch other apps. The first navigation or
 * redirect to the redirect URI is caught in will-redirect / will-navigate / will-frame-navigate
 * and never loaded; as last nets, `ses.protocol.handle(scheme)` catches a custom-scheme load and
 * `webRequest.onBeforeRequest` an http(s) one. Because nothing is loaded, the redirect URI may be
 * the custom scheme, a loopback URL or a registered HTTPS URL. The decisions themselves are pure
 * functions in redirect-match.ts; this file is wiring.
 */
import { randomUUID } from 'node:crypto';
import { BrowserWindow, Menu, dialog, session } from 'electron';
import type { ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../core/errors';
import type { Authorizer, PreparedRedirect } from '../core/types';
import type { BrowserFallback } from './browser-authorizer';
import { DEEP_LINK_CALLBACK } from './deep-link';
import { classifyNavigation, parseRedirectUri, schemeOf, type RedirectTarget } from './redirect-match';
import { authPartitionName, authWindowOptions } from './window-options';

/** The embedded authorizer, plus a way to bring an open sign-in window to the front. */
export interface EmbeddedAuthorizer extends Authorizer {
  /** Focus the sign-in window showing `authorizationUrl`; false when there is none. */
  focusSignIn(authorizationUrl: string): boolean;
}

export interface EmbeddedAuthorizerOptions {
  /** The main window, so the sign-in window opens over it. */
  parent: () => BrowserWindow | null;
  /** "Use my browser instead": continues the same attempt in the system browser when it can. */
  fallback?: BrowserFallback;
}

/** Chromium's net::ERR_ABORTED: what our own preventDefault produces. Not a failure. */
const ERR_ABORTED = -3;

const cancelled = () => new PatchbayError('cancelled', 'The sign-in window was closed, so nothing was connected. Press Connect to try again.');

/** The redirect URI the auth window waits for: the provider's fixed one, or the app's scheme. */
export function embeddedRedirectUri(provider: ProviderDefinition): string {
  return provider.redirectUri ?? DEEP_LINK_CALLBACK;
}

/** Show one sign-in page and settle with the callback (or error page) URL. */
function runAttempt(options: EmbeddedAuthorizerOptions, open: Map<string, BrowserWindow>, provider: ProviderDefinition, target: RedirectTarget, authorizationUrl: URL, signal: AbortSignal): Promise<URL> {
  return new Promise<URL>((resolve, reject) => {
    if (signal.aborted) return reject(cancelled());
    const partition = authPartitionName(randomUUID());
    // In-memory and uncached: nothing of the provider's page outlives the attempt.
    const ses = session.fromPartition(partition, { cache: false });
    const scheme = schemeOf(target.redirectUri);
    let settled = false;
    let handedToBrowser = false;

    const base = authWindowOptions(partition, `Sign in to ${provider.name}`);
    // Restated at the constructor so reviewers and static checks see them (see window-options.ts).
    const win = new BrowserWindow({
      ...base,
      parent: options.parent() ?? undefined,
      webPreferences: { ...base.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
    });
    open.set(authorizationUrl.href, win);
    const finish = (error: PatchbayError | null, url?: URL) => {
      if (settled) return;
      settled = true;
      open.delete(authorizationUrl.href);
      signal.removeEventListener('abort', onAbort);
      if (!win.isDestroyed()) win.destroy();
      void cleanSession();
      if (error) reject(error);
      else if (url) resolve(url);
    };
    const cleanSession = async () => {
      if (scheme !== 'http' && scheme !== 'https' && ses.protocol.isProtocolHandled(scheme)) ses.protocol.unhandle(scheme);
      ses.webRequest.onBeforeRequest(null);
      await ses.clearStorageData().catch(() => undefined);
    };
    /** True when `url` ends the attempt; the caller then keeps it from loading. */
    const catchUrl = (url: string): boolean => {
      const verdict = classifyNavigation(url, target);
      if (verdict.kind === 'continue') return false;
      // Settle after the current event handler has returned (and prevented the load).
      setImmediate(() => finish(null, verdict.url));
      return true;
    };
    const guard = (event: { url: string; preventDefault(): void }) => {
      if (catchUrl(event.url)) event.preventDefault();
    };
    const onAbort = () => finish(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });

    // Deny every permission, including 'openExternal' (launching another app for a link).
    ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.on('will-download', (event) => event.preventDefault());
    // Last nets: a load of the redirect URI that slipped past the navigation events.
    if (scheme === 'http' || scheme === 'https') {
      ses.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (details, callback) => {
        const isFrame = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
        callback({ cancel: isFrame && catchUrl(details.url) });
      });
    } else {
      ses.protocol.handle(scheme, (request) => {
        catchUrl(request.url);
        return new Response('', { status: 204 });
      });
    }

    const wc = win.webContents;
    // The provider's page opens no windows and attaches no <webview>.
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', (event) => event.preventDefault());
    // The three ways the browser announces the redirect URI: catch it and keep it from loading.
    wc.on('will-redirect', guard);
    wc.on('will-navigate', guard);
    wc.on('will-frame-navigate', guard);
    wc.on('did-fail-load', (_event, code, _description, _url, isMainFrame) => {
      if (isMainFrame && code !== ERR_ABORTED && !settled) void offerBrowser(true);
    });

    const offerBrowser = async (afterFailure: boolean) => {
      const canSwitch = options.fallback?.canReturn(target.redirectUri) ?? false;
      const detail = canSwitch
        ? 'Patchbay can open this sign-in page in your web browser instead; it will come back here when you are done.'
        : 'Close this window and choose "Use my browser" for this provider in Patchbay.';
      const message = afterFailure ? 'The sign-in page could not be shown here.' : 'Continue in your web browser?';
      const { response } = await dialog.showMessageBox(win, { type: 'question', message, detail, buttons: canSwitch ? ['Use my browser instead', 'Stay here'] : ['OK'], cancelId: canSwitch ? 1 : 0 });
      if (!canSwitch || response !== 0 || settled || !options.fallback) return;
      handedToBrowser = true;
      if (!win.isDestroyed()) win.destroy();
      options.fallback.run(authorizationUrl, signal).then((url) => finish(null, url), (error: unknown) => finish(error instanceof PatchbayError ? error : cancelled()));
    };
    // A window menu (Windows/Linux) so the switch is there even when the page loads but refuses to work.
    win.setMenu(Menu.buildFromTemplate([{ label: 'Use my browser instead', click: () => void offerBrowser(false) }]));
    win.on('closed', () => {
      if (!handedToBrowser) finish(cancelled());
    });
    win.once('ready-to-show', () => win.show());
    win.loadURL(authorizationUrl.href).catch(() => undefined);
  });
}

/**
 * Build the 'embedded' authorizer.
 *
 * prepare() checks the redirect URI once; authorize() may be called once per prepared redirect.
 */
export function createEmbeddedAuthorizer(options: EmbeddedAuthorizerOptions): EmbeddedAuthorizer {
  const open = new Map<string, BrowserWindow>();
  return {
    mode: 'embedded',
    focusSignIn: (authorizationUrl) => {
      const win = open.get(authorizationUrl);
      if (!win || win.isDestroyed()) return false;
      win.show();
      win.focus();
      return true;
    },
    describeRedirectUri: embeddedRedirectUri,
    prepare: async (provider): Promise<PreparedRedirect> => {
      const redirectUri = embeddedRedirectUri(provider);
      parseRedirectUri(redirectUri);
      const target: RedirectTarget = { redirectUri, ...(provider.errorPageUrl ? { errorPageUrl: provider.errorPageUrl } : {}) };
      const controller = new AbortController();
      return {
        redirectUri,
        authorize: (authorizationUrl, signal) =>
          runAttempt(options, open, provider, target, authorizationUrl, AbortSignal.any([signal, controller.signal])),
        dispose: async () => controller.abort(),
      };
    },
  };
}
