/**
 * The web host's core: the conf settings file and keytar vault of the environment, and the
 * loopback authorizer whose openUrl does nothing (the page opens the sign-in tab itself; the
 * server has no window). Shared by `npm run web` and the host parity test.
 */
import type { PatchbayConfig } from '../core/config';
import { createDefaultCore } from '../core/create-core';
import { createLoopbackAuthorizer } from '../core/loopback-authorizer';
import { openSettings } from '../core/settings';
import type { SettingsStore } from '../core/types';
import type { HostCore } from '../host/types';

/** Build the web host's core from the environment and its resolved config. */
export function createWebCore(env: Record<string, string | undefined>, config: PatchbayConfig): { core: HostCore; settings: SettingsStore } {
  const settings = openSettings({ home: config.home });
  const authorizer = createLoopbackAuthorizer({ openUrl: () => undefined });
  const core = createDefaultCore({ env, authorizers: [authorizer], settings });
  return { core, settings };
}
