/**
 * Details of one connection: account, scopes, expiry, last test, the diagnosis of its last failure
 * (one sentence, one action), and the flow trace as a timeline, with "Copy diagnostics" and
 * "Save support bundle" for a support ticket.
 */
import { useEffect, useState } from 'react';
import type { AppInfo, ConnectionView, Diagnosis, PatchbayApi, TraceView } from '../../preload/contract';
import { unexpectedError } from '../async-action';
import { saveBundle } from '../bundle-file';
import { diagnosticsText } from '../diagnostics';
import { copyText } from './copy-button';
import { ConnectionFacts, DiagnosisPanel, Timeline } from './connection-facts';
import { Modal } from './modal';
import { TryRequest } from './try-request';

/** The "<label> at <provider>" details dialog. */
export function DetailsDialog({
  api,
  connection: c,
  info,
  onClose,
  onDiagnosisAction,
}: {
  api: PatchbayApi;
  connection: ConnectionView;
  info: AppInfo | null;
  onClose: () => void;
  /** Carry out a diagnosis's action (open Set up, sign in again, test again). */
  onDiagnosisAction?: (d: Diagnosis) => void;
}) {
  const [trace, setTrace] = useState<TraceView | null>(null);
  const [traceError, setTraceError] = useState<string | null>(null);
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const [copy, setCopy] = useState<{ state: 'idle' | 'copied' | 'manual'; text: string }>({ state: 'idle', text: '' });
  const [bundle, setBundle] = useState<{ busy: boolean; text: string; ok: boolean }>({
    busy: false,
    text: '',
    ok: true,
  });

  useEffect(() => {
    api.invoke('connections:trace', c.id).then(
      (r) => (r.ok ? setTrace(r.value) : setTraceError(r.error.message)),
      (error: unknown) => setTraceError(unexpectedError(error).message),
    );
    // A diagnosis that cannot be made (an old record) leaves the dialog as it was.
    api.invoke('connections:diagnose', c.id).then(
      (r) => setDiagnosis(r.ok ? r.value : null),
      () => setDiagnosis(null),
    );
  }, [api, c.id, c.lastError?.code, c.lastTestedAt]);

  function copyDiagnostics() {
    const text = diagnosticsText(c, trace, info);
    // A refused clipboard shows the text to copy by hand, whichever way the refusal comes.
    copyText(text).then(
      (ok) => setCopy({ state: ok ? 'copied' : 'manual', text }),
      () => setCopy({ state: 'manual', text }),
    );
  }

  function saveSupportBundle() {
    setBundle({ busy: true, text: 'Saving the support bundle…', ok: true });
    saveBundle(api, c.id).then(
      (r) => setBundle({ busy: false, ...r }),
      (error: unknown) => setBundle({ busy: false, ok: false, text: unexpectedError(error).message }),
    );
  }

  return (
    <Modal title={`${c.label} at ${c.providerName}`} onClose={onClose} className="wide">
      {diagnosis ? <DiagnosisPanel diagnosis={diagnosis} onAction={onDiagnosisAction} /> : null}
      <ConnectionFacts connection={c} now={Date.now()} />
      <h3>What happened</h3>
      {traceError ? <p className="form-error">{traceError}</p> : null}
      {trace === null && !traceError ? <p>Loading the timeline…</p> : null}
      {trace ? <Timeline entries={trace.entries} /> : null}
      <TryRequest api={api} connection={c} />
      <div className="dialog-actions">
        <button type="button" onClick={copyDiagnostics}>
          Copy diagnostics
        </button>
        <button type="button" onClick={saveSupportBundle} disabled={bundle.busy}>
          Save support bundle
        </button>
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
      <p role="status" className={bundle.ok ? 'hint' : 'form-error'}>
        {bundle.text}
      </p>
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
