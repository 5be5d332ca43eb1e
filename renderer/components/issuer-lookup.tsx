/**
 * The first step of "Add a provider": look the provider up by its issuer URL.
 *
 * The core reads the provider's published metadata (RFC 8414 / OpenID Connect Discovery) and
 * answers with a draft definition that fills the editor below; nothing is saved until the person
 * presses Save provider, and every field stays editable. Skipping is always possible: the form is
 * right below, and "Fill in by hand" moves there. A failed look-up says why, in the core's words,
 * under the field.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BridgeError, PatchbayApi, ProviderDiscovery } from '../../preload/contract';
import { asyncAction } from '../async-action';
import { Field, describedBy } from './modal';

export interface IssuerLookupProps {
  api: PatchbayApi;
  /** Called with the draft once the look-up worked. */
  onFound: (found: ProviderDiscovery) => void;
  /** Move to the form to fill it by hand. */
  onSkip: () => void;
}

const ID = 'provider-issuer-lookup';

/** The issuer URL field, its Look up and Fill in by hand buttons, and the look-up's error. */
export function IssuerLookup({ api, onFound, onSkip }: IssuerLookupProps) {
  const [issuer, setIssuer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // A failed look-up puts the focus back in the field, which then reads out its error (like the
  // editor's invalid fields), so the person can correct the address at once.
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);

  async function lookUp(event: FormEvent) {
    event.preventDefault();
    if (issuer.trim() === '') {
      setError({
        code: 'invalid_input',
        message: 'Enter the issuer URL first, such as https://login.acme.example, or fill in the form by hand.',
      });
      return;
    }
    setBusy(true);
    setError(null);
    const result = await api.invoke('providers:discover', issuer.trim());
    setBusy(false);
    if (result.ok) onFound(result.value);
    else setError(result.error);
  }

  return (
    <form
      className="issuer-lookup"
      aria-label="Look up by issuer URL"
      onSubmit={asyncAction(lookUp, (e) => {
        setBusy(false);
        setError(e);
      })}
      noValidate
    >
      <Field
        id={ID}
        label="Issuer URL"
        hint="Patchbay reads the provider's published OAuth settings and fills in the form below; you can change every field before saving. No issuer URL? Fill in the form by hand."
        error={error?.message ?? null}
      >
        <div className="lookup-row">
          <input
            ref={input}
            id={ID}
            type="url"
            inputMode="url"
            value={issuer}
            placeholder="https://login.acme.example"
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(ID, true, Boolean(error))}
            onChange={(e) => setIssuer(e.target.value)}
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Looking up…' : 'Look up'}
          </button>
          <button type="button" onClick={onSkip}>
            Fill in by hand
          </button>
        </div>
      </Field>
    </form>
  );
}
