/**
 * The main window: Patchbay's React page, hardened, with the preload bridge.
 *
 * The page may never leave `app://patchbay`: new windows are denied, navigations to any other
 * origin are cancelled, and the only way out is a provider's documentation link, opened in the
 * system browser after it passed the host layer's link policy (main/host/link-policy.ts).
 */
import { BrowserWindow } from 'electron';
import { isAppUrl } from './app-urls';
import { APP_ENTRY_URL, mainWindowOptions } from './window-options';

export interface MainWindowOptions {
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** The host layer's link decision (opens allowed links in the system browser). */
  openLink: (url: string) => unknown;
  /** "Open the sign-in page" links: bring that attempt's sign-in window forward (auth-window.ts). */
  focusSignIn?: (url: string) => boolean;
}

/**
 * A link the page tried to leave by: an open sign-in attempt's page is focused (never loaded
 * here); anything else goes to the link policy, which opens only allowed documentation links.
 */
function followLink(url: string, options: MainWindowOptions): void {
  if (options.focusSignIn?.(url)) return;
  options.openLink(url);
}

/**
 * Create the main window and load the app page.
 *
 * Every navigation guard is installed before the first load, so no event can slip in between.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const base = mainWindowOptions(options.preloadPath);
  // The four flags that matter most are restated where the window is born, so a reviewer (and
  // Electronegativity's static checks) see them without following the builder.
  const win = new BrowserWindow({
    ...base,
    webPreferences: {
      ...base.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const wc = win.webContents;

  // window.open / target=_blank: never a new Electron window; docs links go to the browser.
  wc.setWindowOpenHandler(({ url }) => {
    followLink(url, options);
    return { action: 'deny' };
  });

  // Same-window navigation away from the app (a link, location.href = ...): cancelled.
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    followLink(event.url, options);
  };
  wc.on('will-navigate', stayInApp);
  wc.on('will-frame-navigate', stayInApp);
  wc.on('will-redirect', stayInApp);

  // No <webview> may be attached (webviewTag is off too; this is the second lock).
  wc.on('will-attach-webview', (event) => event.preventDefault());

  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    console.error('Patchbay could not load its window:', error instanceof Error ? error.message : error);
  });
  return win;
}
