/**
 * A connection's credential, fresh, for a call Patchbay makes or hands to a script.
 *
 * Shared by `patchbay request`, Try a request, `patchbay token` and `patchbay exec`: one keychain
 * read, and a refresh only when the access token is due (single-flight with every other process
 * through the RefreshCoordinator, which is loaded only then: a valid token needs no OAuth client).
 * A refresh that happens is written to the connection's trace like any other; nothing else is
 * written, so a script that asks for a token leaves no file.
 */
import { apiKeyHeaders } from '../providers/credential-headers';
import { appendTrace, findConnection, findProvider, type CoreContext } from '../flows/context';
import { PatchbayError } from '../model/errors';
import { expiresWithin, REFRESH_AHEAD_MS } from '../flows/expiry';
import type { RefreshCoordinator } from '../flows/refresh';
import type { TraceRecorder } from '../storage/trace';
import type { ConnectionSecret } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

/** What a caller may use: the credential's value and header, and whether it was just renewed. */
export interface FreshCredential {
  def: ProviderDefinition;
  secret: ConnectionSecret;
  /** The access token or API key itself. */
  value: string;
  /** The header that carries it, e.g. ["Authorization", "Bearer …"] or ["Api-Token", "…"]. */
  header: [string, string];
  refreshed: boolean;
}

/** The credential header for a secret: the provider's API-key header, or Bearer for OAuth (RFC 6750). */
export function credentialHeader(def: ProviderDefinition, secret: ConnectionSecret): [string, string] {
  if (secret.kind === 'apiKey') {
    const [entry] = Object.entries(apiKeyHeaders(def, secret.apiKey));
    return entry!;
  }
  return ['Authorization', `Bearer ${secret.accessToken}`];
}

/** Every secret value of a connection, for redaction. */
export function secretValues(secret: ConnectionSecret): string[] {
  if (secret.kind === 'apiKey') return [secret.apiKey];
  return [secret.accessToken, secret.refreshToken, secret.idToken].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
}

/**
 * Read the connection's secret; refresh first when the access token is due.
 *
 * `trace` receives the refresh steps (the caller saves it); without one, a recorder of its own is
 * used and saved only when a refresh happened.
 */
export async function freshCredential(
  ctx: CoreContext,
  refresher: () => Promise<RefreshCoordinator>,
  connectionId: string,
  trace?: TraceRecorder,
): Promise<FreshCredential> {
  const record = findConnection(ctx, connectionId);
  const def = findProvider(ctx, record.providerId).definition;
  let secret = await ctx.vault.getConnectionSecret(connectionId);
  if (!secret) {
    throw new PatchbayError(
      'not_found',
      `Patchbay has no saved credentials for this ${def.name} connection in the keychain. Connect again.`,
    );
  }
  let refreshed = false;
  if (secret.kind === 'oauth2' && expiresWithin(secret, ctx.clock.now(), REFRESH_AHEAD_MS)) {
    // A client-credentials connection renews without a refresh token (refresh.ts asks again).
    if (!secret.refreshToken && def.grant !== 'client_credentials') {
      if (expiresWithin(secret, ctx.clock.now(), 0)) {
        throw new PatchbayError(
          'invalid_grant',
          `The access to ${def.name} has expired and ${def.name} gave no refresh token. Connect again (Reconnect in the app).`,
        );
      }
    } else {
      // The trace module (and node:crypto with it) is loaded only for a refresh.
      const own = trace ?? new (await import('../storage/trace')).TraceRecorder(connectionId, ctx.clock);
      try {
        const renewed = await (
          await refresher()
        ).refresh(connectionId, { seenAccessToken: secret.accessToken, trace: own });
        refreshed = renewed.accessToken !== secret.accessToken;
        secret = renewed;
      } finally {
        if (!trace) await appendTrace(ctx, connectionId, own).catch(() => undefined);
      }
    }
  }
  return {
    def,
    secret,
    value: secret.kind === 'apiKey' ? secret.apiKey : secret.accessToken,
    header: credentialHeader(def, secret),
    refreshed,
  };
}
