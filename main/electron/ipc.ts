/**
 * The main-process half of the bridge: one typed `handle` per contract channel, one typed sender.
 *
 * The only file (with preload/index.ts) allowed to touch ipcMain (lint enforces it). Handlers
 * are generated from CHANNELS, so a channel cannot be forgotten; each first checks that the
 * message comes from the main window's top frame showing the app's own page (GitHub Desktop's
 * trusted-sender idea), then hands the untrusted arguments to the bridge handler, which
 * validates them with zod and always returns a Result.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Channel, type EventName, type PatchbayEvents, type Result } from '../../preload/contract';
import type { BridgeHandlers } from '../core/facade/bridge';
import { PatchbayError } from '../core/model/errors';
import { isAppUrl } from './app-urls';

/** What the sender check reads of an IPC event. */
export type SenderInfo = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/**
 * True only for the main window's own top-level frame showing an app:// page.
 *
 * Refuses sub-frames, other windows (the auth window has no preload, but defence in depth),
 * destroyed frames and any page that somehow navigated elsewhere.
 */
export function isTrustedSender(win: BrowserWindow | null, event: SenderInfo): boolean {
  if (!win || win.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || frame.detached || frame.parent !== null) return false;
  if (event.sender !== win.webContents) return false;
  const top = win.webContents.mainFrame;
  if (frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
  return isAppUrl(frame.url);
}

const refused = (): Result<never> => ({
  ok: false,
  error: new PatchbayError(
    'access_denied',
    'This request did not come from the Patchbay window, so it was refused.',
  ).toBridge(),
});

/**
 * Register one ipcMain.handle per contract channel. Returns a function that removes them all.
 *
 * `isTrusted` runs before anything else; argument checks and the core call are the bridge's.
 */
export function registerIpcHandlers(handlers: BridgeHandlers, isTrusted: (event: SenderInfo) => boolean): () => void {
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as (...args: unknown[]) => Promise<Result<unknown>>;
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!isTrusted(event)) return refused();
      return handler(...args);
    });
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Push one contract event to the main window's page (dropped when there is no window). */
export function sendEvent<E extends EventName>(win: BrowserWindow | null, event: E, payload: PatchbayEvents[E]): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
  win.webContents.send(event, payload);
}

/**
 * Remove IPC listeners that libraries register on their own.
 *
 * electron-store answers a synchronous `electron-store-get-data` message from any renderer (it
 * exists for stores created in renderers, which Patchbay does not use). Nothing of ours needs it.
 */
export function removeLibraryIpcListeners(): void {
  ipcMain.removeAllListeners('electron-store-get-data');
}

export type { Channel };
