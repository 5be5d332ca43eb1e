/**
 * Builders for the hardened options of Patchbay's two kinds of window.
 *
 * Pure data, unit-tested, so that a weakened flag shows up as a failing test rather than a
 * review comment. Each option carries the reason it is set; see Electron's security checklist
 * (docs/tutorial/security.md) for the background.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The privileged scheme the renderer is served from (security checklist item 18: no file://). */
export const APP_SCHEME = 'app';
/** Host part of the app's own origin; the page URL is `app://patchbay/index.html`. */
export const APP_HOST = 'patchbay';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Options every Patchbay page shares, main window or sign-in window. */
function hardenedPreferences(): WebPreferences {
  return {
    // The page's JavaScript and the preload run in separate worlds; the page sees only window.patchbay.
    contextIsolation: true,
    // Chromium's OS-level sandbox for the renderer; the preload gets only a small, safe API set.
    sandbox: true,
    // No require()/process in the page, nor in sub-frames or workers.
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    // Same-origin policy and CORS stay on.
    webSecurity: true,
    // No http:// scripts or styles inside an https:// page.
    allowRunningInsecureContent: false,
    // No experimental or extra Blink features.
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click (auxclick) cannot open new windows either.
    disableBlinkFeatures: 'Auxclick',
    // No <webview> tags: they would be a second, less controlled browser inside the page.
    webviewTag: false,
    // A page cannot read the clipboard or drag files in unasked; spellcheck talks to no service.
    spellcheck: false,
    navigateOnDragDrop: false,
    // Autoplay needs a click, and no plugins.
    autoplayPolicy: 'user-gesture-required',
    plugins: false,
  };
}

/**
 * The main window: the app's own React page with the preload bridge.
 *
 * `preload` is the one bundled CommonJS file; `partition` is left to the default session, which
 * serves `app://` and denies every permission (main-window.ts).
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    title: 'Patchbay',
    // Shown on 'ready-to-show' to avoid a white flash; nothing else depends on it.
    show: false,
    webPreferences: { ...hardenedPreferences(), preload: preloadPath },
  };
}

/**
 * A fresh, in-memory session partition name for one sign-in attempt.
 *
 * No `persist:` prefix, so cookies and storage of the provider's sign-in page live in memory and
 * vanish with the attempt: a second attempt never reuses an earlier login by accident.
 */
export function authPartitionName(attemptId: string): string {
  if (!/^[A-Za-z0-9-]{8,64}$/.test(attemptId)) throw new Error('attempt ids are 8-64 letters, digits or dashes');
  return `patchbay-auth-${attemptId}`;
}

/**
 * The sign-in window for one attempt: a remote provider page, so it gets no preload at all,
 * its own throwaway session, and the same sandboxing as the app.
 */
export function authWindowOptions(partition: string, title: string): BrowserWindowConstructorOptions {
  if (partition.startsWith('persist:')) throw new Error('the sign-in window must use an in-memory partition');
  return {
    width: 520,
    height: 720,
    title,
    show: false,
    // Modal-free on purpose: the user may switch back to the app and press Cancel.
    autoHideMenuBar: true,
    webPreferences: {
      ...hardenedPreferences(),
      // No preload: the provider's page gets no bridge to Patchbay.
      partition,
      // Keep the provider's page responsive while the app window has focus.
      backgroundThrottling: false,
    },
  };
}

/**
 * Content-Security-Policy sent with every app:// response.
 *
 * Scripts and styles only from the app itself (no inline script or style, no eval); no network
 * access from the page at all (the bridge is IPC); no frames, objects, forms or <base> tricks.
 * The built index.html also carries the renderer's own <meta> CSP (vite.config.ts); the browser
 * enforces both, so this header can only narrow it (e.g. connect-src 'none' here).
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'none'",
  ].join('; ');
}
