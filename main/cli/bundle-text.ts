/**
 * A support bundle in plain words, for `patchbay bundle show`: what the customer's Patchbay saw,
 * in the order a support engineer reads it (diagnosis first, then the connection, the clock,
 * scopes, tokens and the trace). Every value was cleaned when the bundle was read.
 */
import type { Diagnosis, JwtClaimsView, SupportBundleView, TraceEntry } from '../../preload/contract';

/** A diagnosis as two lines for a terminal: the sentence, then what to do (with the value to copy). */
export function diagnosisText(d: Diagnosis): string {
  return `Diagnosis: ${d.sentence}\n  What to do: ${d.action.label}${d.action.value ? `: ${d.action.value}` : ''}`;
}

const STATUS: Record<SupportBundleView['connection']['status'], string> = {
  connected: 'connected',
  expiring: 'connected, access expiring soon',
  expired: 'access expired',
  needs_reconnect: 'needs to be connected again',
  error: 'has a problem',
};

function clockLine(skew: number | null, provider: string): string {
  if (skew === null) return `Clock: ${provider} sent no usable Date header, so the clock was not compared.`;
  if (skew === 0) return `Clock: this computer and ${provider} agree (within a second or two).`;
  const way = skew > 0 ? 'behind' : 'ahead of';
  return `Clock: this computer was ${Math.abs(skew)} seconds ${way} ${provider}.`;
}

function claimsLine(name: string, view: JwtClaimsView | null): string {
  if (!view) return `${name}: not a JWT (opaque), or none.`;
  const list = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(', ');
  return `${name}: JWT. Header: ${list(view.header) || 'empty'}. Claims: ${list(view.claims) || 'none'}.`;
}

function traceLine(e: TraceEntry): string {
  const parts = [e.at, e.ok ? 'ok    ' : 'FAILED', e.step];
  if (e.method || e.url) parts.push(`${e.method ?? ''} ${e.url ?? ''}`.trim());
  if (e.httpStatus !== undefined) parts.push(`HTTP ${e.httpStatus}`);
  if (e.durationMs !== undefined) parts.push(`${e.durationMs} ms`);
  const signals = [
    e.oauthError && `error=${e.oauthError}`,
    e.scopeNeeded && `scope needed=${e.scopeNeeded}`,
    e.retryAfterSeconds !== undefined && `retry after ${e.retryAfterSeconds} s`,
    e.transportError && `transport=${e.transportError}`,
    e.clockSkewSeconds !== undefined && e.clockSkewSeconds !== 0 && `clock off by ${e.clockSkewSeconds} s`,
  ].filter(Boolean);
  return `  ${parts.join('  ')}\n      ${e.detail}${signals.length ? ` [${signals.join('; ')}]` : ''}`;
}

/** The whole bundle as text for a terminal. */
export function bundleText(b: SupportBundleView): string {
  const c = b.connection;
  const lines = [
    `Support bundle (read-only), made ${b.createdAt} by Patchbay ${b.app.version} on ${b.app.os} (${b.app.arch}, Node ${b.app.node}).`,
    '',
    b.diagnosis ? diagnosisText(b.diagnosis) : 'Diagnosis: no known failure signature.',
    '',
    `Connection: ${c.label} (${c.providerName}), ${STATUS[c.status]}. ID ${c.id}, ${c.auth === 'apiKey' ? 'API key' : 'OAuth 2.0'}.`,
    `  Created ${c.createdAt}; access ${c.expiresAt ? `expires ${c.expiresAt}` : 'does not expire'}; ${c.lastTest ? `last tested ${c.lastTest.at} (${c.lastTest.ok ? 'worked' : `failed, HTTP ${c.lastTest.httpStatus ?? 'none'}`})` : 'never tested'}.`,
    c.lastError ? `  Last error (${c.lastError.code}): ${c.lastError.message}` : '  No error recorded.',
    `Provider: ${b.provider.name} (${b.provider.id}), ${b.provider.auth === 'apiKey' ? 'API key' : 'OAuth 2.0'}.`,
    ...(['authorizationUrl', 'tokenUrl', 'testUrl', 'redirectUri'] as const)
      .filter((k) => b.provider[k])
      .map((k) => `  ${k}: ${String(b.provider[k])}`),
    clockLine(b.clockSkewSeconds, b.provider.name),
    `Scopes: requested ${b.scopes.requested.join(' ') || '(none)'}; granted ${b.scopes.granted.join(' ') || '(none)'}; missing ${b.scopes.missing.join(' ') || '(none)'}.`,
    claimsLine('Access token', b.tokens.accessToken),
    claimsLine('ID token', b.tokens.idToken),
    '',
    `Trace (${b.trace.length} step${b.trace.length === 1 ? '' : 's'}, oldest first):`,
    ...b.trace.map(traceLine),
  ];
  return `${lines.join('\n')}\n`;
}
