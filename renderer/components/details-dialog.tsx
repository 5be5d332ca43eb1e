/**
 * Details of one connection: account, scopes, expiry, last test, and the flow trace as a timeline,
 * with "Copy diagnostics" for a support ticket.
 */
import { connectionTarget, uiText } from '../action-words';
import { useEffect, useState } from 'react';
import type { AppInfo, ConnectionView, PatchbayApi, TraceView } from '../../preload/contract';
import { unexpectedError } from '../async-action';
import { diagnosticsText } from '../diagnostics';
import { connectionStatusText } from '../status-words';
import { copyText } from './copy-button';
import { Modal } from './modal';
import { TryRequest } from './try-request';

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The "<label> at <provider>" details dialog. */
export function DetailsDialog({
  api,
  connection: c,
  info,
  onClose,
}: {
  api: PatchbayApi;
  connection: ConnectionView;
  info: AppInfo | null;
  onClose: () => void;
}) {
  const [trace, setTrace] = useState<TraceView | null>(null);
  const [traceError, setTraceError] = useState<string | null>(null);
  const [copy, setCopy] = useState<{ state: 'idle' | 'copied' | 'manual'; text: string }>({ state: 'idle', text: '' });

  useEffect(() => {
    api.invoke('connections:trace', c.id).then(
      (r) => (r.ok ? setTrace(r.value) : setTraceError(r.error.message)),
      (error: unknown) => setTraceError(unexpectedError(error).message),
    );
  }, [api, c.id]);

  function copyDiagnostics() {
    const text = diagnosticsText(c, trace, info);
    // A refused clipboard shows the text to copy by hand, whichever way the refusal comes.
    copyText(text).then(
      (ok) => setCopy({ state: ok ? 'copied' : 'manual', text }),
      () => setCopy({ state: 'manual', text }),
    );
  }

  return (
    <Modal title={`${c.label} at ${c.providerName}`} onClose={onClose} className="wide">
      <dl className="details">
        <dt>Status</dt>
        <dd>{connectionStatusText(c, Date.now())}</dd>
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
        <dt>Last checked</dt>
        <dd>
          {c.lastCheck
            ? `${when(c.lastCheck.at)} (${c.lastCheck.status === 'ok' ? 'working' : 'needs attention'})`
            : when(c.lastTestedAt)}
        </dd>
        <dt>Last known working</dt>
        <dd>{when(c.lastVerifiedAt ?? null)}</dd>
        {c.lastError ? (
          <>
            <dt>Last problem</dt>
            <dd>{uiText(c.lastError.message, connectionTarget(c))}</dd>
          </>
        ) : null}
      </dl>
      <h3>What happened</h3>
      {traceError ? <p className="form-error">{traceError}</p> : null}
      {trace === null && !traceError ? <p>Loading the timeline…</p> : null}
      {trace && trace.entries.length === 0 ? <p>Nothing recorded yet.</p> : null}
      {trace && trace.entries.length > 0 ? (
        <ol className="timeline" aria-label="Timeline">
          {trace.entries.map((e, i) => (
            <li key={i} className={e.ok ? 'ok' : 'failed'}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time>{' '}
              <strong>{e.step.replace(/_/g, ' ')}</strong>{' '}
              {e.ok ? '' : <span className="badge badge-error">failed</span>} {e.detail}
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
      ) : null}
      <TryRequest api={api} connection={c} />
      <div className="dialog-actions">
        <button type="button" onClick={copyDiagnostics}>
          Copy diagnostics
        </button>
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
      <p role="status" className="hint">
        {copy.state === 'copied' ? 'Diagnostics copied. Paste them into your support ticket.' : ''}
        {copy.state === 'manual' ? 'Your browser blocked copying. Select the text below and press Ctrl+C.' : ''}
      </p>
      {copy.state !== 'idle' ? (
        <textarea
          aria-label="Diagnostics"
          readOnly
          rows={8}
          value={copy.text}
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
    </Modal>
  );
}
