/**
 * The Sandbox starter a host hands to the core (CoreOptions.startSandbox).
 *
 * The core only knows the SandboxStarter port; this module is the one place that binds it to
 * ensureSandbox. The Sandbox module is loaded on the first call: it pulls in oidc-provider, which
 * commands that never touch the Sandbox should not load.
 */
import type { PatchbayConfig } from '../core/model/config';

/** Start (or reuse) the Sandbox for `config`; loads main/sandbox on first use. */
export async function startSandbox(config: PatchbayConfig): Promise<{ issuer: string }> {
  const { ensureSandbox } = await import('./index');
  return ensureSandbox(config);
}
