/**
 * Settings > Network: the proxy and the company's certificate authority for provider requests.
 *
 * Shows what is saved here, what the environment Patchbay started in adds (proxy sign-ins come
 * already replaced by "***"), and which proxy is in effect. Saving goes through `network:save`;
 * a refused value is shown at its field with the sentence the core wrote.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { BridgeError, NetworkSettingsView, PatchbayApi } from '../../preload/contract';
import { asyncAction } from '../async-action';
import { describedBy, Field, FormActions, Modal, SecretInput } from './modal';

export interface NetworkDialogProps {
  api: PatchbayApi;
  onClose: () => void;
  onSaved: (view: NetworkSettingsView) => void;
}

/** Where the proxy in effect comes from, in words. */
function inEffectWords(view: NetworkSettingsView): string {
  const { proxy, source } = view.inEffect;
  if (source === 'settings') return `Requests go through ${proxy ?? 'the proxy'} (set here).`;
  if (source === 'environment') return `Requests go through ${proxy ?? 'the proxy'} (from HTTPS_PROXY or HTTP_PROXY).`;
  if (source === 'system') return "Requests follow this computer's proxy settings.";
  return 'Requests go straight to each provider (no proxy).';
}

/** The Network dialog. */
export function NetworkDialog({ api, onClose, onSaved }: NetworkDialogProps) {
  const [view, setView] = useState<NetworkSettingsView | null>(null);
  const [proxyUrl, setProxyUrl] = useState('');
  const [noProxy, setNoProxy] = useState('');
  const [caFile, setCaFile] = useState('');
  const [proxyUser, setProxyUser] = useState('');
  const [proxyPassword, setProxyPassword] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    void api.invoke('network:get').then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setView(r.value);
      setProxyUrl(r.value.proxyUrl ?? '');
      setNoProxy(r.value.noProxy);
      setCaFile(r.value.caFile ?? '');
      setProxyUser(r.value.proxyUser ?? '');
    });
    return () => {
      live = false;
    };
  }, [api]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    const r = await api.invoke('network:save', {
      proxyUrl: proxyUrl.trim() === '' ? null : proxyUrl.trim(),
      noProxy,
      caFile: caFile.trim() === '' ? null : caFile.trim(),
      proxyUser: proxyUser.trim() === '' ? null : proxyUser.trim(),
      // An empty password field keeps the saved one; the user name cleared removes it.
      ...(proxyPassword === '' ? {} : { proxyPassword }),
    });
    setSaving(false);
    if (r.ok) {
      setProxyPassword('');
      onSaved(r.value);
    } else setError(r.error);
  }

  const at = (field: string) => (error?.field === field ? error.message : null);
  const env = view?.environment;
  return (
    <Modal title="Network" onClose={onClose}>
      <form
        onSubmit={asyncAction(submit, (e) => {
          setSaving(false);
          setError(e);
        })}
        noValidate
      >
        <p className="note">
          For company networks: the proxy that provider requests go through, and your company&apos;s certificate
          authority if it inspects secure connections. Ask your IT team for both.
        </p>
        <Field
          id="network-proxy"
          label="Proxy address"
          hint="For example http://proxy.example.com:8080. Leave empty to use the environment's HTTPS_PROXY, or none."
          error={at('proxyUrl')}
        >
          <input
            id="network-proxy"
            type="text"
            inputMode="url"
            spellCheck={false}
            value={proxyUrl}
            onChange={(e) => setProxyUrl(e.target.value)}
            aria-invalid={at('proxyUrl') ? true : undefined}
            aria-describedby={describedBy('network-proxy', true, Boolean(at('proxyUrl')))}
            data-autofocus
          />
        </Field>
        <Field
          id="network-user"
          label="Proxy user name"
          hint="Only if your proxy asks you to sign in."
          error={at('proxyUser')}
        >
          <input
            id="network-user"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={proxyUser}
            onChange={(e) => setProxyUser(e.target.value)}
            aria-invalid={at('proxyUser') ? true : undefined}
            aria-describedby={describedBy('network-user', true, Boolean(at('proxyUser')))}
          />
        </Field>
        <Field
          id="network-password"
          label="Proxy password"
          hint={
            view?.hasProxyPassword
              ? 'A password is saved in your keychain. Leave this empty to keep it.'
              : 'Saved in your keychain, never in the settings file.'
          }
          error={at('proxyPassword')}
        >
          <SecretInput
            id="network-password"
            value={proxyPassword}
            onChange={setProxyPassword}
            invalid={Boolean(at('proxyPassword'))}
            autoComplete="new-password"
          />
        </Field>
        <Field
          id="network-no-proxy"
          label="Addresses that skip the proxy"
          hint="Host names or IP addresses, separated by commas; .example.com covers every address under it."
          error={at('noProxy')}
        >
          <input
            id="network-no-proxy"
            type="text"
            spellCheck={false}
            value={noProxy}
            onChange={(e) => setNoProxy(e.target.value)}
            aria-invalid={at('noProxy') ? true : undefined}
            aria-describedby={describedBy('network-no-proxy', true, Boolean(at('noProxy')))}
          />
        </Field>
        <Field
          id="network-ca"
          label="Certificate authority file"
          hint="The full path of your company's certificate authority as a PEM file. It is trusted in addition to this computer's own."
          error={at('caFile')}
        >
          <input
            id="network-ca"
            type="text"
            spellCheck={false}
            value={caFile}
            onChange={(e) => setCaFile(e.target.value)}
            aria-invalid={at('caFile') ? true : undefined}
            aria-describedby={describedBy('network-ca', true, Boolean(at('caFile')))}
          />
        </Field>
        {error && !['proxyUrl', 'noProxy', 'caFile', 'proxyUser', 'proxyPassword'].includes(error.field ?? '') ? (
          <p role="alert" className="field-error">
            {error.message}
          </p>
        ) : null}
        {view ? (
          <section aria-label="Network in effect" className="note">
            <p>{inEffectWords(view)}</p>
            {env && (env.httpsProxy || env.httpProxy || env.noProxy || env.caFile) ? (
              <p>
                From the environment:{' '}
                {[
                  env.httpsProxy ? `HTTPS_PROXY ${env.httpsProxy}` : null,
                  env.httpProxy ? `HTTP_PROXY ${env.httpProxy}` : null,
                  env.noProxy ? `NO_PROXY ${env.noProxy}` : null,
                  env.caFile ? `PATCHBAY_CA_FILE ${env.caFile}` : null,
                ]
                  .filter(Boolean)
                  .join('; ')}
                .
              </p>
            ) : null}
            <p>{view.stack}</p>
          </section>
        ) : null}
        <FormActions onCancel={onClose} busy={saving} submitLabel="Save" busyLabel="Saving…" />
      </form>
    </Modal>
  );
}
