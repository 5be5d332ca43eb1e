/**
 * Step 2: make the OS send `patchbay://` links to this app.
 *
 * Scheme choice: RFC 8252 §7.1 says a private-use scheme MUST be a reverse-order domain name
 * the publisher controls (e.g. `app.patchbay.desktop:/oauth/callback`), so that two apps do not
 * claim the same scheme. We deliberately keep the design card's `patchbay://oauth/callback`:
 * (a) the card binds it and it is the redirect URI users register with providers and the
 * Sandbox client accepts; (b) the project controls no domain to reverse yet; (c) the risk the
 * rule guards against — another app catching the callback — cannot yield a token, because every
 * attempt is bound by `state` and PKCE (RFC 7636; RFC 8252 §8.1 names PKCE as the defence);
 * (d) the embedded window, the default, never relies on the OS registration at all. Moving to
 * a reverse-domain scheme is one constant (DEEP_LINK_SCHEME) plus electron-builder.yml.
 *
 * In development (`electron .`), the OS must start Electron *with our script*, so the executable
 * and the resolved script path are registered together (Windows; macOS needs the Info.plist
 * entry that packaging adds; Linux needs the .desktop file that packaging installs).
 */
import path from 'node:path';
import { app } from 'electron';
import { DEEP_LINK_SCHEME } from './deep-link';

/**
 * Register as the default handler for the scheme, unless PATCHBAY_SKIP_PROTOCOL_CLIENT=1
 * (tests and Playwright runs must not take over the machine's real handler).
 */
export function registerProtocolClient(env: Record<string, string | undefined>): boolean {
  if (env.PATCHBAY_SKIP_PROTOCOL_CLIENT === '1') return false;
  if (process.defaultApp) {
    const script = process.argv[1];
    if (!script) return false;
    return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(script)]);
  }
  return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}
