/**
 * Step 5: the core, with Electron's settings backend, the keychain vault and both authorizers.
 *
 * Settings: electron-store 12 (which extends conf) handed to the core's openSettings as its
 * backend, so the schema, migrations, corrupt-file handling and cross-process lock are the very
 * same code the CLI runs. Secrets: the core's keytar vault (keytar is N-API, so the binary
 * built for Node loads in Electron). Authorizers: the embedded window first (the default), then
 * the system browser (custom scheme when the OS routes it to us, loopback otherwise).
 */
import ElectronStore from 'electron-store';
import type { BrowserWindow } from 'electron';
import type { PatchbayConfig } from '../core/model/config';
import { createDefaultCore } from '../core/facade/create-core';
import { createLoopbackAuthorizer } from '../core/authorizers/loopback-authorizer';
import { openSettings, type ConfFactory, type ConfLike } from '../core/storage/settings';
import type { SettingsStore } from '../core/model/types';
import type { HostCore } from '../host/types';
import { createKeytarVault } from '../core/storage/vault';
import { createNodeNetworkFetch } from '../core/network/node-fetch';
import { proxyPassword } from '../core/network/network-settings';
import { savedNetworkReader } from '../core/network/saved-network-reader';
import { createElectronNetwork } from './network';
import { startSandbox } from '../sandbox/starter';
import { version } from '../../package.json';
import { createEmbeddedAuthorizer } from './auth-window';
import {
  createBrowserAuthorizer,
  createDeepLinkFallback,
  createLoopbackFallback,
  firstFallback,
  openInBrowser,
} from './browser-authorizer';
import type { DeepLinkQueue } from './deep-link-queue';
import { removeLibraryIpcListeners } from './ipc';

export interface ElectronCore {
  core: HostCore;
  settings: SettingsStore;
  /** For the main window's "Open the sign-in page" links. */
  focusSignIn: (url: string) => boolean;
  /** "Use my browser instead" from the main window (auth-window.ts). */
  useBrowser: (providerId: string) => Promise<boolean>;
}

/**
 * electron-store for the core's settings file: same folder and name, owner-only file mode, and the
 * store's own serialiser (same JSON format; see ConfFactory for why it is passed on).
 */
function electronStoreBackend(options: Parameters<ConfFactory>[0]): ConfLike {
  return new ElectronStore<Record<string, unknown>>({
    cwd: options.cwd,
    name: options.configName,
    configFileMode: 0o600,
    serialize: options.serialize,
  });
}

/** Build the core for the desktop app. */
export function createElectronCore(
  env: Record<string, string | undefined>,
  config: PatchbayConfig,
  queue: DeepLinkQueue,
  mainWindow: () => BrowserWindow | null,
): ElectronCore {
  const settings = openSettings({ home: config.home, backend: electronStoreBackend });
  // electron-store registers an IPC listener for renderer-side stores; Patchbay has none.
  removeLibraryIpcListeners();
  const vault = createKeytarVault(config.keychainService);
  const deepLink = createDeepLinkFallback(queue);
  const loopback = createLoopbackAuthorizer({ openUrl: openInBrowser });
  const browser = createBrowserAuthorizer(deepLink, loopback);
  // "Use my browser instead" continues the same attempt: by deep link when the OS routes our
  // scheme here, by a loopback listener when the redirect URI is a fixed loopback address.
  const network = createElectronNetwork(
    env,
    settings,
    createNodeNetworkFetch({
      env,
      settings: savedNetworkReader(settings),
      proxyPassword: () => proxyPassword(settings, vault),
    }),
  );
  const embedded = createEmbeddedAuthorizer({
    parent: mainWindow,
    fallback: firstFallback(deepLink, createLoopbackFallback(loopback)),
    prepareSession: network.applyProxy,
  });
  const core = createDefaultCore({
    env,
    authorizers: [embedded, browser],
    settings,
    vault,
    startSandbox,
    describeNetwork: network.describe,
    appVersion: version,
    overrides: { fetch: network.fetch },
  });
  return { core, settings, focusSignIn: embedded.focusSignIn, useBrowser: embedded.useBrowser };
}
