/**
 * Add or edit a custom provider (OAuth 2.0 or API key).
 *
 * The core validates the definition (one source of truth) and reports every problem at once, each
 * naming its field: each is shown under that field and marked invalid, and the first gets the focus,
 * so one Save shows everything to fix and where.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type {
  BridgeError,
  PatchbayApi,
  ProviderDefinition,
  ProviderDiscovery,
  ProviderImportPreview,
  ProviderView,
} from '../../preload/contract';
import { ChangeReview } from './change-review';
import { asyncAction } from '../async-action';
import { IssuerLookup } from './issuer-lookup';
import { FIELDS, type Form, GRANTS, fieldShown, labelOf, redirectText, toDefinition, toForm } from './provider-fields';

export { toDefinition } from './provider-fields';
import { Field, Modal, describedBy, FormActions } from './modal';

/** Each field's error by top-level field name (every problem when the core found several). */
function fieldErrors(error: BridgeError | null): Map<string, string> {
  const map = new Map<string, string>();
  if (!error) return map;
  for (const { field, message } of error.issues ?? [{ field: error.field ?? '', message: error.message }]) {
    const name = field.split(/[.[]/)[0] || 'definition';
    if (!map.has(name)) map.set(name, message);
  }
  return map;
}

/** "Acme CRM (EU)" -> "acme-crm-eu": the ID format the core accepts. */
export function suggestId(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

export interface ProviderEditorProps {
  api: PatchbayApi;
  /** The provider to edit, or null to add one. */
  provider: ProviderView | null;
  onClose: () => void;
  onSaved: (provider: ProviderView) => void;
}

/** The "Add a provider" / "Edit <provider>" dialog. */
export function ProviderEditor({ api, provider, onClose, onSaved }: ProviderEditorProps) {
  const [form, setForm] = useState<Form>(() => toForm(provider?.definition ?? null));
  // The definition the form edits: the saved one, a looked-up draft, or none; fields the form
  // does not show (PKCE, scope separator, ...) are kept from it.
  const [base, setBase] = useState<ProviderDefinition | null>(provider?.definition ?? null);
  const [found, setFound] = useState<ProviderDiscovery | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const shown = FIELDS.filter((f) => fieldShown(f, form));
  const errors = fieldErrors(error);
  const unplaced = error ? [...errors].filter(([field]) => !shown.some((f) => f.name === field)).map(([, m]) => m) : [];

  // A save that moves an endpoint of a provider in use to another host waits here for the
  // person's confirmation (the definition to save, and what the core says it changes).
  const [review, setReview] = useState<{ definition: ProviderDefinition; previews: ProviderImportPreview[] } | null>(
    null,
  );
  const [trusted, setTrusted] = useState(false);

  async function save(definition: ProviderDefinition, allowOriginChange: boolean) {
    setSaving(true);
    const result = await api.invoke('providers:save', definition, allowOriginChange ? { allowOriginChange } : {});
    setSaving(false);
    if (result.ok) return onSaved(result.value);
    setReview(null);
    setError(result.error);
    setFocusRequest((n) => n + 1);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const definition = toDefinition(form, base) as unknown as ProviderDefinition;
    if (review !== null) return save(review.definition, trusted);
    if (provider !== null) {
      // An edit is previewed first; an invalid one falls through to save, whose error names the field.
      setSaving(true);
      const preview = await api.invoke('providers:preview', JSON.stringify(definition));
      setSaving(false);
      if (preview.ok && preview.value.some((p) => p.needsConfirmation)) {
        setTrusted(false);
        setReview({ definition, previews: preview.value });
        return;
      }
    }
    return save(definition, false);
  }

  // The first invalid field in the form's order gets the focus once the errors are committed to the
  // page (an effect, not a timer: a frame may come before React has rendered them on a busy machine).
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const [idTouched, setIdTouched] = useState(provider !== null);
  // After a look-up or "Fill in by hand", the Name field gets the focus (once it is rendered).
  const [nameFocus, setNameFocus] = useState(0);
  useEffect(() => {
    if (nameFocus > 0) formRef.current?.querySelector<HTMLElement>('#provider-name')?.focus();
  }, [nameFocus]);
  const fill = (discovery: ProviderDiscovery) => {
    setBase(discovery.definition);
    setForm(toForm(discovery.definition));
    setIdTouched(false);
    setError(null);
    setFound(discovery);
    setNameFocus((n) => n + 1);
  };
  const set = (name: string, value: string) =>
    setForm((f) => {
      const next = { ...f, [name]: value };
      // Suggest an ID from the name until the person types one themselves.
      if (name === 'name' && !idTouched) next.id = suggestId(value);
      return next;
    });
  return (
    <Modal title={provider ? `Edit ${provider.name}` : 'Add a provider'} onClose={onClose} className="wide">
      {provider ? null : <IssuerLookup api={api} onFound={fill} onSkip={() => setNameFocus((n) => n + 1)} />}
      {found ? (
        <div className="lookup-found" role="status">
          <p>Filled in from {found.metadataUrl}. Check each field, then save.</p>
          {found.notes.length > 0 ? (
            <ul aria-label="Notes from the look-up">
              {found.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form
        ref={formRef}
        onSubmit={asyncAction(submit, (e) => {
          setSaving(false);
          setError(e);
        })}
        noValidate
      >
        {review === null ? (
          <>
            <fieldset className="radio-row">
              <legend>How does it connect?</legend>
              <label>
                <input
                  type="radio"
                  name="auth"
                  value="oauth2"
                  checked={form.auth === 'oauth2'}
                  onChange={() => set('auth', 'oauth2')}
                />
                OAuth 2.0
              </label>
              <label>
                <input
                  type="radio"
                  name="auth"
                  value="apiKey"
                  checked={form.auth === 'apiKey'}
                  onChange={() => set('auth', 'apiKey')}
                />
                API key
              </label>
            </fieldset>
            {form.auth === 'oauth2' ? (
              <fieldset className="radio-row">
                <legend>How does a connection get its token?</legend>
                {GRANTS.map((g) => (
                  <label key={g.value}>
                    <input
                      type="radio"
                      name="grant"
                      value={g.value}
                      checked={(form.grant ?? 'authorization_code') === g.value}
                      onChange={() => set('grant', g.value)}
                    />
                    {g.label}
                  </label>
                ))}
              </fieldset>
            ) : null}
            {shown.map((f) => {
              const id = `provider-${f.name}`;
              const err = errors.get(f.name) ?? null;
              return (
                <Field
                  key={f.name}
                  id={id}
                  label={labelOf(f, form.auth ?? 'oauth2', form.grant ?? 'authorization_code')}
                  hint={f.hint}
                  error={err}
                >
                  {f.options ? (
                    <select
                      id={id}
                      name={f.name}
                      value={form[f.name] ?? ''}
                      aria-invalid={err ? true : undefined}
                      aria-describedby={describedBy(id, Boolean(f.hint), Boolean(err))}
                      onChange={(e) => set(f.name, e.target.value)}
                    >
                      {f.options.map(([value, words]) => (
                        <option key={value} value={value}>
                          {words}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      id={id}
                      name={f.name}
                      value={form[f.name] ?? ''}
                      placeholder={f.placeholder}
                      inputMode={f.inputMode}
                      readOnly={f.name === 'id' && provider !== null}
                      spellCheck={false}
                      autoComplete="off"
                      aria-invalid={err ? true : undefined}
                      aria-describedby={describedBy(id, Boolean(f.hint), Boolean(err))}
                      onChange={(e) => {
                        if (f.name === 'id') setIdTouched(true);
                        set(f.name, e.target.value);
                      }}
                    />
                  )}
                </Field>
              );
            })}
            {form.auth === 'oauth2' && (form.grant ?? 'authorization_code') === 'authorization_code' ? (
              <p className="hint">{redirectText(form.loopbackPort ?? '')}</p>
            ) : null}
            {unplaced.map((message) => (
              <p key={message} className="form-error" role="alert">
                {message}
              </p>
            ))}
          </>
        ) : null}
        {review ? (
          <>
            <ChangeReview previews={review.previews} trusted={trusted} onTrustedChange={setTrusted} />
            <div className="dialog-actions">
              <button type="button" onClick={() => setReview(null)}>
                Back
              </button>
              <button type="submit" className="primary" disabled={saving || !trusted}>
                {saving ? 'Saving…' : 'Move and save'}
              </button>
            </div>
          </>
        ) : (
          <FormActions onCancel={onClose} busy={saving} submitLabel="Save provider" busyLabel="Saving…" />
        )}
      </form>
    </Modal>
  );
}
