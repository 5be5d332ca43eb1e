/**
 * Import and export custom provider definitions (the same JSON format both ways).
 *
 * Import accepts a pasted text or a chosen file; the core validates it and its error names the
 * field (and, for a list, which entry), shown next to the text. Export shows the JSON to copy or
 * download; definitions carry no client ID or secret by construction.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { BridgeError, PatchbayApi, ProviderView } from '../../preload/contract';
import { CopyButton } from './copy-button';
import { asyncAction, unexpectedError } from '../async-action';
import { Field, Modal, describedBy, FormActions } from './modal';

/** Import dialog: paste or choose a file, then "Import". */
export function ImportDialog({ api, onClose, onImported }: { api: PatchbayApi; onClose: () => void; onImported: (p: ProviderView[]) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await api.invoke('providers:import', text);
    setBusy(false);
    if (result.ok) onImported(result.value);
    else setError(result.error);
  }

  const message = error ? (error.field ? `${error.message} (field: ${error.field})` : error.message) : null;
  return (
    <Modal title="Import providers" onClose={onClose} className="wide">
      <form onSubmit={asyncAction(submit, (e) => { setBusy(false); setError(e); })} noValidate>
        <Field id="import-file" label="Choose a file">
          <input
            id="import-file"
            type="file"
            accept="application/json,.json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) file.text().then(setText, (error: unknown) => setError(unexpectedError(error)));
            }}
          />
        </Field>
        <Field id="import-json" label="Provider definitions (JSON)" hint="One definition or a list. Existing providers with the same ID are updated." error={message}>
          <textarea
            id="import-json"
            rows={10}
            value={text}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy('import-json', true, Boolean(error))}
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <FormActions onCancel={onClose} busy={busy} disabled={text.trim() === ''} submitLabel="Import" />
      </form>
    </Modal>
  );
}

/** Export dialog: the JSON of every custom provider, to copy or download. */
export function ExportDialog({ api, ids, onClose }: { api: PatchbayApi; ids: string[]; onClose: () => void }) {
  const [json, setJson] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.invoke('providers:export', ids).then((r) => (r.ok ? setJson(r.value) : setError(r.error.message)), (error: unknown) => setError(unexpectedError(error).message));
  }, [api, ids]);

  function download() {
    if (json === null) return;
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'patchbay-providers.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  return (
    <Modal title="Export providers" onClose={onClose} className="wide">
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <Field id="export-json" label={ids.length === 0 ? 'All providers (JSON)' : `${ids.length} custom provider(s) (JSON)`}>
        <textarea id="export-json" rows={12} readOnly value={json ?? 'Loading…'} spellCheck={false} />
      </Field>
      <div className="dialog-actions">
        {json !== null ? <CopyButton text={json} label="Copy the JSON" /> : null}
        <button type="button" onClick={download} disabled={json === null}>
          Download
        </button>
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
