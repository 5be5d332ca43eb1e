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
  OAuthGrant,
  PatchbayApi,
  ProviderDefinition,
  ProviderImportPreview,
  ProviderView,
} from '../../preload/contract';
import { ChangeReview } from './change-review';
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
  /** Optional only for this kind of provider (the Test URL is required for API keys). */
  optionalFor?: 'oauth2' | 'apiKey' | 'both';
  inputMode?: 'numeric';
  /** OAuth fields that only one way of getting a token uses (the sign-in page, its return port). */
  grants?: OAuthGrant[];
}

/** The three ways an OAuth 2.0 connection gets its token, in people's words. */
const GRANTS: Array<{ value: OAuthGrant; label: string }> = [
  { value: 'authorization_code', label: 'A person signs in in a browser' },
  { value: 'device_code', label: 'A person enters a code on another device' },
  { value: 'client_credentials', label: "The app's own client ID and secret (machine to machine)" },
];

const FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', placeholder: 'Acme CRM' },
  { name: 'id', label: 'ID', hint: 'Lowercase letters, digits and dashes, e.g. "acme-crm". It cannot change later.' },
  {
    name: 'authorizationUrl',
    label: 'Authorization URL',
    only: 'oauth2',
    placeholder: 'https://acme.example/oauth/authorize',
    grants: ['authorization_code'],
  },
  { name: 'tokenUrl', label: 'Token URL', only: 'oauth2', placeholder: 'https://acme.example/oauth/token' },
  {
    name: 'deviceAuthorizationUrl',
    label: 'Device authorization endpoint',
    only: 'oauth2',
    placeholder: 'https://acme.example/oauth/device',
    grants: ['device_code', 'authorization_code'],
    hint: 'Where sign-ins with a code on another device start (RFC 8628). Optional unless people sign in that way.',
  },
  { name: 'revocationUrl', label: 'Revocation URL', only: 'oauth2', optionalFor: 'both' },
  { name: 'scopes', label: 'Scopes', only: 'oauth2', optionalFor: 'both', hint: 'Separated by spaces.' },
  {
    name: 'loopbackPort',
    label: 'Fixed port for the sign-in return',
    only: 'oauth2',
    optionalFor: 'both',
    inputMode: 'numeric',
    placeholder: '47616',
    grants: ['authorization_code'],
    hint: 'Only if the provider accepts one exact redirect address. Empty: Patchbay picks a free port each time you connect.',
  },
  {
    name: 'apiKeyHeader',
    label: 'API key header',
    only: 'apiKey',
    placeholder: 'Authorization',
    hint: 'e.g. Authorization or Api-Token',
  },
  {
    name: 'apiKeyPrefix',
    label: 'API key prefix',
    only: 'apiKey',
    optionalFor: 'both',
    hint: 'e.g. "Bearer" or "Token"; empty sends the key alone.',
  },
  {
    name: 'testUrl',
    label: 'Test URL',
    optionalFor: 'oauth2',
    hint: 'A cheap "who am I" address Patchbay calls to test the connection.',
  },
  {
    name: 'apiBaseUrl',
    label: 'API base URL',
    optionalFor: 'both',
    hint: 'Where Try a request and "patchbay request" paths go, e.g. https://api.acme.example/v2. Default: the test URL\'s origin. Tokens are only sent to the provider\'s own addresses.',
  },
  {
    name: 'labelPath',
    label: 'Account name path',
    optionalFor: 'both',
    hint: 'Where the account name is in the test answer, e.g. "email" or "data.name".',
  },
  { name: 'docsUrl', label: 'Docs URL', optionalFor: 'both' },
  { name: 'apiKeyHelpUrl', label: '"Where do I find my key" URL', only: 'apiKey', optionalFor: 'both' },
];

/** The label as shown: optional fields say so. */
function labelOf(f: FieldSpec, auth: string, grant: string): string {
  const optional =
    f.optionalFor === 'both' ||
    f.optionalFor === auth ||
    (f.name === 'deviceAuthorizationUrl' && grant !== 'device_code');
  return optional ? `${f.label} (optional)` : f.label;
}

/** Whether the form shows a field for this kind of provider and way of getting a token. */
function fieldShown(f: FieldSpec, form: Form): boolean {
  if (f.only && f.only !== form.auth) return false;
  return form.auth !== 'oauth2' || !f.grants || f.grants.includes((form.grant ?? 'authorization_code') as OAuthGrant);
}

/** The redirect address to register, as far as it is known before Patchbay connects. */
function redirectText(port: string): string {
  return /^\d+$/.test(port.trim())
    ? `Register http://127.0.0.1:${port.trim()}/callback as the redirect URI at the provider.`
    : 'Register http://127.0.0.1/callback as the redirect URI: the port is chosen when you connect, which providers that match addresses loosely accept. Set a fixed port above if the provider wants one exact address.';
}

function toForm(def: ProviderDefinition | null): Form {
  const form: Form = { auth: def?.auth ?? 'oauth2', grant: def?.grant ?? 'authorization_code' };
  for (const f of FIELDS) {
    const value = def?.[f.name];
    if (f.name === 'scopes') form.scopes = (def?.scopes ?? []).join(' ');
    else if (f.name === 'loopbackPort')
      form.loopbackPort = def?.loopbackPort === undefined ? '' : String(def.loopbackPort);
    else if (f.name === 'apiKeyPrefix') form.apiKeyPrefix = (def?.apiKeyPrefix ?? '').trim();
    else form[f.name] = typeof value === 'string' ? value : '';
  }
  return form;
}

/** Build the definition from the form, keeping fields this form does not show. */
export function toDefinition(form: Form, base: ProviderDefinition | null): Record<string, unknown> {
  const def: Record<string, unknown> = { ...(base ?? {}), auth: form.auth };
  delete def.grant;
  if (form.auth === 'oauth2') def.grant = form.grant || 'authorization_code';
  for (const f of FIELDS) {
    delete def[f.name];
    if (!fieldShown(f, form)) continue;
    const value = (form[f.name] ?? '').trim();
    // Name and ID are always sent, so an empty one is reported as empty, in this form's words.
    if (value === '' && f.name !== 'name' && f.name !== 'id') continue;
    if (f.name === 'scopes') def.scopes = value.split(/\s+/);
    else if (f.name === 'loopbackPort') def.loopbackPort = /^\d+$/.test(value) ? Number(value) : value;
    else if (f.name === 'apiKeyPrefix') def.apiKeyPrefix = `${value} `;
    else def[f.name] = value;
  }
  return def;
}

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
    const definition = toDefinition(form, provider?.definition ?? null) as unknown as ProviderDefinition;
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
  const set = (name: string, value: string) =>
    setForm((f) => {
      const next = { ...f, [name]: value };
      // Suggest an ID from the name until the person types one themselves.
      if (name === 'name' && !idTouched) next.id = suggestId(value);
      return next;
    });
  return (
    <Modal title={provider ? `Edit ${provider.name}` : 'Add a provider'} onClose={onClose} className="wide">
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
