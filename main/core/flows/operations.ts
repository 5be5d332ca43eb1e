/**
 * Operations on an existing connection: test, refresh, disconnect, and the due-refresh sweep.
 *
 * Each writes its steps to the connection's trace. Tests refresh first when the token is about
 * to expire, and once more on a 401 (another process may have rotated it); disconnect revokes at
 * the provider and then removes the keychain entry and the record even if revocation failed,
 * because keeping a connection the user asked to remove is the worse outcome.
 */
import { apiKeyHeaders, bearerHeaders } from '../providers/credential-headers';
import { probe, rejectedKey, TEST_URL_ADVICE, type ProbeResult } from '../providers/who-am-i';
import {
  allProviders,
  appendTrace,
  beforeProviderHttp,
  clientFor,
  findConnection,
  findProvider,
  httpFor,
  secretOrReconnect,
  updateConnection,
  type CoreContext,
} from './context';
import { PatchbayError, toPatchbayError } from '../model/errors';
import {
  expiresWithin,
  KEEP_ALIVE_MS,
  lastRefreshUse,
  REFRESH_AHEAD_MS,
  type OAuthSecret,
  type RefreshCoordinator,
} from './refresh';
import { revokeTokens } from '../oauth/revoke';
import { renewsByClientCredentials } from '../oauth/client-credentials';
import { TraceRecorder } from '../storage/trace';
import { withoutSecretLabel } from './identify';
import type { ConnectionRecord } from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';
import { applyCheck, checkStatusOf } from '../health/check-outcome';

export interface TestOutcome {
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: string;
  label: string | null;
  error: PatchbayError | null;
  record: ConnectionRecord;
}

/** Call the provider's test URL with the stored credentials and record the result. */
export async function testConnection(
  ctx: CoreContext,
  refresher: RefreshCoordinator,
  connectionId: string,
): Promise<TestOutcome> {
  const record = findConnection(ctx, connectionId);
  const def = findProvider(ctx, record.providerId).definition;
  const trace = new TraceRecorder(connectionId, ctx.clock);
  const started = ctx.clock.now();
  let result: ProbeResult | null = null;
  let error: PatchbayError | null = null;
  try {
    result = await runConnectionTest(ctx, refresher, def, record, trace);
    if (!result.ok) error = testFailure(def, record, result.httpStatus);
  } catch (thrown) {
    error = toPatchbayError(thrown);
    if (error.code === 'keychain_unavailable') throw error;
  } finally {
    await appendTrace(ctx, connectionId, trace).catch(() => undefined);
  }
  const checkedAt = new Date(ctx.clock.now()).toISOString();
  const httpStatus = result?.httpStatus ?? error?.httpStatus ?? null;
  const latencyMs = result?.latencyMs ?? ctx.clock.now() - started;
  const status = checkStatusOf(error, record.auth);
  const updated = await updateConnection(ctx, connectionId, (r) =>
    applyCheck(r, { status, httpStatus, latencyMs, checkedAt, error, tested: true, label: result?.label ?? null }),
  );
  return {
    ok: error === null,
    httpStatus,
    latencyMs,
    checkedAt,
    label: result?.label ?? null,
    error,
    record: updated ?? record,
  };
}

/**
 * The test call itself, recording nothing on the connection: refresh first when the token is due,
 * call the test URL, and refresh and retry once on a 401. Throws what the provider or the keychain
 * failed with (429, 5xx, network, a failed refresh).
 */
export async function runConnectionTest(
  ctx: CoreContext,
  refresher: Pick<RefreshCoordinator, 'refresh'>,
  def: ProviderDefinition,
  record: ConnectionRecord,
  trace: TraceRecorder,
): Promise<ProbeResult> {
  const id = record.id;
  const secret = await secretOrReconnect(ctx, record, def);
  await beforeProviderHttp(ctx, def);
  if (secret.kind === 'apiKey') {
    trace.registerSecret(secret.apiKey);
    return withoutSecretLabel(
      await probe(httpFor(ctx, def, trace), def, apiKeyHeaders(def, secret.apiKey)),
      [secret.apiKey],
      trace,
      def.name,
    );
  }
  trace.registerSecret(secret.accessToken);
  trace.registerSecret(secret.refreshToken);
  let tokens: OAuthSecret = secret;
  let refreshed = false;
  // Renewable: a refresh token, or a client-credentials connection (asks again with the client's secret).
  const renewable = (t: OAuthSecret): boolean => Boolean(t.refreshToken) || renewsByClientCredentials(def);
  if (renewable(tokens) && expiresWithin(tokens, ctx.clock.now(), REFRESH_AHEAD_MS)) {
    tokens = await refresher.refresh(id, { seenAccessToken: tokens.accessToken, trace });
    refreshed = true;
  }
  if (!def.testUrl) {
    const expired = expiresWithin(tokens, ctx.clock.now(), 0);
    trace.add({
      step: 'test_call',
      detail: `${def.name} has no test URL; checked the token's expiry only.`,
      ok: !expired,
    });
    return { ok: !expired, httpStatus: expired ? 401 : 200, latencyMs: 0, label: null };
  }
  let result = await probe(httpFor(ctx, def, trace), def, bearerHeaders(tokens));
  if (result.httpStatus === 401 && renewable(tokens) && !refreshed) {
    trace.add({
      step: 'retry',
      detail: `${def.name} refused the token (401); refreshing once and trying again.`,
      ok: true,
    });
    tokens = await refresher.refresh(id, { seenAccessToken: tokens.accessToken, force: true, trace });
    result = await probe(httpFor(ctx, def, trace), def, bearerHeaders(tokens));
  }
  if (result.label === null) return result;
  // The client secret is only read when there is a label to check against it.
  const clientSecret =
    (def.tokenAuthMethod ?? 'client_secret_post') === 'none'
      ? null
      : await ctx.vault.getClientSecret(def.id).catch(() => null);
  return withoutSecretLabel(
    result,
    [secret.accessToken, secret.refreshToken, secret.idToken, tokens.accessToken, tokens.refreshToken, clientSecret],
    trace,
    def.name,
  );
}

/** The error a refused test call (a 4xx the provider answered) stands for. */
export function testFailure(def: ProviderDefinition, record: ConnectionRecord, httpStatus: number): PatchbayError {
  if (record.auth === 'apiKey' && (httpStatus === 401 || httpStatus === 403)) return rejectedKey(def, httpStatus);
  if (httpStatus === 401) {
    // The grant behind the token is gone (revoked, or the refresh did not help): reconnecting is the fix.
    return new PatchbayError(
      'invalid_grant',
      `${def.name} no longer accepts this connection's sign-in. {reconnect} to sign in again.`,
      { httpStatus },
    );
  }
  if (httpStatus === 403) {
    return new PatchbayError(
      'provider_error',
      `${def.name} refused the test call (HTTP 403). The account may lack the permission (scope) the test needs.`,
      { httpStatus },
    );
  }
  return new PatchbayError(
    'provider_error',
    `${def.name} answered the test call with HTTP ${httpStatus}. ${TEST_URL_ADVICE}`,
    { httpStatus },
  );
}

/** Renew the access token now (single-flight; a renewal by another process counts). */
export async function refreshConnection(
  ctx: CoreContext,
  refresher: RefreshCoordinator,
  connectionId: string,
): Promise<ConnectionRecord> {
  const record = findConnection(ctx, connectionId);
  const def = findProvider(ctx, record.providerId).definition;
  if (record.auth !== 'oauth2') {
    throw new PatchbayError(
      'invalid_input',
      `This ${def.name} connection uses an API key, which does not expire. {test} to check it.`,
      { field: 'connectionId' },
    );
  }
  const trace = new TraceRecorder(connectionId, ctx.clock);
  try {
    const seen = await ctx.vault.getConnectionSecret(connectionId);
    const seenAccessToken = seen?.kind === 'oauth2' ? seen.accessToken : undefined;
    trace.registerSecret(seenAccessToken);
    await refresher.refresh(connectionId, {
      force: true,
      trace,
      ...(seenAccessToken === undefined ? {} : { seenAccessToken }),
    });
  } finally {
    await appendTrace(ctx, connectionId, trace).catch(() => undefined);
  }
  return findConnection(ctx, connectionId);
}

/**
 * Revoke at the provider, then delete the keychain entry and the record.
 *
 * A failed revocation is written to the connection's trace (kept after the disconnect for
 * diagnosis) and does not stop the local removal. A locked keychain does stop it: the secret
 * could then not be deleted, so nothing is removed.
 */
export async function disconnectConnection(ctx: CoreContext, connectionId: string): Promise<void> {
  const record = findConnection(ctx, connectionId);
  const def = findProvider(ctx, record.providerId).definition;
  const trace = new TraceRecorder(connectionId, ctx.clock);
  try {
    const secret = await ctx.vault.getConnectionSecret(connectionId);
    if (secret?.kind === 'oauth2') {
      trace.registerSecret(secret.accessToken);
      trace.registerSecret(secret.refreshToken);
      try {
        await beforeProviderHttp(ctx, def);
        const client = await clientFor(ctx, def);
        trace.registerSecret(client.clientSecret);
        const outcome = await revokeTokens(httpFor(ctx, def, trace), def, client, secret);
        trace.add({
          step: 'revocation',
          detail:
            outcome === 'revoked'
              ? `${def.name} revoked the tokens.`
              : `${def.name} has no revocation URL; the tokens were only removed from this computer.`,
          ok: true,
        });
      } catch (error) {
        const mapped = toPatchbayError(error);
        trace.add({
          step: 'revocation',
          detail: `Revocation failed (${mapped.code}); removed the connection from this computer anyway.`,
          ok: false,
        });
      }
    } else if (secret?.kind === 'apiKey') {
      trace.registerSecret(secret.apiKey);
      trace.add({
        step: 'revocation',
        detail: `API keys are not revoked by Patchbay; delete the key at ${def.name} if it should stop working.`,
        ok: true,
      });
    }
    await ctx.vault.deleteConnectionSecret(connectionId);
    trace.add({ step: 'keychain_delete', detail: 'Removed the credentials from the keychain.', ok: true });
    await ctx.settings.update((data) => {
      data.connections = data.connections.filter((c) => c.id !== connectionId);
    });
    trace.add({ step: 'settings_write', detail: 'Removed the connection record.', ok: true });
    ctx.emit('connections');
  } finally {
    await appendTrace(ctx, connectionId, trace).catch(() => undefined);
  }
}

/**
 * Refresh every refreshable connection expiring within `marginMs`, and keep alive refresh tokens
 * unused for `idleMs` (for the scheduler).
 *
 * The keep-alive leaves out a connection whose last operation failed (`lastError`): a renewal
 * that failed for a network reason is tried again after the next passing check clears it, not
 * every minute.
 */
export async function refreshDue(
  ctx: CoreContext,
  refresher: RefreshCoordinator,
  marginMs: number,
  idleMs = KEEP_ALIVE_MS,
): Promise<void> {
  const now = ctx.clock.now();
  const data = ctx.settings.read();
  const byClient = new Set(
    allProviders(ctx, data)
      .filter((p) => renewsByClientCredentials(p.definition))
      .map((p) => p.definition.id),
  );
  const due = data.connections.filter(
    (c) =>
      c.auth === 'oauth2' &&
      (c.hasRefreshToken || byClient.has(c.providerId)) &&
      c.state === 'ok' &&
      ((c.expiresAt !== null && Date.parse(c.expiresAt) - now <= marginMs) ||
        // Keep-alive is for refresh tokens a provider lets lapse when unused; a client-credentials
        // connection has none (it asks again when its token runs out).
        (c.hasRefreshToken && c.lastError === null && now - lastRefreshUse(c) >= idleMs)),
  );
  for (const c of due) {
    const trace = new TraceRecorder(c.id, ctx.clock);
    try {
      await refresher.refresh(c.id, { trace, aheadMs: marginMs, idleMs });
    } catch {
      // Recorded on the connection (lastError / needs_reconnect) by the refresher.
    } finally {
      await appendTrace(ctx, c.id, trace).catch(() => undefined);
    }
  }
}
