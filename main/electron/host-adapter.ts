/**
 * Step 6: the Electron host adapter — the shared host layer (main/host) mapped to IPC and windows.
 *
 * Everything a host must do (refresh scheduler, batched list events, the link policy, redirect
 * URIs) is decided in main/host; this file only says how Electron delivers it: events go to the
 * main window's page over IPC, allowed links open in the system browser, "Use my browser
 * instead" reaches the open sign-in window, and "Save support bundle" asks where to save.
 */
import fs from 'node:fs/promises';
import { dialog, shell, type BrowserWindow } from 'electron';
import { startHost, type Host } from '../host/host-runtime';
import type { HostCore, HostTransport } from '../host/types';
import { sendEvent } from './ipc';

export interface ElectronHostOptions {
  core: HostCore;
  version: string;
  settingsNotice: () => string | null;
  /** The main window, or null while there is none (events are then dropped). */
  window: () => BrowserWindow | null;
  /** "Use my browser instead" for a provider's open sign-in window (auth-window.ts). */
  useBrowser: (providerId: string) => Promise<boolean>;
}

/**
 * The transport: IPC to the main window, the system browser for links.
 *
 * shell.openExternal (docs/api/shell.md): "Open the given external protocol URL in the desktop's
 * default manner" — the link policy has already limited it to https documentation pages.
 */
export function electronTransport(
  window: () => BrowserWindow | null,
  useBrowser: ElectronHostOptions['useBrowser'],
): HostTransport {
  return {
    host: 'electron',
    send: (event, payload) => sendEvent(window(), event, payload),
    hasAudience: () => window() !== null,
    pageOpensLinks: false,
    openExternal: (url) => shell.openExternal(url),
    useBrowser,
    saveFile: (suggestedName, text) => saveWithDialog(window(), suggestedName, text),
  };
}

/**
 * The save dialog, then the file. docs/api/dialog.md, `dialog.showSaveDialog([window, ]options)`:
 * "Returns `Promise<Object>` - Resolve with an object containing the following: `canceled`
 * boolean - whether or not the dialog was canceled. `filePath` string - If the dialog is
 * canceled, this will be an empty string." and "The `window` argument allows the dialog to
 * attach itself to a parent window, making it modal."
 */
async function saveWithDialog(win: BrowserWindow | null, suggestedName: string, text: string): Promise<boolean> {
  const options = {
    title: 'Save support bundle',
    defaultPath: suggestedName,
    filters: [{ name: 'Patchbay support bundle', extensions: ['json'] }],
  };
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return false;
  await fs.writeFile(choice.filePath, text, { encoding: 'utf8', mode: 0o600 });
  return true;
}

/** Start the host layer for the desktop app. */
export function startElectronHost(options: ElectronHostOptions): Host {
  return startHost({
    core: options.core,
    transport: electronTransport(options.window, options.useBrowser),
    version: options.version,
    embeddedAuth: true,
    settingsNotice: options.settingsNotice,
  });
}
