/**
 * Build a PatchbayCore: from explicit parts (tests, Electron) or from the environment (CLI, web).
 *
 * createDefaultCore is the one place that turns PATCHBAY_HOME, PATCHBAY_KEYCHAIN_SERVICE and
 * PATCHBAY_SANDBOX_PORT into a settings file, a keychain vault and a core, so every host agrees.
 */
import { resolveConfig } from './config';
import { ConnectionService } from './connection-service';
import { openSettings } from './settings';
import type { Authorizer, CoreOptions, PatchbayCore, SecretVault, SettingsStore } from './types';
import { createKeytarVault } from './vault';

/** A core from explicit parts. `home`, `keychainService` and `sandboxPort` locate everything else. */
export function createCore(options: CoreOptions): ConnectionService & PatchbayCore {
  const config = resolveConfig({
    PATCHBAY_HOME: options.home,
    PATCHBAY_KEYCHAIN_SERVICE: options.keychainService,
    PATCHBAY_SANDBOX_PORT: options.sandboxPort === undefined ? undefined : String(options.sandboxPort),
  });
  return new ConnectionService(options, config);
}

export interface DefaultCoreOptions {
  env?: Record<string, string | undefined>;
  authorizers: Authorizer[];
  settings?: SettingsStore;
  vault?: SecretVault;
  /** Passed through to CoreOptions (tests shorten timeouts). */
  overrides?: Partial<Pick<CoreOptions, 'clock' | 'fetch' | 'flowTimeoutMs' | 'httpTimeoutMs'>>;
}

/** A core configured from environment variables, with the conf settings file and the keytar vault. */
export function createDefaultCore(options: DefaultCoreOptions): ConnectionService & PatchbayCore {
  const config = resolveConfig(options.env ?? process.env);
  const settings = options.settings ?? openSettings({ home: config.home });
  const vault = options.vault ?? createKeytarVault(config.keychainService);
  return new ConnectionService({
    home: config.home,
    keychainService: config.keychainService,
    sandboxPort: config.sandboxPort,
    settings,
    vault,
    authorizers: options.authorizers,
    ...options.overrides,
  }, config);
}
