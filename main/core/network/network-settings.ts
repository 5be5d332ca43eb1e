/**
 * Settings > Network: read what is saved and what the environment adds, save a checked change.
 *
 * The view shows proxy addresses with their sign-in replaced ("***"), so a password from
 * HTTPS_PROXY never reaches the renderer, and it says which network stack this host uses.
 */
import type { NetworkDescriber, SecretVault, SettingsStore } from '../model/types';
import type { NetworkSettingsInput, NetworkSettingsView } from '../../../preload/contract';
import { readCaFile } from './node-fetch';
import {
  checkNetworkInput,
  envValue,
  redactProxyUrl,
  resolveNetworkPlan,
  type NetworkEnv,
  type SavedNetwork,
} from './network-plan';

/**
 * The keychain entry of the proxy password, in the vault's client-secret slots: provider ids are
 * `[a-z0-9-]` only, so no provider can ever own this one.
 */
export const PROXY_SECRET_ID = 'network:proxy';

/** The Node hosts' answer: undici, which follows only the proxy Patchbay was given. */
export const describeNodeNetwork: NetworkDescriber = () => ({
  stack:
    "Provider requests go out through Node's network stack (undici) with the proxy and certificate authorities shown here; the system's own proxy settings are not read.",
  systemProxy: false,
});

/** What is saved, with the defaults for a file that has no network section yet. */
export function savedNetwork(settings: SettingsStore): SavedNetwork {
  const saved = settings.read().network;
  return {
    proxyUrl: saved?.proxyUrl ?? null,
    noProxy: saved?.noProxy ?? '',
    caFile: saved?.caFile ?? null,
    proxyUser: saved?.proxyUser ?? null,
    hasProxyPassword: saved?.hasProxyPassword === true,
  };
}

/** Settings > Network as the renderer sees it. */
export function networkView(
  env: NetworkEnv,
  saved: SavedNetwork,
  describe: NetworkDescriber = describeNodeNetwork,
): NetworkSettingsView {
  const shown = (name: string): string | null => {
    const value = envValue(env, name);
    return value === undefined ? null : redactProxyUrl(value);
  };
  let plan;
  try {
    plan = resolveNetworkPlan(env, saved);
  } catch {
    // A broken environment proxy is reported by the first request; the page still opens.
    plan = resolveNetworkPlan({ NO_PROXY: envValue(env, 'NO_PROXY'), PATCHBAY_CA_FILE: env.PATCHBAY_CA_FILE }, saved);
  }
  const { stack, systemProxy } = describe(plan);
  const proxy = plan.httpsProxy ? redactProxyUrl(plan.httpsProxy) : null;
  return {
    proxyUrl: saved.proxyUrl,
    noProxy: saved.noProxy,
    caFile: saved.caFile,
    proxyUser: saved.proxyUser,
    hasProxyPassword: saved.hasProxyPassword,
    environment: {
      httpsProxy: shown('HTTPS_PROXY'),
      httpProxy: shown('HTTP_PROXY'),
      noProxy: envValue(env, 'NO_PROXY') ?? null,
      caFile: env.PATCHBAY_CA_FILE?.trim() || null,
    },
    inEffect: {
      proxy,
      source: plan.proxySource ?? (systemProxy ? 'system' : null),
      caFiles: plan.caFiles.map((f) => f.path),
    },
    stack,
  };
}

/** Check and save Settings > Network; every problem is an invalid_input naming its field. */
export async function saveNetwork(
  settings: SettingsStore,
  vault: SecretVault,
  input: NetworkSettingsInput,
): Promise<SavedNetwork> {
  const checked = checkNetworkInput(input);
  // A file that cannot be read or holds no certificate is refused now, not at the next sign-in.
  if (checked.caFile) readCaFile({ path: checked.caFile, field: 'caFile' });
  const before = savedNetwork(settings);
  let hasProxyPassword = before.hasProxyPassword;
  // No user name, no password: clearing the user name removes the saved password with it.
  if (checked.proxyUser === null || input.proxyPassword === '') {
    if (hasProxyPassword) await vault.deleteClientSecret(PROXY_SECRET_ID);
    hasProxyPassword = false;
  } else if (input.proxyPassword !== undefined) {
    await vault.setClientSecret(PROXY_SECRET_ID, input.proxyPassword);
    hasProxyPassword = true;
  }
  const saved: SavedNetwork = { ...checked, hasProxyPassword };
  await settings.update((data) => {
    data.network = saved;
  });
  return saved;
}

/** The saved proxy password, read only when the settings say there is one (a keychain round trip). */
export async function proxyPassword(settings: SettingsStore, vault: SecretVault): Promise<string | null> {
  const saved = settings.read().network;
  if (!saved?.proxyUrl || !saved.proxyUser || !saved.hasProxyPassword) return null;
  return vault.getClientSecret(PROXY_SECRET_ID);
}
