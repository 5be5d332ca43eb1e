/**
 * Locks down the session the main window uses (Electron's default session).
 *
 * The main window shows only the app's own files. Whatever a bug or an injected string might
 * try — a remote script, a camera prompt, a download — is refused here, at the session, so
 * no page-level mistake can open it up again.
 */
import type { Session } from 'electron';

/** Remote schemes the main window never loads from (the core talks to providers, not the page). */
const REMOTE_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

/**
 * Apply the main-window session policy.
 *
 * - every permission request and check answers "no" (camera, notifications, openExternal, ...);
 * - device pickers (HID, serial, USB, Bluetooth) grant nothing;
 * - downloads are cancelled;
 * - any http(s)/ws(s) request from a page in this session is cancelled (no remote content).
 *   The core's own HTTP uses Node's fetch in the main process and is not affected.
 */
export function hardenDefaultSession(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
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
