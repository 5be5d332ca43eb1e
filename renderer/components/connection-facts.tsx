/**
 * The parts of the connection-details look that a support bundle shows too: the facts list, the
 * diagnosis (one sentence, one action) and the timeline. Shared by the details dialog and the
 * read-only bundle dialog, so the engineer sees what the customer saw, laid out the same way.
 */
import { useState } from 'react';
import { connectionTarget, uiText } from '../action-words';
import type { ConnectionView, Diagnosis, TraceEntry } from '../../preload/contract';
import { connectionStatusText } from '../status-words';
import { copyText } from './copy-button';

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Status, account, kind, scopes, expiry, last test and last problem of one connection. */
export function ConnectionFacts({ connection: c, now }: { connection: ConnectionView; now: number }) {
  return (
    <dl className="details">
      <dt>Status</dt>
      <dd>{connectionStatusText(c, now)}</dd>
      <dt>Account</dt>
      <dd>{c.label}</dd>
      <dt>Kind</dt>
      <dd>{c.auth === 'apiKey' ? 'API key' : 'OAuth 2.0'}</dd>
      <dt>Scopes</dt>
      <dd>{c.scopes.length ? c.scopes.join(', ') : 'None'}</dd>
      <dt>Access expires</dt>
      <dd>
        {c.expiresAt ? `${when(c.expiresAt)}${c.canRefresh ? ' (renewed automatically)' : ''}` : 'Does not expire'}
      </dd>
      <dt>Connected since</dt>
      <dd>{when(c.createdAt)}</dd>
      <dt>Last test</dt>
      <dd>
        {c.lastTest
          ? `${c.lastTest.ok ? 'Passed' : 'Failed'} · HTTP ${c.lastTest.httpStatus ?? '—'} · ${c.lastTest.latencyMs} ms · ${when(c.lastTest.at)}`
          : 'Not tested yet'}
      </dd>
      {c.lastError ? (
        <>
          <dt>Last problem</dt>
          <dd>{uiText(c.lastError.message, connectionTarget(c))}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * The diagnosis: its sentence and its one action. Copy always works (it only copies); the other
 * actions are buttons only where `onAction` can carry them out, and plain words otherwise (a
 * bundle someone sent can tell what to do, not do it here).
 */
export function DiagnosisPanel({
  diagnosis: d,
  onAction,
}: {
  diagnosis: Diagnosis;
  onAction?: ((d: Diagnosis) => void) | undefined;
}) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'manual'>('idle');
  const a = d.action;
  const doable = onAction && (a.kind === 'setup' || a.kind === 'reconnect' || a.kind === 'retry');
  return (
    <section className="diagnosis notice notice-error" aria-labelledby="diagnosis-title">
      <h3 id="diagnosis-title">What went wrong</h3>
      <p>{d.sentence}</p>
      {a.kind === 'copy' && a.value ? (
        <p>
          <code className="copy-value">{a.value}</code>{' '}
          <button
            type="button"
            onClick={() => {
              copyText(a.value ?? '').then(
                (ok) => setCopied(ok ? 'copied' : 'manual'),
                () => setCopied('manual'),
              );
            }}
          >
            {a.label}
          </button>
        </p>
      ) : doable ? (
        <p>
          <button type="button" onClick={() => onAction(d)}>
            {a.label}
          </button>
        </p>
      ) : (
        <p>
          <strong>{a.label}.</strong>
        </p>
      )}
      <p role="status" className="hint">
        {copied === 'copied' ? 'Copied.' : ''}
        {copied === 'manual' ? 'Your browser blocked copying. Select the text above and press Ctrl+C.' : ''}
      </p>
    </section>
  );
}

/** The trace as a timeline, oldest first. URLs are never links here. */
export function Timeline({ entries }: { entries: readonly TraceEntry[] }) {
  if (entries.length === 0) return <p>Nothing recorded yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {entries.map((e, i) => (
        <li key={i} className={e.ok ? 'ok' : 'failed'}>
          <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time>{' '}
          <strong>{e.step.replace(/_/g, ' ')}</strong> {e.ok ? '' : <span className="badge badge-error">failed</span>}{' '}
          {e.detail}
          {e.httpStatus || e.durationMs !== undefined ? (
            <span className="meta">
              {' '}
              {e.technical ?? (e.httpStatus ? `HTTP ${e.httpStatus}` : '')}{' '}
              {e.durationMs !== undefined ? `${e.durationMs} ms` : ''}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
