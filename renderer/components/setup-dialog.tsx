/**
 * Set up an OAuth provider on this machine: client ID, write-only client secret, and the redirect
 * URI to register at the provider.
 *
 * The secret field is never filled from the bridge (it cannot be: views only say whether one is
 * saved). Leaving it empty keeps the saved secret; "Remove the saved secret" clears it. An empty
 * client ID is an error at its field, never a way to remove the set-up: "Remove set-up…" is its
 * own button, and it asks first.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { BridgeError, PatchbayApi, ProviderView } from '../../preload/contract';
import { CopyButton } from './copy-button';
import { asyncAction } from '../async-action';
import { ExternalLink } from './external-link';
import { Field, Modal, describedBy, FormActions, SecretInput } from './modal';

export interface SetupDialogProps {
  api: PatchbayApi;
  provider: ProviderView;
  onClose: () => void;
  onSaved: (provider: ProviderView) => void;
  /** Ask to remove the saved set-up (offered only when there is one). */
  onRemove: (provider: ProviderView) => void;
}

/** The "Set up <provider>" dialog. */
export function SetupDialog({ api, provider, onClose, onSaved, onRemove }: SetupDialogProps) {
  const [clientId, setClientId] = useState(provider.clientId ?? '');
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);
  const idRef = useRef<HTMLInputElement>(null);
  const fieldError = (name: string) => (error && error.field === name ? error.message : null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (clientId.trim() === '') {
      setError({
        code: 'invalid_input',
        field: 'clientId',
        message: `Client ID is empty. Paste the client ID of your ${provider.name} app.`,
      });
      idRef.current?.focus();
      return;
    }
    setSaving(true);
    const input = { providerId: provider.id, clientId: clientId.trim() } as {
      providerId: string;
      clientId: string;
      clientSecret?: string;
    };
    if (removeSecret) input.clientSecret = '';
    else if (secret !== '') input.clientSecret = secret;
    const result = await api.invoke('credentials:set', input);
    setSaving(false);
    setSecret('');
    if (result.ok) onSaved(result.value);
    else {
      setError(result.error);
      if (result.error.field === 'clientId') idRef.current?.focus();
    }
  }

  const idErr = fieldError('clientId');
  const secretErr = fieldError('clientSecret');
  const otherErr = error && !idErr && !secretErr ? error.message : null;
  return (
    <Modal title={`Set up ${provider.name}`} onClose={onClose}>
      <form
        onSubmit={asyncAction(submit, (e) => {
          setSaving(false);
          setError(e);
        })}
        noValidate
      >
        <p>
          {provider.redirectUri
            ? `Create an OAuth app at ${provider.name}, register the redirect URI below, then paste the app's client ID and secret here.`
            : `Paste the client ID and secret of your ${provider.name} app here.`}
          {provider.definition.docsUrl ? (
            <>
              {' '}
              <ExternalLink href={provider.definition.docsUrl}>{provider.name} developer docs</ExternalLink>
            </>
          ) : null}
        </p>
        {provider.redirectUri ? (
          <div className="field">
            <label htmlFor="setup-redirect">Redirect URI to register</label>
            <div className="copy-row">
              <input id="setup-redirect" readOnly value={provider.redirectUri} />
              <CopyButton text={provider.redirectUri} label="Copy redirect URI" />
            </div>
          </div>
        ) : null}
        <Field id="setup-client-id" label="Client ID" error={idErr}>
          <input
            ref={idRef}
            id="setup-client-id"
            value={clientId}
            autoComplete="off"
            spellCheck={false}
            required
            aria-invalid={idErr ? true : undefined}
            aria-describedby={describedBy('setup-client-id', false, Boolean(idErr))}
            onChange={(e) => setClientId(e.target.value)}
          />
        </Field>
        <Field
          id="setup-client-secret"
          label="Client secret"
          error={secretErr}
          hint={
            provider.hasClientSecret
              ? 'Saved in your keychain. Leave empty to keep it.'
              : provider.definition.grant === 'client_credentials'
                ? 'Required: the app connects with its own client ID and secret, nobody signs in.'
                : 'Leave empty if the app has no secret (public client).'
          }
        >
          <SecretInput
            id="setup-client-secret"
            value={secret}
            onChange={setSecret}
            invalid={Boolean(secretErr)}
            autoComplete="new-password"
            disabled={removeSecret}
          />
        </Field>
        {provider.hasClientSecret ? (
          <label className="checkbox">
            <input type="checkbox" checked={removeSecret} onChange={(e) => setRemoveSecret(e.target.checked)} />
            Remove the saved secret
          </label>
        ) : null}
        {otherErr ? (
          <p className="form-error" role="alert">
            {otherErr}
          </p>
        ) : null}
        {provider.clientId !== null ? (
          <p className="remove-setup">
            <button type="button" className="quiet-danger" onClick={() => onRemove(provider)}>
              Remove set-up…
            </button>
          </p>
        ) : null}
        <FormActions onCancel={onClose} busy={saving} submitLabel="Save" busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
