/**
 * Locks down the session the main window uses (Electron's default session).
 *
 * The main window shows only the app's own files. Whatever a bug or an injected string might
 * try — a remote script, a camera prompt, a download — is refused here, at the session, so
 * no page-level mistake can open it up again.
 */
import type { App, Session } from 'electron';
import { isAppUrl } from './app-urls';

/** Remote schemes the main window never loads from (the core talks to providers, not the page). */
const REMOTE_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

/**
 * The one permission the app's own page gets: writing (sanitised) text to the clipboard, for the
 * "Copy diagnostics" button. Reading the clipboard stays denied, and no other page gets it.
 */
export function isAllowedPermission(
  permission: string,
  requestingUrl: string | undefined,
  isMainFrame: boolean,
): boolean {
  return permission === 'clipboard-sanitized-write' && isMainFrame && isAppUrl(requestingUrl ?? '');
}

/**
 * Apply the main-window session policy.
 *
 * - every permission request and check answers "no" (camera, notifications, openExternal, ...),
 *   except clipboard writes from the app's own page (isAllowedPermission);
 * - device pickers (HID, serial, USB, Bluetooth) grant nothing;
 * - downloads are cancelled;
 * - any http(s)/ws(s) request from a page in this session is cancelled (no remote content).
 *   The core's own requests use a session of their own (network.ts) and are not affected.
 */
export function hardenDefaultSession(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(isAllowedPermission(permission, details.requestingUrl, details.isMainFrame)),
  );
  ses.setPermissionCheckHandler((_webContents, permission, _origin, details) =>
    isAllowedPermission(permission, details.requestingUrl, details.isMainFrame),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-serial-port', (event, _ports, _webContents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('will-download', (event) => event.preventDefault());
  ses.webRequest.onBeforeRequest({ urls: REMOTE_URLS }, (_details, callback) => callback({ cancel: true }));
}

/**
 * A default for every web contents the app ever creates (security checklist items 12-14): no new
 * windows, no <webview>. The main and sign-in windows install their own, equally strict handlers
 * right after creation; this catches anything else (e.g. a future window someone forgets).
 */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
