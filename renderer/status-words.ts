/**
 * Statuses in words: what a person reads for each provider and connection, and the one action
 * that fits.
 *
 * Kept pure (views in, strings out) so the wording is unit-tested and the components stay dumb.
 */
import type { ConnectionView, ProviderView } from '../preload/contract';

export type ConnectionAction = 'test' | 'refresh' | 'reconnect';

/** "in 42 min", "in 3 h 5 min", "in 2 days"; past times read "now". */
export function durationWords(ms: number): string {
  if (ms <= 60_000) return ms <= 0 ? 'now' : 'in 1 min';
  // Floor: the page clock ticks once a minute, so never promise more time than is left.
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `in ${hours} h` : `in ${hours} h ${minutes % 60} min`;
  return `in ${Math.round(hours / 24)} days`;
}

/** The status sentence of one connection, e.g. "Connected as Acme · renews in 42 min". */
export function connectionStatusText(c: ConnectionView, now: number): string {
  const expiresIn = c.expiresAt ? Date.parse(c.expiresAt) - now : null;
  switch (c.status) {
    case 'connected':
    case 'expiring': {
      if (expiresIn === null) return `Connected as ${c.label}`;
      return `Connected as ${c.label} · ${c.canRefresh ? 'renews' : 'expires'} ${durationWords(expiresIn)}`;
    }
    case 'expired':
      return c.canRefresh
        ? `Connected as ${c.label} · access expired, renews on next use`
        : `Access for ${c.label} expired · needs you to sign in again`;
    case 'needs_reconnect':
      return 'Needs you to sign in again';
    case 'error':
      return errorWords(c);
  }
}

function errorWords(c: ConnectionView): string {
  const e = c.lastError;
  if (!e) return `Something went wrong with ${c.providerName}`;
  switch (e.code) {
    case 'network':
    case 'timeout':
      return `Couldn't reach ${c.providerName}`;
    case 'rate_limited':
      return e.retryAfterSeconds
        ? `${c.providerName} asked to slow down · try again in ${e.retryAfterSeconds} s`
        : `${c.providerName} asked to slow down · try again later`;
    case 'invalid_grant':
    case 'access_denied':
    case 'invalid_client':
      return 'Needs you to sign in again';
    case 'keychain_unavailable':
      return "Couldn't open your keychain";
    default:
      return `${c.providerName} answered with an error`;
  }
}

/** The one obvious next step for a connection. */
export function primaryAction(c: ConnectionView): ConnectionAction {
  if (c.status === 'needs_reconnect') return 'reconnect';
  if (c.status === 'expired') return c.canRefresh ? 'refresh' : 'reconnect';
  if (c.status === 'error' && ['invalid_grant', 'access_denied', 'invalid_client'].includes(c.lastError?.code ?? '')) {
    return 'reconnect';
  }
  return 'test';
}

export const ACTION_LABELS: Record<ConnectionAction, string> = {
  test: 'Test connection',
  refresh: 'Refresh',
  reconnect: 'Reconnect',
};

/** What a provider with no active sign-in still needs: set-up, or nothing (ready). */
export function providerStateText(p: ProviderView, connectionCount: number): string {
  if (p.needs !== null) return 'Not set up';
  if (connectionCount === 0) return 'Ready to connect';
  return connectionCount === 1 ? '1 connection' : `${connectionCount.toLocaleString('en-US')} connections`;
}

/** "Waiting for you to sign in at LiveChat…" */
export function waitingText(p: ProviderView): string {
  return `Waiting for you to sign in at ${p.name}…`;
}

/** Short kind label shown next to a provider name. */
export function authKindText(p: ProviderView): string {
  return p.auth === 'apiKey' ? 'API key' : 'OAuth 2.0';
}

/** Group providers by family, the documented method first, families in catalog order. */
export function groupFamilies(providers: ProviderView[]): ProviderView[][] {
  const families = new Map<string, ProviderView[]>();
  for (const p of providers) {
    const list = families.get(p.family) ?? [];
    list.push(p);
    families.set(p.family, list);
  }
  // Array sort is stable: within "documented" and "not documented", catalog order is kept.
  return [...families.values()].map((list) => [...list].sort((a, b) => Number(b.documented) - Number(a.documented)));
}
