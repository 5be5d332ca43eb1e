/**
 * Token refresh, single-flight per connection within a process and across processes.
 *
 * Several windows and `patchbay` commands may find the same expired token at once. Refresh
 * tokens are often single-use (rotation), so two refreshes would make one of them fail with
 * invalid_grant and break the connection. Here: one promise per connection in this process, and
 * a file lock per connection across processes; inside the lock the vault is read again, and a
 * token another process already renewed is used as is.
 */
import {
  beforeProviderHttp,
  clientFor,
  findConnection,
  findProvider,
  httpFor,
  refreshLockPath,
  secretOrReconnect,
  updateConnection,
  type CoreContext,
} from './context';
import { PatchbayError, toPatchbayError } from '../model/errors';
import { withFileLock } from '../storage/file-lock';
import { refreshTokenSet } from '../oauth/authorization-code';
import { clientCredentialsToken, renewsByClientCredentials } from '../oauth/client-credentials';
import { boundTokenSet } from '../oauth/token-bounds';
import { splitScopes } from '../oauth/quirks';
import type { TraceRecorder } from '../storage/trace';
import type { ConnectionRecord, ConnectionSecret, TokenSet } from '../model/types';

import { expiresWithin, REFRESH_AHEAD_MS } from './expiry';

export { expiresWithin, REFRESH_AHEAD_MS };

export type OAuthSecret = Extract<ConnectionSecret, { kind: 'oauth2' }>;

export interface RefreshOptions {
  /** The access token the caller holds: if the vault has another one, someone already refreshed. */
  seenAccessToken?: string;
  /** Refresh even when the token is not about to expire (a 401, or the user asked). */
  force?: boolean;
  /** How close to expiry counts as "due" (default REFRESH_AHEAD_MS; the scheduler passes its margin). */
  aheadMs?: number;
  /**
   * Also due when the refresh token has not been used for this long (the keep-alive rule, see
   * KEEP_ALIVE_MS). Checked again inside the lock, so another process's renewal counts.
   */
  idleMs?: number;
  trace: TraceRecorder;
}

/** One per core: serialises refreshes of each connection. */
export class RefreshCoordinator {
  private readonly inflight = new Map<string, Promise<OAuthSecret>>();

  constructor(private readonly ctx: CoreContext) {}

  /**
   * Refresh a connection's token set, or return the one another caller just obtained.
   *
   * Callers in this process that arrive while a refresh runs share its result.
   */
  refresh(connectionId: string, options: RefreshOptions): Promise<OAuthSecret> {
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const task = this.locked(connectionId, options).finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, task);
    return task;
  }

  private locked(connectionId: string, options: RefreshOptions): Promise<OAuthSecret> {
    const lockWaitMs = this.ctx.httpTimeoutMs * 2 + 10_000;
    return withFileLock(refreshLockPath(this.ctx, connectionId), () => this.inside(connectionId, options), {
      timeoutMs: lockWaitMs,
      purpose: `refreshing the tokens of connection ${connectionId}`,
    });
  }

  private async inside(connectionId: string, options: RefreshOptions): Promise<OAuthSecret> {
    const { ctx } = this;
    const trace = options.trace;
    const record = findConnection(ctx, connectionId);
    const provider = findProvider(ctx, record.providerId);
    const def = provider.definition;
    const secret = await secretOrReconnect(ctx, record, def);
    if (secret.kind !== 'oauth2')
      throw new PatchbayError(
        'invalid_input',
        `This ${def.name} connection uses an API key, which does not expire. {test} to check it.`,
        { field: 'connectionId' },
      );
    trace.registerSecret(secret.accessToken);
    trace.registerSecret(secret.refreshToken);
    const now = ctx.clock.now();
    if (options.seenAccessToken !== undefined && secret.accessToken !== options.seenAccessToken) {
      trace.add({
        step: 'refresh_skipped',
        detail: 'Another Patchbay process already renewed the token; using it.',
        ok: true,
      });
      return secret;
    }
    const idle = options.idleMs !== undefined && now - lastRefreshUse(record) >= options.idleMs;
    if (!options.force && !idle && !expiresWithin(secret, now, options.aheadMs ?? REFRESH_AHEAD_MS)) {
      trace.add({ step: 'refresh_skipped', detail: 'The token is still valid; no refresh needed.', ok: true });
      return secret;
    }
    const byClient = renewsByClientCredentials(def);
    if (!secret.refreshToken && !byClient) {
      throw new PatchbayError(
        'invalid_input',
        `${def.name} gave no refresh token for this connection, so Patchbay cannot renew it. {reconnect} when it stops working.`,
        { field: 'connectionId' },
      );
    }
    let fresh: TokenSet;
    try {
      await beforeProviderHttp(ctx, def);
      const client = await clientFor(ctx, def);
      trace.registerSecret(client.clientSecret);
      // Bounded before anything is stored: a token too large is refused like a failed refresh.
      // A client-credentials connection has no refresh token: it asks again with the app's own
      // ID and secret. A refresh token, when a provider sent one anyway, is still preferred.
      const http = httpFor(ctx, def, trace);
      const bounded = boundTokenSet(
        def,
        secret.refreshToken
          ? await refreshTokenSet(http, def, client, secret.refreshToken)
          : await clientCredentialsToken(http, def, client),
      );
      for (const notice of bounded.notices) trace.add({ step: 'token_answer', detail: notice, ok: true });
      fresh = bounded.tokens;
    } catch (error) {
      const mapped = toPatchbayError(error);
      trace.add({ step: 'refresh', detail: `Refresh failed: ${mapped.code}.`, ok: false });
      await updateConnection(ctx, connectionId, (r) => {
        if (mapped.code === 'invalid_grant') r.state = 'needs_reconnect';
        r.lastError = mapped.toBridge();
      });
      throw mapped;
    }
    trace.registerSecret(fresh.accessToken);
    trace.registerSecret(fresh.refreshToken);
    const merged: OAuthSecret = {
      ...secret,
      ...fresh,
      kind: 'oauth2',
      refreshToken: fresh.refreshToken ?? secret.refreshToken,
    };
    if (fresh.expiresAt === undefined) delete merged.expiresAt;
    // Rotated refresh tokens are single-use: the vault gets the new set before anything else.
    await ctx.vault.setConnectionSecret(connectionId, merged);
    trace.add({
      step: 'keychain_write',
      detail: fresh.refreshToken
        ? 'Saved the renewed tokens (the refresh token was rotated).'
        : secret.refreshToken
          ? 'Saved the renewed access token; kept the refresh token.'
          : 'Saved the new access token (asked again with the client credentials).',
      ok: true,
    });
    await updateConnection(ctx, connectionId, (r) => {
      r.expiresAt = merged.expiresAt === undefined ? null : new Date(merged.expiresAt).toISOString();
      r.state = 'ok';
      r.lastError = null;
      r.hasRefreshToken = merged.refreshToken !== undefined;
      r.refreshedAt = new Date(now).toISOString();
      if (fresh.scope) r.scopes = splitScopes(fresh.scope);
    });
    return merged;
  }
}

/**
 * Renew a refresh token that has not been used for this long, even when its access token is
 * still valid. Some providers let an unused refresh token lapse (Google's stop working after six
 * months unused; others allow far less), and a connection whose access token lives long or is
 * never used would otherwise be found broken only when someone needs it. A week keeps well
 * inside every lapse window we know of and costs one token request per connection per week.
 */
export const KEEP_ALIVE_MS = 7 * 24 * 60 * 60_000;

/** When a connection's refresh token was last used: its last renewal, else its creation. */
export function lastRefreshUse(record: Pick<ConnectionRecord, 'refreshedAt' | 'createdAt'>): number {
  const at = Date.parse(record.refreshedAt ?? record.createdAt);
  return Number.isNaN(at) ? 0 : at;
}

/** What the scheduler drives: refresh every connection expiring within the margin. */
export interface RefreshTarget {
  refreshDue(marginMs: number): Promise<void>;
}

/**
 * Keep tokens fresh in a long-running host (the desktop app, the web host).
 *
 * Checks every `intervalMs` (default: half the margin, at most one minute); timers are unref'd
 * so they never keep a process alive. Returns a handle whose stop() waits for a running sweep.
 */
export function startRefreshScheduler(
  target: RefreshTarget,
  options: { marginMs: number; intervalMs?: number },
): RefreshScheduler {
  const interval = options.intervalMs ?? Math.max(1000, Math.min(60_000, Math.floor(options.marginMs / 2)));
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = target
      .refreshDue(options.marginMs)
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, interval);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/** A running scheduler; `stop` resolves once a sweep in progress has finished. */
export interface RefreshScheduler {
  stop(): Promise<void>;
}
