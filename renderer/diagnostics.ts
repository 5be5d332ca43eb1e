/**
 * "Copy diagnostics": a plain-text summary of one connection for a support ticket.
 *
 * Built only from views and the (already redacted) trace, so it holds no secret by construction;
 * as a second net, anything shaped like a bearer token or a sensitive query value is masked again.
 */
import { connectionTarget, uiText } from './action-words';
import type { AppInfo, ConnectionView, TraceView } from '../preload/contract';

const SENSITIVE_PARAMS =
  /([?&](?:code|access_token|refresh_token|id_token|client_secret|token|api_key|apikey|key|password)=)[^&#\s]+/gi;
const BEARER = /\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Mask values that look like credentials (defence in depth; the core redacts first). */
export function maskSecrets(text: string): string {
  return text.replace(SENSITIVE_PARAMS, '$1[redacted]').replace(BEARER, '$1 [redacted]');
}

/** The text copied to the clipboard. */
export function diagnosticsText(
  c: ConnectionView,
  trace: TraceView | null,
  info: AppInfo | null,
  now = new Date(),
): string {
  const lines = [
    `Patchbay diagnostics — ${now.toISOString()}`,
    `Host: ${info?.host ?? 'unknown'} ${info?.version ?? ''}`.trim(),
    `Provider: ${c.providerName} (${c.providerId}, ${c.auth === 'apiKey' ? 'API key' : 'OAuth 2.0'})`,
    `Connection: ${c.id}`,
    `Account: ${c.label}`,
    `Status: ${c.status}`,
    `Scopes: ${c.scopes.length ? c.scopes.join(' ') : '(none)'}`,
    `Expires: ${c.expiresAt ?? 'does not expire'}`,
    `Can refresh: ${c.canRefresh ? 'yes' : 'no'}`,
    `Created: ${c.createdAt}`,
    c.lastTest
      ? `Last test: ${c.lastTest.ok ? 'passed' : 'failed'}, HTTP ${c.lastTest.httpStatus ?? '-'}, ${c.lastTest.latencyMs} ms at ${c.lastTest.at}`
      : 'Last test: never',
    c.lastError
      ? `Last error: ${c.lastError.code} — ${uiText(c.lastError.message, connectionTarget(c))}`
      : 'Last error: none',
    '',
    'Trace:',
  ];
  for (const e of trace?.entries ?? []) {
    const http = [
      e.method,
      e.url,
      e.httpStatus ? `→ ${e.httpStatus}` : null,
      e.durationMs !== undefined ? `${e.durationMs} ms` : null,
      e.technical ?? null,
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(`${e.at} ${e.ok ? 'ok  ' : 'FAIL'} ${e.step}: ${e.detail}${http ? ` [${http}]` : ''}`);
  }
  if (!trace?.entries.length) lines.push('(no trace recorded)');
  return maskSecrets(lines.join('\n'));
}
