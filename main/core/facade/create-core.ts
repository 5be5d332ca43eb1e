/**
 * Build a PatchbayCore: from explicit parts (tests, Electron) or from the environment (CLI, web).
 *
 * createDefaultCore is the one place that turns PATCHBAY_HOME, PATCHBAY_KEYCHAIN_SERVICE and
 * PATCHBAY_SANDBOX_PORT into a settings file, a keychain vault and a core, so every host agrees.
 */
import { resolveConfig } from '../model/config';
import { PatchbayEngine } from './patchbay-engine';
import { openSettings } from '../storage/settings';
import { savedNetworkReader } from '../network/saved-network-reader';
import type { NodeNetworkOptions } from '../network/node-fetch';
import type {
  Authorizer,
  CoreOptions,
  FetchLike,
  NetworkDescriber,
  PatchbayCore,
  SandboxStarter,
  SecretVault,
  SettingsStore,
} from '../model/types';

/** A core from explicit parts. `home`, `keychainService` and `sandboxPort` locate everything else. */
export function createCore(options: CoreOptions): PatchbayEngine & PatchbayCore {
  const config = resolveConfig({
    PATCHBAY_HOME: options.home,
    PATCHBAY_KEYCHAIN_SERVICE: options.keychainService,
    PATCHBAY_SANDBOX_PORT: options.sandboxPort === undefined ? undefined : String(options.sandboxPort),
  });
  return new PatchbayEngine(options, config);
}

export interface DefaultCoreOptions {
  env?: Record<string, string | undefined>;
  authorizers: Authorizer[];
  settings?: SettingsStore;
  vault?: SecretVault;
  /** The host's Sandbox starter (main/sandbox/starter.ts); see CoreOptions.startSandbox. */
  startSandbox?: SandboxStarter;
  /** How the host describes its network stack (Electron); default: Node's undici. */
  describeNetwork?: NetworkDescriber;
  /** Passed through to CoreOptions (tests shorten timeouts; Electron brings Chromium's fetch). */
  overrides?: Partial<Pick<CoreOptions, 'clock' | 'fetch' | 'flowTimeoutMs' | 'httpTimeoutMs' | 'checks'>>;
  /** The app's version for support bundles (hosts read it from package.json). */
  appVersion?: string;
}

/**
 * The keytar vault, loaded on its first call: commands that never touch the keychain (`status`)
 * skip loading it and node:crypto.
 */
function lazyKeytarVault(service: string): SecretVault {
  let loaded: Promise<SecretVault> | null = null;
  const vault = () =>
    (loaded ??= import('../storage/vault').then(({ createKeytarVault }) => createKeytarVault(service)));
  return {
    getConnectionSecret: async (id) => (await vault()).getConnectionSecret(id),
    setConnectionSecret: async (id, secret, options) => (await vault()).setConnectionSecret(id, secret, options),
    deleteConnectionSecret: async (id) => (await vault()).deleteConnectionSecret(id),
    getClientSecret: async (id) => (await vault()).getClientSecret(id),
    setClientSecret: async (id, secret) => (await vault()).setClientSecret(id, secret),
    deleteClientSecret: async (id) => (await vault()).deleteClientSecret(id),
  };
}

/**
 * The proxy- and CA-aware fetch, loaded on its first request: `patchbay status` never calls a
 * provider and must not pay for node:tls, node:crypto and the network modules at start-up.
 */
function lazyNetworkFetch(options: NodeNetworkOptions): FetchLike {
  let loaded: Promise<FetchLike> | null = null;
  return async (input, init) => {
    const fetch = await (loaded ??= import('../network/node-fetch').then((m) => m.createNodeNetworkFetch(options)));
    return fetch(input, init);
  };
}

/**
 * A core configured from environment variables, with the conf settings file and the keytar vault.
 *
 * Provider requests go through the proxy- and CA-aware Node fetch (network/node-fetch.ts), which
 * reads the environment given here and the settings' network section on each request (parsed again
 * only when the file changed: network/saved-network-reader.ts), unless the host brings its own
 * fetch (Electron's Chromium stack, tests).
 */
export function createDefaultCore(options: DefaultCoreOptions): PatchbayEngine & PatchbayCore {
  const env = options.env ?? process.env;
  const config = resolveConfig(env);
  const settings = options.settings ?? openSettings({ home: config.home });
  const vault = options.vault ?? lazyKeytarVault(config.keychainService);
  const fetch = lazyNetworkFetch({
    env,
    settings: savedNetworkReader(settings),
    proxyPassword: async () => (await import('../network/network-settings')).proxyPassword(settings, vault),
  });
  return new PatchbayEngine(
    {
      home: config.home,
      keychainService: config.keychainService,
      sandboxPort: config.sandboxPort,
      settings,
      vault,
      authorizers: options.authorizers,
      ...(options.startSandbox ? { startSandbox: options.startSandbox } : {}),
      env,
      fetch,
      ...(options.describeNetwork ? { describeNetwork: options.describeNetwork } : {}),
      ...(options.appVersion ? { appVersion: options.appVersion } : {}),
      ...options.overrides,
    },
    config,
  );
}
