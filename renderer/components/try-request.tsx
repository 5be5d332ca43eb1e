/**
 * Try a request: call the provider's API through this connection, from the details dialog.
 *
 * The call runs in the main process (bridge channel connections:request): the page sends the
 * method, path, headers and body and gets the answer back, never the token. Copy as curl writes
 * `$PATCHBAY_TOKEN` where the token goes, for use with `patchbay exec`.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiResponseView, ConnectionView, PatchbayApi, ProviderDefinition } from '../../preload/contract';
import { curlCommand, defaultPath, parseHeaderLines, shownBody } from '../api-request-model';
import { asyncAction } from '../async-action';
import { copyText } from './copy-button';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The Try a request section of a connection's details. */
export function TryRequest({ api, connection }: { api: PatchbayApi; connection: ConnectionView }) {
  const id = useId();
  const [def, setDef] = useState<ProviderDefinition | null>(null);
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('');
  const [headerText, setHeaderText] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [response, setResponse] = useState<ApiResponseView | null>(null);
  const [curl, setCurl] = useState<{ text: string; copied: boolean } | null>(null);

  useEffect(() => {
    void api.invoke('providers:list').then((r) => {
      const found = r.ok ? r.value.find((p) => p.id === connection.providerId) : undefined;
      if (!found) return;
      setDef(found.definition);
      setPath((current) => current || defaultPath(found.definition));
    });
  }, [api, connection.providerId]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const parsed = parseHeaderLines(headerText);
    if (parsed.error) return setError(parsed.error);
    setBusy(true);
    setError(null);
    const r = await api.invoke('connections:request', {
      connectionId: connection.id,
      method,
      path,
      headers: parsed.headers,
      ...(body === '' ? {} : { body }),
    });
    setBusy(false);
    if (r.ok) setResponse(r.value);
    else {
      setResponse(null);
      setError(r.error.message);
    }
  }

  /** An unexpected failure (not a refused request, which comes back as a Result): say so, stop waiting. */
  function failed(e: { message: string }): void {
    setBusy(false);
    setError(e.message);
  }

  async function copyCurl() {
    if (!def) return;
    const parsed = parseHeaderLines(headerText);
    if (parsed.error) return setError(parsed.error);
    const text = curlCommand(def, { method, path, headers: parsed.headers, body });
    setCurl({ text, copied: await copyText(text) });
  }

  return (
    <section className="try-request" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Try a request</h3>
      <form onSubmit={asyncAction(send, failed)} noValidate>
        <div className="try-request-line">
          <div className="field">
            <label htmlFor={`${id}-method`}>Method</label>
            <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value)}>
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <div className="field try-request-path">
            <label htmlFor={`${id}-path`}>Path</label>
            <input
              id={`${id}-path`}
              value={path}
              onChange={(e) => setPath(e.target.value)}
              spellCheck={false}
              aria-describedby={`${id}-path-hint`}
            />
          </div>
        </div>
        <p className="hint" id={`${id}-path-hint`}>
          A path on {connection.providerName}&apos;s API, or a full URL on one of its own addresses. The token is added
          by Patchbay.
        </p>
        <div className="field">
          <label htmlFor={`${id}-headers`}>Headers (optional)</label>
          <textarea
            id={`${id}-headers`}
            rows={2}
            value={headerText}
            onChange={(e) => setHeaderText(e.target.value)}
            placeholder="Accept: application/json"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-body`}>Body (optional)</label>
          <textarea
            id={`${id}-body`}
            rows={3}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            spellCheck={false}
          />
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={asyncAction(copyCurl, failed)} disabled={!def}>
            Copy as curl
          </button>
          <button type="submit" className="primary" disabled={busy || path.trim() === ''}>
            {busy ? 'Sending…' : 'Send request'}
          </button>
        </div>
      </form>
      {curl ? (
        <div className="try-request-curl">
          <p role="status" className="hint">
            {curl.copied ? 'Copied. ' : 'Select the command below and press Ctrl+C. '}
            Run it with: patchbay exec {connection.id} -- sh -c &apos;…&apos; (it fills in $PATCHBAY_TOKEN).
          </p>
          <textarea
            aria-label="curl command"
            readOnly
            rows={3}
            value={curl.text}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : null}
      {response ? <ResponseView response={response} /> : null}
    </section>
  );
}

function ResponseView({ response: r }: { response: ApiResponseView }) {
  const ok = r.status >= 200 && r.status < 300;
  return (
    <section className="try-request-response" aria-label="Response">
      <p className={ok ? 'provider-state status-ok' : 'provider-state status-bad'} role="status">
        HTTP {r.status}
        {r.statusText ? ` ${r.statusText}` : ''} · {r.durationMs} ms
        {r.refreshed ? ' · the access token was renewed first' : ''}
      </p>
      <details>
        <summary>Response headers ({r.headers.length})</summary>
        <pre aria-label="Response headers">{r.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}</pre>
      </details>
      {r.cut ? (
        <p className="hint">
          Showing the first {r.cut.shownBytes.toLocaleString()} bytes of{' '}
          {r.cut.totalBytes === null ? 'a longer body' : `${r.cut.totalBytes.toLocaleString()} bytes`}; the rest was
          cut.
        </p>
      ) : null}
      <pre className="try-request-body" aria-label="Response body" tabIndex={0}>
        {shownBody(r) || '(empty body)'}
      </pre>
    </section>
  );
}
