/**
 * Health changes as desktop notifications, from the main process; a click opens that connection.
 *
 * Electron's rules this follows (electronjs.org/docs/latest/api/notification, docs/api/notification.md):
 * - `Notification.isSupported()`: "Whether or not desktop notifications are supported on the
 *   current system" — where it says no, nothing is shown and the header still says what needs you.
 * - `new Notification(...)` before ready throws "Cannot create Notification before app is ready"
 *   (shell/browser/api/electron_api_notification.cc `Notification::New`). The host layer starts
 *   in the `ready` callback (index.ts step 6), and the first alert comes after a check, later still.
 * - `notification.show()`: "Unlike the web notification API, instantiating a new Notification()
 *   does not immediately show it to the user."
 * - Event 'click': "Emitted when the notification is clicked by the user." The window comes to
 *   the front and the page gets `connections:open`, which opens that connection's details.
 * - Each notification is kept referenced until it is clicked or closed: `handleActivation` lists
 *   "Notification object was garbage collected" among the cases where its instance events no
 *   longer arrive, so an unreferenced one could lose its click.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { HealthAlert } from '../../preload/contract';
import { sendEvent } from './ipc';
import { bringToFront } from './single-instance';

/** Build the desktop notifier for the host transport; `window` is the main window or null. */
export function createDesktopNotifier(window: () => BrowserWindow | null): (alert: HealthAlert) => void {
  const live = new Set<Notification>();
  return (alert) => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: alert.title, body: alert.body });
    live.add(shown);
    const forget = () => void live.delete(shown);
    shown.on('click', () => {
      forget();
      // The app quits with its last window, so while it runs there is one to show.
      const win = window();
      if (!win || win.isDestroyed()) return;
      bringToFront(win);
      sendEvent(win, 'connections:open', { connectionId: alert.connectionId });
    });
    shown.on('close', forget);
    shown.show();
  };
}
