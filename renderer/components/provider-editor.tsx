/**
 * Add or edit a custom provider (OAuth 2.0 or API key).
 *
 * The core validates the definition (one source of truth); its error names the field, which is
 * shown under that field, marked invalid and focused, so the person sees what to fix and where.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { BridgeError, PatchbayApi, ProviderDefinition, ProviderView } from '../../preload/contract';
import { asyncAction } from '../async-action';
import { Field, Modal, describedBy, FormActions } from './modal';

/** Form values by field name; "auth" is "oauth2" or "apiKey". */
type Form = Record<string, string>;

interface FieldSpec {
  name: keyof ProviderDefinition;
  label: string;
  hint?: string;
  only?: 'oauth2' | 'apiKey';
  placeholder?: string;
}

const FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', placeholder: 'Acme CRM' },
  { name: 'id', label: 'ID', hint: 'Lowercase letters, digits and dashes, e.g. "acme-crm". It cannot change later.' },
  { name: 'authorizationUrl', label: 'Authorization URL', only: 'oauth2', placeholder: 'https://acme.example/oauth/authorize' },
  { name: 'tokenUrl', label: 'Token URL', only: 'oauth2', placeholder: 'https://acme.example/oauth/token' },
  { name: 'revocationUrl', label: 'Revocation URL (optional)', only: 'oauth2' },
  { name: 'scopes', label: 'Scopes (optional)', only: 'oauth2', hint: 'Separated by spaces.' },
  { name: 'apiKeyHeader', label: 'API key header', only: 'apiKey', placeholder: 'Authorization', hint: 'e.g. Authorization or Api-Token' },
  { name: 'apiKeyPrefix', label: 'API key prefix (optional)', only: 'apiKey', hint: 'e.g. "Bearer" or "Token"; empty sends the key alone.' },
  { name: 'testUrl', label: 'Test URL', hint: 'A cheap "who am I" address Patchbay calls to test the connection.' },
  { name: 'labelPath', label: 'Account name path (optional)', hint: 'Where the account name is in the test answer, e.g. "email" or "data.name".' },
  { name: 'docsUrl', label: 'Docs URL (optional)' },
  { name: 'apiKeyHelpUrl', label: '"Where do I find my key" URL (optional)', only: 'apiKey' },
];

function toForm(def: ProviderDefinition | null): Form {
  const form: Form = { auth: def?.auth ?? 'oauth2' };
  for (const f of FIELDS) {
    const value = def?.[f.name];
    if (f.name === 'scopes') form.scopes = (def?.scopes ?? []).join(' ');
    else if (f.name === 'apiKeyPrefix') form.apiKeyPrefix = (def?.apiKeyPrefix ?? '').trim();
    else form[f.name] = typeof value === 'string' ? value : '';
  }
  return form;
}

/** Build the definition from the form, keeping fields this form does not show. */
export function toDefinition(form: Form, base: ProviderDefinition | null): Record<string, unknown> {
  const def: Record<string, unknown> = { ...(base ?? {}), auth: form.auth };
  for (const f of FIELDS) {
    delete def[f.name];
    if (f.only && f.only !== form.auth) continue;
    const value = (form[f.name] ?? '').trim();
    if (value === '') continue;
    if (f.name === 'scopes') def.scopes = value.split(/\s+/);
    else if (f.name === 'apiKeyPrefix') def.apiKeyPrefix = `${value} `;
    else def[f.name] = value;
  }
  return def;
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
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const errorField = error?.field?.split(/[.[]/)[0] ?? null;
  const shown = FIELDS.filter((f) => !f.only || f.only === form.auth);
  const fieldShown = shown.some((f) => f.name === errorField) || errorField === 'auth';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    const result = await api.invoke('providers:save', toDefinition(form, provider?.definition ?? null) as unknown as ProviderDefinition);
    setSaving(false);
    if (result.ok) return onSaved(result.value);
    setError(result.error);
    const name = result.error.field?.split(/[.[]/)[0];
    const el = name ? formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`) : null;
    requestAnimationFrame(() => el?.focus());
  }

  const [idTouched, setIdTouched] = useState(provider !== null);
  const set = (name: string, value: string) =>
    setForm((f) => {
      const next = { ...f, [name]: value };
      // Suggest an ID from the name until the person types one themselves.
      if (name === 'name' && !idTouched) next.id = suggestId(value);
      return next;
    });
  return (
    <Modal title={provider ? `Edit ${provider.name}` : 'Add a provider'} onClose={onClose} className="wide">
      <form ref={formRef} onSubmit={asyncAction(submit, (e) => { setSaving(false); setError(e); })} noValidate>
        <fieldset className="radio-row">
          <legend>How does it connect?</legend>
          <label>
            <input type="radio" name="auth" value="oauth2" checked={form.auth === 'oauth2'} onChange={() => set('auth', 'oauth2')} />
            OAuth 2.0
          </label>
          <label>
            <input type="radio" name="auth" value="apiKey" checked={form.auth === 'apiKey'} onChange={() => set('auth', 'apiKey')} />
            API key
          </label>
        </fieldset>
        {shown.map((f) => {
          const id = `provider-${f.name}`;
          const err = errorField === f.name ? error?.message ?? null : null;
          return (
            <Field key={f.name} id={id} label={f.label} hint={f.hint} error={err}>
              <input
                id={id}
                name={f.name}
                value={form[f.name] ?? ''}
                placeholder={f.placeholder}
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
            </Field>
          );
        })}
        {error && !fieldShown ? (
          <p className="form-error" role="alert">
            {error.message}
          </p>
        ) : null}
        <FormActions onCancel={onClose} busy={saving} submitLabel="Save provider" busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
