/**
 * Connect an API-key provider: paste the key, Patchbay tests it with the provider's cheap call and
 * saves it in the keychain only if the provider accepts it.
 *
 * The key lives only in this form's state until submitted; the field is cleared afterwards.
 */
import { useState, type FormEvent } from 'react';
import type { BridgeError, ConnectionView, ProviderView, Result } from '../../preload/contract';
import { asyncAction } from '../async-action';
import { ExternalLink } from './external-link';
import { Field, Modal, FormActions, SecretInput } from './modal';

export interface ApiKeyDialogProps {
  provider: ProviderView;
  connect: (provider: ProviderView, apiKey: string) => Promise<Result<ConnectionView>>;
  onClose: () => void;
}

/** Where the key is shown at the provider, as the definition tells it. */
function headerNote(p: ProviderView): string {
  const header = p.definition.apiKeyHeader ?? 'Authorization';
  const prefix = p.definition.apiKeyPrefix ? `${p.definition.apiKeyPrefix} ` : '';
  return `Patchbay sends it as "${header}: ${prefix}…" and keeps it in your keychain.`;
}

/** The "Connect <provider>" dialog for API keys. */
export function ApiKeyDialog({ provider, connect, onClose }: ApiKeyDialogProps) {
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [checking, setChecking] = useState(false);
  const help = provider.definition.apiKeyHelpUrl ?? provider.definition.docsUrl;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (apiKey.trim() === '') {
      setError({ code: 'invalid_input', field: 'apiKey', message: 'Paste the API key first.' });
      return;
    }
    setChecking(true);
    setError(null);
    const result = await connect(provider, apiKey.trim());
    setChecking(false);
    if (result.ok) {
      setApiKey('');
      onClose();
    } else setError(result.error);
  }

  const hint = (
    <>
      {headerNote(provider)}{' '}
      {help ? (
        <ExternalLink href={help}>Where do I find my {provider.name} API key?</ExternalLink>
      ) : (
        `Look for "API" or "Developer" in your ${provider.name} account settings.`
      )}
    </>
  );
  return (
    <Modal title={`Connect ${provider.name}`} onClose={onClose}>
      <form
        onSubmit={asyncAction(submit, (e) => {
          setChecking(false);
          setError(e);
        })}
        noValidate
      >
        {provider.note ? <p className="note">{provider.note}</p> : null}
        <Field id="api-key" label="API key" hint={hint} error={error?.message ?? null}>
          <SecretInput id="api-key" value={apiKey} onChange={setApiKey} invalid={Boolean(error)} autoComplete="off" />
        </Field>
        <FormActions onCancel={onClose} busy={checking} submitLabel="Test and save" busyLabel="Checking the key…" />
      </form>
    </Modal>
  );
}
