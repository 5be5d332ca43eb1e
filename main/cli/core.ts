/**
 * Build the core for one CLI command, the same way every host does (createDefaultCore).
 *
 * The CLI's authorizer is the system browser with a loopback redirect (RFC 8252 §7.3);
 * `--no-open` swaps the browser for "just print the URL". Commands that must not touch the
 * keychain (`status`, `providers`) get a vault that refuses every call, which turns the promise
 * "reads no keychain entry" into something a test can catch.
 *
 * The authorizer (an HTTP listener, a browser launcher) is loaded only for commands that show or
 * use a redirect, so `status` does not pay for Node's HTTP stack at start-up.
 */
import { createDefaultCore } from '../core/facade/create-core';
import { PatchbayError } from '../core/model/errors';
import { setLockWaitReporter } from '../core/storage/lock-notices';
import type { Authorizer, CredentialSource, PatchbayCore, SecretVault } from '../core/model/types';
import { startSandbox } from '../sandbox/starter';
import type { CliIo } from './output';

export interface CliCoreOptions {
  /** Open the system browser for OAuth sign-ins (false with --no-open). */
  openBrowser?: boolean;
  /** Whole-flow timeout for connect (--timeout), in ms. */
  flowTimeoutMs?: number;
  /** false: any keychain access is a bug and fails loudly. */
  keychain?: boolean;
  /** false: the command never signs in nor shows redirect URIs, so no authorizer is loaded. */
  signIn?: boolean;
  /** false: the command reports a moved-aside settings file itself (status fails on it). */
  reportNotice?: boolean;
  /** The app's version, for commands that write it down (support bundles). */
  appVersion?: string;
  /** Requests in flight per provider host for health checks (`check --concurrency`). */
  checkConcurrency?: number;
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

/** The core as a CLI command sees it: the contract, credentials, and the settings store's one-time notice. */
export type CliCore = PatchbayCore & CredentialSource & { readonly settingsNotice: string | null };

/** The core for this run, configured from `io.env` (PATCHBAY_HOME, PATCHBAY_KEYCHAIN_SERVICE, ...). */
export async function openCliCore(io: CliIo, options: CliCoreOptions = {}): Promise<CliCore> {
  const core = createDefaultCore({
    env: io.env,
    startSandbox,
    authorizers: options.signIn === false ? [] : [await browserAuthorizer(options.openBrowser ?? false)],
    ...(options.keychain === false ? { vault: refusingVault() } : {}),
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
    overrides: {
      ...(options.flowTimeoutMs === undefined ? {} : { flowTimeoutMs: options.flowTimeoutMs }),
      ...(options.checkConcurrency === undefined ? {} : { checks: { concurrencyPerHost: options.checkConcurrency } }),
    },
  });
  // A damaged settings file was moved aside while opening: say so once, on stderr (never in --json stdout).
  // A wait for another process's lock is said on stderr after a second, never in silence.
  setLockWaitReporter((message) => io.stderr(`${message}\n`));
  if (core.settingsNotice && options.reportNotice !== false) io.stderr(`${core.settingsNotice}\n`);
  return core;
}

/** The system-browser authorizer with a loopback redirect; `open` false only prints the URL. */
async function browserAuthorizer(open: boolean): Promise<Authorizer> {
  const [{ createLoopbackAuthorizer }, { openUrl }] = await Promise.all([
    import('../core/authorizers/loopback-authorizer'),
    import('../core/authorizers/open-url'),
  ]);
  return createLoopbackAuthorizer({ openUrl: open ? (url) => openUrl(url) : () => undefined });
}
