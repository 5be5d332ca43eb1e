/**
 * The embedded authorizer: the provider's sign-in page in a window of its own (docs/architecture.md, the connect path).
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
import { BrowserWindow, dialog, session, type Session } from 'electron';
import type { ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../core/model/errors';
import type { Authorizer, PreparedRedirect } from '../core/model/types';
import { redirectUriFor } from '../host/redirect-policy';
import type { BrowserFallback } from './browser-authorizer';
import { DEEP_LINK_CALLBACK } from './deep-link';
import { classifyNavigation, parseRedirectUri, schemeOf, type RedirectTarget } from './redirect-match';
import { authPartitionName, authWindowOptions } from './window-options';

/** The embedded authorizer, plus a way to bring an open sign-in window to the front. */
export interface EmbeddedAuthorizer extends Authorizer {
  /** Focus the sign-in window showing `authorizationUrl`; false when there is none. */
  focusSignIn(authorizationUrl: string): boolean;
  /**
   * "Use my browser instead", from the main window: continue the provider's open sign-in (same
   * state, same PKCE verifier) in the system browser and close its window. True when switched.
   * Throws PatchbayError not_found when no sign-in window is open for it, and invalid_input
   * (field "mode") when the browser could not hand this attempt back to this app.
   */
  useBrowser(providerId: string): Promise<boolean>;
}

export interface EmbeddedAuthorizerOptions {
  /** The main window, so the sign-in window opens over it. */
  parent: () => BrowserWindow | null;
  /** "Use my browser instead": continues the same attempt in the system browser when it can. */
  fallback?: BrowserFallback;
  /** Runs on each attempt's fresh session before the page loads: gives it the app's proxy (network.ts). */
  prepareSession?: (ses: Session) => Promise<void>;
}

/** Chromium's net::ERR_ABORTED: what our own preventDefault produces. Not a failure. */
const ERR_ABORTED = -3;

const cancelled = () =>
  new PatchbayError(
    'cancelled',
    'The sign-in window was closed, so nothing was connected. Press Connect to try again.',
  );

const cannotSwitch = () =>
  new PatchbayError(
    'invalid_input',
    'Your web browser cannot hand this sign-in back to this copy of Patchbay (its patchbay: links are not registered on this computer; the installed app registers them). Finish signing in in the Patchbay sign-in window, or press Cancel.',
    { field: 'mode' },
  );

/**
 * The redirect URI the auth window waits for: the provider's fixed one (its own, or its fixed
 * loopback port, the same as the web host shows), else the app's scheme.
 */
export function embeddedRedirectUri(provider: ProviderDefinition): string {
  return redirectUriFor(provider, DEEP_LINK_CALLBACK);
}

/** One sign-in window: shows the page, settles once with the callback URL or an error. */
class SignInAttempt {
  readonly done: Promise<URL>;
  private settle!: (error: PatchbayError | null, url?: URL) => void;
  private settled = false;
  private handedToBrowser = false;
  private readonly ses: Session;
  private readonly scheme: string;
  readonly win: BrowserWindow;

  constructor(
    private readonly options: EmbeddedAuthorizerOptions,
    readonly provider: ProviderDefinition,
    private readonly target: RedirectTarget,
    private readonly authorizationUrl: URL,
    private readonly signal: AbortSignal,
    title: string,
  ) {
    this.done = new Promise<URL>((resolve, reject) => {
      this.settle = (error, url) => (error ? reject(error) : resolve(url as URL));
    });
    const partition = authPartitionName(randomUUID());
    // In-memory and uncached: nothing of the provider's page outlives the attempt.
    this.ses = session.fromPartition(partition, { cache: false });
    this.scheme = schemeOf(target.redirectUri);
    const base = authWindowOptions(partition, title);
    // Restated at the constructor so reviewers and static checks see them (see window-options.ts).
    this.win = new BrowserWindow({
      ...base,
      parent: options.parent() ?? undefined,
      webPreferences: {
        ...base.webPreferences,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        disableBlinkFeatures: 'Auxclick',
      },
    });
  }

  start(): Promise<URL> {
    if (this.signal.aborted) {
      this.finish(cancelled());
      return this.done;
    }
    this.signal.addEventListener('abort', this.onAbort, { once: true });
    this.guardSession();
    this.guardContents();
    // No window menu: "Use my browser instead" is a button in the main window on every OS.
    // Electron's docs (docs/api/browser-window.md, win.setMenu): "Sets the menu as the window's
    // menu bar" — platform linux, win32 only; and autoHideMenuBar: "Auto hide the menu bar unless
    // the Alt key is pressed". A menu item is absent on macOS and hidden elsewhere.
    this.win.on('closed', () => {
      if (!this.handedToBrowser) this.finish(cancelled());
    });
    this.win.once('ready-to-show', () => this.win.show());
    // The sign-in page goes through the same proxy as the core's requests; a failure to set it
    // still loads the page (with the system's settings) rather than leaving an empty window.
    const prepared = this.options.prepareSession?.(this.ses).catch(() => undefined) ?? Promise.resolve();
    void prepared
      .then(() => (this.settled ? undefined : this.win.loadURL(this.authorizationUrl.href)))
      .catch(() => undefined);
    return this.done;
  }

  private readonly onAbort = () => this.finish(cancelled());

  /** True when `url` ends the attempt; the caller then keeps it from loading. */
  private catchUrl(url: string): boolean {
    const verdict = classifyNavigation(url, this.target);
    if (verdict.kind === 'continue') return false;
    // Settle after the current event handler has returned (and prevented the load).
    setImmediate(() => this.finish(null, verdict.url));
    return true;
  }

  private guardSession(): void {
    // Deny every permission, including 'openExternal' (launching another app for a link).
    this.ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    this.ses.setPermissionCheckHandler(() => false);
    this.ses.on('will-download', (event) => event.preventDefault());
    // Last nets: a load of the redirect URI that slipped past the navigation events.
    if (this.scheme === 'http' || this.scheme === 'https') {
      this.ses.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (details, callback) => {
        const isFrame = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
        callback({ cancel: isFrame && this.catchUrl(details.url) });
      });
    } else {
      this.ses.protocol.handle(this.scheme, (request) => {
        this.catchUrl(request.url);
        return new Response('', { status: 204 });
      });
    }
  }

  private guardContents(): void {
    const wc = this.win.webContents;
    const guard = (event: { url: string; preventDefault(): void }) => {
      if (this.catchUrl(event.url)) event.preventDefault();
    };
    // The provider's page opens no windows and attaches no <webview>.
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', (event) => event.preventDefault());
    // The three ways Chromium announces the redirect URI: catch it and keep it from loading.
    wc.on('will-redirect', guard);
    wc.on('will-navigate', guard);
    wc.on('will-frame-navigate', guard);
    wc.on('did-fail-load', (_event, code, _description, _url, isMainFrame) => {
      if (isMainFrame && code !== ERR_ABORTED && !this.settled) void this.offerBrowserAfterFailure();
    });
  }

  /** True when the system browser can hand this attempt's redirect back to this app. */
  canUseBrowser(): boolean {
    return this.options.fallback?.canReturn(this.target.redirectUri) ?? false;
  }

  /**
   * "Use my browser instead": the same attempt (same state, same PKCE verifier) continues in
   * the system browser and the window closes without cancelling the flow.
   */
  handToBrowser(): void {
    const fallback = this.options.fallback;
    if (!fallback || !this.canUseBrowser()) throw cannotSwitch();
    if (this.settled || this.handedToBrowser) return;
    this.handedToBrowser = true;
    if (!this.win.isDestroyed()) this.win.destroy();
    fallback.run(this.authorizationUrl, this.signal, this.provider).then(
      (url) => this.finish(null, url),
      (error: unknown) => this.finish(error instanceof PatchbayError ? error : cancelled()),
    );
  }

  /** The page could not load here: offer the browser in a dialog over the sign-in window. */
  private async offerBrowserAfterFailure(): Promise<void> {
    const canSwitch = this.canUseBrowser();
    const detail = canSwitch
      ? 'Patchbay can open this sign-in page in your web browser instead; it will come back here when you are done.'
      : 'Your web browser cannot hand the sign-in back to this copy of Patchbay (its patchbay: links are not registered here; the installed app registers them). Close this window to cancel.';
    const buttons = canSwitch ? ['Use my browser instead', 'Stay here'] : ['OK'];
    const { response } = await dialog.showMessageBox(this.win, {
      type: 'question',
      message: 'The sign-in page could not be shown here.',
      detail,
      buttons,
      cancelId: buttons.length - 1,
    });
    if (canSwitch && response === 0 && !this.settled) this.handToBrowser();
  }

  private finish(error: PatchbayError | null, url?: URL): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.removeEventListener('abort', this.onAbort);
    if (!this.win.isDestroyed()) this.win.destroy();
    if (this.scheme !== 'http' && this.scheme !== 'https' && this.ses.protocol.isProtocolHandled(this.scheme)) {
      this.ses.protocol.unhandle(this.scheme);
    }
    this.ses.webRequest.onBeforeRequest(null);
    this.ses.clearStorageData().catch(() => undefined);
    this.settle(error, url);
  }
}

/**
 * Build the 'embedded' authorizer.
 *
 * prepare() checks the redirect URI once; dispose() closes a window still open.
 */
export function createEmbeddedAuthorizer(options: EmbeddedAuthorizerOptions): EmbeddedAuthorizer {
  const open = new Map<string, SignInAttempt>();
  const byProvider = (providerId: string) =>
    [...open.values()].find((attempt) => attempt.provider.id === providerId && !attempt.win.isDestroyed());
  return {
    mode: 'embedded',
    describeRedirectUri: embeddedRedirectUri,
    focusSignIn: (authorizationUrl) => {
      const attempt = open.get(authorizationUrl);
      if (!attempt || attempt.win.isDestroyed()) return false;
      attempt.win.show();
      attempt.win.focus();
      return true;
    },
    useBrowser: async (providerId) => {
      const attempt = byProvider(providerId);
      if (!attempt)
        throw new PatchbayError(
          'not_found',
          'No sign-in window is open for this provider. Press Connect to start one.',
        );
      attempt.handToBrowser();
      return true;
    },
    prepare: async (provider): Promise<PreparedRedirect> => {
      const redirectUri = embeddedRedirectUri(provider);
      parseRedirectUri(redirectUri);
      const target: RedirectTarget = {
        redirectUri,
        ...(provider.errorPageUrl ? { errorPageUrl: provider.errorPageUrl } : {}),
      };
      const controller = new AbortController();
      return {
        redirectUri,
        authorize: (authorizationUrl, signal) => {
          if (signal.aborted || controller.signal.aborted) return Promise.reject(cancelled());
          const attempt = new SignInAttempt(
            options,
            provider,
            target,
            authorizationUrl,
            AbortSignal.any([signal, controller.signal]),
            `Sign in to ${provider.name}`,
          );
          open.set(authorizationUrl.href, attempt);
          return attempt.start().finally(() => open.delete(authorizationUrl.href));
        },
        dispose: async () => controller.abort(),
      };
    },
  };
}
