/**
 * The diagnosis of a saved subject: a connection (its last error and trace) or a provider's last
 * attempt that made no connection ("provider:<id>", whose trace is all there is). What the
 * details dialog, `patchbay test`, a failed `patchbay connect` and support bundles ask for.
 */
import type { BridgeError, Diagnosis } from '../../../preload/contract';
import { findConnection, findProvider, type CoreContext } from '../flows/context';
import { loadTrace } from '../storage/trace';
import { diagnose } from './diagnose';

/** Diagnose `subject`; `redirectUriOf` gives the redirect URI this host registers for a provider. */
export async function diagnoseSubject(
  ctx: CoreContext,
  subject: string,
  redirectUriOf: (providerId: string) => string | null,
): Promise<Diagnosis | null> {
  const { entries } = await loadTrace(ctx.config.home, subject);
  if (subject.startsWith('provider:')) {
    const def = findProvider(ctx, subject.slice('provider:'.length)).definition;
    const last = entries.at(-1);
    // The attempt's own error is not saved for a provider; its failed last step stands for it.
    const error: BridgeError | null = last && !last.ok ? { code: 'provider_error', message: last.detail } : null;
    return diagnose({ providerName: def.name, error, trace: entries, redirectUri: redirectUriOf(def.id) });
  }
  const record = findConnection(ctx, subject);
  const def = findProvider(ctx, record.providerId).definition;
  return diagnose({
    providerName: def.name,
    error: record.lastError,
    httpStatus: record.lastTest?.httpStatus ?? null,
    trace: entries,
    redirectUri: redirectUriOf(def.id),
    auth: record.auth,
  });
}
