/**
 * How the desktop app sends provider requests: Chromium's network stack where it serves better,
 * Node's undici where it cannot do what was asked.
 *
 * Electron's docs (docs/api/net.md): the net module "uses Chromium's native networking library
 * instead of the Node.js implementation, offering better support for web proxies", with
 * "Automatic management of system proxy configuration, support of the wpad protocol and proxy pac
 * configuration files" and "Support for authenticating proxies using basic, digest, NTLM, Kerberos
 * or negotiate authentication schemes"; and Chromium verifies certificates with the operating
 * system's store. So with nothing configured, and with a plain proxy address, core requests go
 * through `ses.fetch` (docs/api/session.md: "Sends a request, similarly to how fetch() works in the
 * renderer, using Chrome's network stack").
 *
 * Two cases go to the Node fetch the CLI uses (core/network/node-fetch.ts) instead:
 * - an extra CA file (PATCHBAY_CA_FILE or Settings): Chromium has no per-app "also trust this
 *   root"; the only hook is `ses.setCertificateVerifyProc`, which would mean re-implementing
 *   chain verification in the app, a security risk Patchbay does not take;
 * - a proxy address with a sign-in in it (HTTPS_PROXY=http://user:pass@...): Chromium's
 *   ProxyConfig `proxyRules` has no place for one (docs/api/structures/proxy-config.md:
 *   `proxyURL = [<proxyScheme>"://"]<proxyHost>[":"<proxyPort>]`).
 *
 * The core's requests use their own in-memory session: the default session cancels every remote
 * request (session-policy.ts), and docs/api/net.md says net.fetch requests "will trigger
 * webRequest handlers if present".
 */
import { session, type Session } from 'electron';
import { describeNetworkFailure } from '../core/network/network-errors';
import { proxyFor, resolveNetworkPlan, type NetworkEnv, type NetworkPlan } from '../core/network/network-plan';
import { PatchbayError } from '../core/model/errors';
import type { FetchLike, NetworkDescriber, SettingsStore } from '../core/model/types';

/** In-memory (no `persist:` prefix): nothing a provider sets outlives the app. */
export const CORE_PARTITION = 'patchbay-core-requests';

/**
 * Chromium cannot take this plan: the Node fetch must send it. `savedSignIn`: Settings > Network
 * has a proxy user name (its password is in the keychain, so it is not in the plan built here).
 */
export function needsNodeFetch(plan: NetworkPlan, savedSignIn = false): boolean {
  const signedIn = [plan.httpProxy, plan.httpsProxy].some((p) => p !== null && new URL(p).username !== '');
  return plan.caFiles.length > 0 || signedIn || savedSignIn;
}

/**
 * Chromium's ProxyConfig for a plan (docs/api/structures/proxy-config.md).
 *
 * "system - In system mode the proxy configuration is taken from the operating system" (PAC and
 * WPAD included); "fixed_servers - In fixed_servers mode the proxy configuration is specified in
 * proxyRules", whose form is `http=foopy:80;ftp=foopy2`. NO_PROXY's `.example.com` is Chromium's
 * `*.example.com`.
 */
export function proxyConfigFor(plan: NetworkPlan): Electron.ProxyConfig {
  if (!plan.httpProxy && !plan.httpsProxy) return { mode: 'system' };
  const rules = [
    plan.httpProxy ? `http=${new URL(plan.httpProxy).origin}` : null,
    plan.httpsProxy ? `https=${new URL(plan.httpsProxy).origin}` : null,
  ].filter((r): r is string => r !== null);
  const bypass = plan.noProxy
    .split(/[,\s]+/)
    .filter((e) => e !== '')
    .map((e) => (e.startsWith('.') ? `*${e}` : e))
    .join(',');
  return { mode: 'fixed_servers', proxyRules: rules.join(';'), proxyBypassRules: bypass };
}

export interface ElectronNetwork {
  fetch: FetchLike;
  describe: NetworkDescriber;
  /** Give a session (each sign-in window's) the proxy the core's requests use. */
  applyProxy(ses: Session): Promise<void>;
}

/** The network of the desktop app; `nodeFetch` is the CLI's fetch, for the plans Chromium cannot take. */
export function createElectronNetwork(env: NetworkEnv, settings: SettingsStore, nodeFetch: FetchLike): ElectronNetwork {
  const plan = () => resolveNetworkPlan(env, settings.read().network);
  const savedSignIn = () => {
    const saved = settings.read().network;
    return Boolean(saved?.proxyUrl && saved.proxyUser);
  };
  let applied: string | null = null;
  const coreSession = () => session.fromPartition(CORE_PARTITION, { cache: false });

  const applyProxy = async (ses: Session): Promise<void> => {
    // docs/api/session.md: "ses.setProxy(config) Returns Promise<void> - Resolves when the proxy
    // setting process is complete."
    await ses.setProxy(proxyConfigFor(plan()));
  };

  const chromiumFetch: FetchLike = async (input, init) => {
    const current = plan();
    const target = new URL(input instanceof Request ? input.url : String(input));
    const ses = coreSession();
    const key = JSON.stringify(proxyConfigFor(current));
    if (applied !== key) {
      await ses.setProxy(proxyConfigFor(current));
      applied = key;
    }
    try {
      // credentials 'omit': Electron's net-fetch turns the default into "include" (session cookies).
      return await ses.fetch(target.href, { ...init, credentials: 'omit' });
    } catch (error) {
      // electron/electron#43715: with redirect 'manual', net.fetch rejects ("Redirect was
      // cancelled") instead of returning the 3xx. Patchbay never follows provider redirects.
      if (init?.redirect === 'manual' && /Redirect was cancelled/i.test(String((error as Error)?.message))) {
        throw new PatchbayError(
          'provider_error',
          `${target.hostname} answered with a redirect instead of an answer. Patchbay does not follow redirects from provider endpoints; put the final address in Set up.`,
          { cause: error },
        );
      }
      throw describeNetworkFailure(error, target, proxyFor(current, target)) ?? error;
    }
  };

  return {
    fetch: (input, init) =>
      needsNodeFetch(plan(), savedSignIn()) ? nodeFetch(input, init) : chromiumFetch(input, init),
    describe: (p) =>
      needsNodeFetch(p, savedSignIn())
        ? {
            stack:
              "Provider requests go out through Node's network stack (undici), because a certificate authority file or a proxy sign-in is set; the sign-in window still uses Chromium, which trusts only the system's certificate store.",
            systemProxy: false,
          }
        : {
            stack:
              "Provider requests go out through Chromium's network stack, like the sign-in window: with no proxy set here it follows the system's proxy settings (including PAC) and trusts the system's certificate store.",
            systemProxy: true,
          },
    applyProxy,
  };
}
