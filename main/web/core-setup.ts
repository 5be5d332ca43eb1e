/**
 * The web host's core: the conf settings file and keytar vault of the environment, and the
 * loopback authorizer whose openUrl does nothing (the page opens the sign-in tab itself; the
 * server has no window). Shared by `npm run web` and the host parity test.
 */
import { createLoopbackAuthorizer } from '../core/authorizers/loopback-authorizer';
import { createDefaultCore } from '../core/facade/create-core';
import type { PatchbayConfig } from '../core/model/config';
import type { SettingsStore } from '../core/model/types';
import { openSettings } from '../core/storage/settings';
import type { HostCore } from '../host/types';
import { startSandbox } from '../sandbox/starter';
import { version } from '../../package.json';

/** Build the web host's core from the environment and its resolved config. */
export function createWebCore(
  env: Record<string, string | undefined>,
  config: PatchbayConfig,
): { core: HostCore; settings: SettingsStore } {
  const settings = openSettings({ home: config.home });
  const authorizer = createLoopbackAuthorizer({ openUrl: () => undefined });
  const core = createDefaultCore({
    env,
    authorizers: [authorizer],
    settings,
    startSandbox,
    appVersion: version,
  });
  return { core, settings };
}
