/**
 * Build a PatchbayCore: from explicit parts (tests, Electron) or from the environment (CLI, web).
 *
 * createDefaultCore is the one place that turns PATCHBAY_HOME, PATCHBAY_KEYCHAIN_SERVICE and
 * PATCHBAY_SANDBOX_PORT into a settings file, a keychain vault and a core, so every host agrees.
 */
import { resolveConfig } from '../model/config';
import { PatchbayEngine } from './patchbay-engine';
import { openSettings } from '../storage/settings';
import type { Authorizer, CoreOptions, PatchbayCore, SandboxStarter, SecretVault, SettingsStore } from '../model/types';

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
  /** Passed through to CoreOptions (tests shorten timeouts). */
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

/** A core configured from environment variables, with the conf settings file and the keytar vault. */
export function createDefaultCore(options: DefaultCoreOptions): PatchbayEngine & PatchbayCore {
  const config = resolveConfig(options.env ?? process.env);
  const settings = options.settings ?? openSettings({ home: config.home });
  const vault = options.vault ?? lazyKeytarVault(config.keychainService);
  return new PatchbayEngine(
    {
      home: config.home,
      keychainService: config.keychainService,
      sandboxPort: config.sandboxPort,
      settings,
      vault,
      authorizers: options.authorizers,
      ...(options.startSandbox ? { startSandbox: options.startSandbox } : {}),
      ...(options.appVersion ? { appVersion: options.appVersion } : {}),
      ...options.overrides,
    },
    config,
  );
}
