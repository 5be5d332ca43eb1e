/**
 * Import and export custom provider definitions (the same JSON format both ways).
 *
 * Import accepts a pasted text or a chosen file; the core validates it and its error names the
 * field (and, for a list, which entry). The dialog turns that into a line of its own editor, says
 * "Line 7: …" under it and selects that line, so the fix happens right here. Export shows the JSON to copy or
 * download; definitions carry no client ID or secret by construction.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { lineFromMessage, locateField } from '../json-locate';
import type { BridgeError, PatchbayApi, ProviderImportPreview, ProviderView } from '../../preload/contract';
import { ChangeReview } from './change-review';
import { CopyButton } from './copy-button';
import { asyncAction, unexpectedError } from '../async-action';
import { Field, Modal, describedBy, FormActions } from './modal';

/** Import dialog: paste or choose a file, "Review import" shows what changes, then "Import". */
export function ImportDialog({
  api,
  onClose,
  onImported,
}: {
  api: PatchbayApi;
  onClose: () => void;
  onImported: (p: ProviderView[]) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<{ error: BridgeError; line: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const [review, setReview] = useState<ProviderImportPreview[] | null>(null);
  const [trusted, setTrusted] = useState(false);

  function showError(failure: BridgeError) {
    const { field, message } = failure;
    const where = field === 'file' ? lineFromMessage(text, message) : field ? locateField(text, field) : null;
    setReview(null);
    setError({ error: failure, line: where?.line ?? null });
    // Put the caret on the line at fault: the person fixes it right here.
    const area = textRef.current;
    if (area) {
      area.focus();
      if (where) area.setSelectionRange(where.start, where.end);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    if (review === null) {
      // First the review: nothing is saved until the person has seen what changes.
      const preview = await api.invoke('providers:preview', text);
      setBusy(false);
      if (!preview.ok) return showError(preview.error);
      setError(null);
      setTrusted(false);
      setReview(preview.value);
      return;
    }
    const confirm = review.some((p) => p.needsConfirmation);
    const result = await api.invoke('providers:import', text, confirm ? { allowOriginChange: trusted } : {});
    setBusy(false);
    if (result.ok) return onImported(result.value);
    showError(result.error);
  }

  const message = error
    ? error.line !== null && !/line \d+/.test(error.error.message)
      ? `Line ${error.line}: ${error.error.message}`
      : error.error.message
    : null;
  return (
    <Modal title="Import providers" onClose={onClose} className="wide">
      <form
        onSubmit={asyncAction(submit, (e) => {
          setBusy(false);
          setError({ error: e, line: null });
        })}
        noValidate
      >
        {review === null ? (
          <>
            <Field id="import-file" label="Choose a file">
              <input
                id="import-file"
                type="file"
                accept="application/json,.json"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file)
                    file
                      .text()
                      .then(setText, (error: unknown) => setError({ error: unexpectedError(error), line: null }));
                }}
              />
            </Field>
            <Field
              id="import-json"
              label="Provider definitions (JSON)"
              hint="One definition or a list. Existing providers with the same ID are updated; you see what changes before anything is saved."
              error={message}
            >
              <textarea
                ref={textRef}
                id="import-json"
                rows={10}
                value={text}
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy('import-json', true, Boolean(error))}
                onChange={(e) => setText(e.target.value)}
              />
            </Field>
            <FormActions
              onCancel={onClose}
              busy={busy}
              disabled={text.trim() === ''}
              submitLabel="Review import"
              busyLabel="Checking…"
            />
          </>
        ) : (
          <>
            <ChangeReview previews={review} trusted={trusted} onTrustedChange={setTrusted} />
            {message ? (
              <p className="form-error" role="alert">
                {message}
              </p>
            ) : null}
            <div className="dialog-actions">
              <button type="button" onClick={() => setReview(null)}>
                Back
              </button>
              <button
                type="submit"
                className="primary"
                disabled={busy || (review.some((p) => p.needsConfirmation) && !trusted)}
              >
                {busy ? 'Importing…' : `Import ${review.length} provider${review.length === 1 ? '' : 's'}`}
              </button>
            </div>
          </>
        )}
      </form>
    </Modal>
  );
}

/** Export dialog: the JSON of every custom provider, to copy or download. */
export function ExportDialog({ api, ids, onClose }: { api: PatchbayApi; ids: string[]; onClose: () => void }) {
  const [json, setJson] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.invoke('providers:export', ids).then(
      (r) => (r.ok ? setJson(r.value) : setError(r.error.message)),
      (error: unknown) => setError(unexpectedError(error).message),
    );
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
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <Field
        id="export-json"
        label={ids.length === 0 ? 'All providers (JSON)' : `${ids.length} custom provider(s) (JSON)`}
      >
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
