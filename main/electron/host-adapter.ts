/**
 * Step 6: the Electron host adapter — the shared host layer (main/host) mapped to IPC and windows.
 *
 * Everything a host must do (refresh scheduler, batched list events, the link policy, redirect
 * URIs) is decided in main/host; this file only says how Electron delivers it: events go to the
 * main window's page over IPC, allowed links open in the system browser, and "Use my browser
 * instead" reaches the open sign-in window.
 */
import { shell, type BrowserWindow } from 'electron';
import { startHost, type Host } from '../host/host-runtime';
import type { HealthServiceOptions } from '../host/health-service';
import type { HostCore, HostTransport } from '../host/types';
import { createDesktopNotifier } from './health-notifications';
import { sendEvent } from './ipc';

export interface ElectronHostOptions {
  core: HostCore;
  version: string;
  settingsNotice: () => string | null;
  /** The main window, or null while there is none (events are then dropped). */
  window: () => BrowserWindow | null;
  /** "Use my browser instead" for a provider's open sign-in window (auth-window.ts). */
  useBrowser: (providerId: string) => Promise<boolean>;
  /** Health check timing (PATCHBAY_HEALTH_INTERVAL_MS); default: the settings'. */
  health?: HealthServiceOptions;
}

/**
 * The transport: IPC to the main window, the system browser for links, desktop notifications
 * for health changes (health-notifications.ts).
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
    notify: createDesktopNotifier(window),
  };
}

/** Start the host layer for the desktop app. */
export function startElectronHost(options: ElectronHostOptions): Host {
  return startHost({
    core: options.core,
    transport: electronTransport(options.window, options.useBrowser),
    version: options.version,
    embeddedAuth: true,
    settingsNotice: options.settingsNotice,
    ...(options.health ? { health: options.health } : {}),
  });
}
