/**
 * Build the core for one CLI command, the same way every host does (createDefaultCore).
 *
 * The CLI's authorizer is the system browser with a loopback redirect (RFC 8252 §7.3);
 * `--no-open` swaps the browser for "just print the URL". Commands that must not touch the
 * keychain (`status`, `providers`) get a vault that refuses every call, which turns the promise
 * "reads no keychain entry" into something a test can catch.
 */
import { createDefaultCore } from '../core/create-core';
import { PatchbayError } from '../core/errors';
import { createLoopbackAuthorizer } from '../core/loopback-authorizer';
import { openUrl } from '../core/open-url';
import type { PatchbayCore, SecretVault } from '../core/types';
import type { CliIo } from './output';

export interface CliCoreOptions {
  /** Open the system browser for OAuth sign-ins (false with --no-open). */
  openBrowser?: boolean;
  /** Whole-flow timeout for connect (--timeout), in ms. */
  flowTimeoutMs?: number;
  /** false: any keychain access is a bug and fails loudly. */
  keychain?: boolean;
}

function refusingVault(): SecretVault {
  const refuse = async (): Promise<never> => {
    throw new PatchbayError('internal', 'This command does not use the keychain. Report this as a bug.');
  };
  return {
    getConnectionSecret: refuse,
    setConnectionSecret: refuse,
    deleteConnectionSecret: refuse,
    getClientSecret: refuse,
    setClientSecret: refuse,
    deleteClientSecret: refuse,
  };
}

/** The core for this run, configured from `io.env` (PATCHBAY_HOME, PATCHBAY_KEYCHAIN_SERVICE, ...). */
export function openCliCore(io: CliIo, options: CliCoreOptions = {}): PatchbayCore {
  const open = options.openBrowser ?? false;
  const authorizer = createLoopbackAuthorizer({
    openUrl: open ? (url) => openUrl(url) : () => undefined,
  });
  const core = createDefaultCore({
    env: io.env,
    authorizers: [authorizer],
    ...(options.keychain === false ? { vault: refusingVault() } : {}),
    ...(options.flowTimeoutMs === undefined ? {} : { overrides: { flowTimeoutMs: options.flowTimeoutMs } }),
  });
  // A damaged settings file was moved aside while opening: say so once, on stderr (never in --json stdout).
  if (core.settingsNotice) io.stderr(`${core.settingsNotice}\n`);
  return core;
}
