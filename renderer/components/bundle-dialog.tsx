/**
 * "Open a support bundle": a bundle someone sent, shown read-only in the connection-details look.
 *
 * The core has already checked and cleaned it (size, format, every field, control characters).
 * Nothing here acts on it: no Try a request, no Test or Sign in, addresses are plain text (never
 * links), and nothing is imported as a provider or a connection.
 */
import { useRef, useState } from 'react';
import type { PatchbayApi, SupportBundleView } from '../../preload/contract';
import { openBundleFile } from '../bundle-file';
import { unexpectedError } from '../async-action';
import { ConnectionFacts, DiagnosisPanel, Timeline } from './connection-facts';
import { Modal } from './modal';

function claimsText(view: SupportBundleView['tokens']['accessToken']): string {
  if (!view) return 'Not a JWT (or none)';
  const list = (r: Record<string, unknown>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(', ');
  return `Header: ${list(view.header) || 'empty'} · Claims: ${list(view.claims) || 'none'}`;
}

/** The read-only dialog for one bundle. */
export function BundleDialog({ bundle: b, onClose }: { bundle: SupportBundleView; onClose: () => void }) {
  const c = b.connection;
  const skew = b.clockSkewSeconds;
  return (
    <Modal title={`Support bundle: ${c.label} at ${c.providerName}`} onClose={onClose} className="wide">
      <p className="hint">
        Read-only. Made {new Date(b.createdAt).toLocaleString()} by Patchbay {b.app.version} on {b.app.os} ({b.app.arch}
        ). Nothing in it is imported.
      </p>
      {b.diagnosis ? <DiagnosisPanel diagnosis={b.diagnosis} /> : <p>No known failure signature.</p>}
      <ConnectionFacts connection={c} now={Date.parse(b.createdAt) || Date.now()} />
      <dl className="details">
        <dt>Provider</dt>
        <dd>
          {b.provider.name} ({b.provider.id}) · {b.provider.tokenUrl ?? b.provider.testUrl ?? 'no URL'}
        </dd>
        <dt>Scopes asked for</dt>
        <dd>{b.scopes.requested.join(', ') || 'None'}</dd>
        <dt>Scopes missing</dt>
        <dd>{b.scopes.missing.join(', ') || 'None'}</dd>
        <dt>Clock</dt>
        <dd>
          {skew === null
            ? 'Not measured'
            : skew === 0
              ? 'In step with the provider'
              : `${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} the provider`}
        </dd>
        <dt>Access token</dt>
        <dd>{claimsText(b.tokens.accessToken)}</dd>
        <dt>ID token</dt>
        <dd>{claimsText(b.tokens.idToken)}</dd>
      </dl>
      <h3>What happened</h3>
      <Timeline entries={b.trace} />
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose} data-autofocus>
          Done
        </button>
      </div>
    </Modal>
  );
}

/** The toolbar button: pick a file, have the core check it, then show it (or say what is wrong). */
export function OpenBundleButton({
  api,
  onOpened,
  onError,
}: {
  api: PatchbayApi;
  onOpened: (bundle: SupportBundleView) => void;
  onError: (message: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button type="button" disabled={busy} onClick={() => input.current?.click()}>
        <span className="wide-only">Open a support bundle</span>
        <span className="narrow-only" aria-hidden="true">
          Support bundle
        </span>
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        aria-label="Support bundle file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setBusy(true);
          openBundleFile(api, file)
            .then(
              (r) => (r.ok ? onOpened(r.value) : onError(r.error.message)),
              (error: unknown) => onError(unexpectedError(error).message),
            )
            .finally(() => setBusy(false));
        }}
      />
    </>
  );
}
