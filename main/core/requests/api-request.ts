/**
 * One API call through a connection: `patchbay request` and the app's Try a request.
 *
 * In order: the URL is resolved and checked against the provider's origins (nothing is sent, and
 * no keychain entry is read, for a foreign host); the credential is read and refreshed when due;
 * the call is sent with the provider's credential header; a 401 on an OAuth connection with a
 * refresh token renews it once and sends the call once more. The trace gets method, redacted URL,
 * status and duration of each attempt, never a body or a header. The connection's own secrets
 * are replaced by "[redacted]" in what comes back, so an API that echoes them cannot leak them.
 */
import { appendTrace, beforeProviderHttp, findConnection, findProvider, type CoreContext } from '../flows/context';
import { REDACTED, redactUrl } from '../storage/redact';
import type { RefreshCoordinator } from '../flows/refresh';
import { TraceRecorder } from '../storage/trace';
import type { ApiRequestInput, ApiResponseView } from '../../../preload/contract';
import { apiFetch, type ApiExchange } from './api-fetch';
import { resolveApiUrl } from './api-target';
import { credentialHeader, freshCredential, secretValues, type FreshCredential } from './connection-credential';
import { checkRequestInput } from './request-input';

/** Default bound on a response body kept for the caller (1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ApiRequestOptions {
  /** Keep at most this many bytes of the response body (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

/** Make one API call through a connection and describe the answer. */
export async function runApiRequest(
  ctx: CoreContext,
  refresher: () => Promise<RefreshCoordinator>,
  input: ApiRequestInput,
  options: ApiRequestOptions = {},
): Promise<ApiResponseView> {
  const record = findConnection(ctx, input.connectionId);
  const def = findProvider(ctx, record.providerId).definition;
  // Everything about the request is checked before the keychain is read or a byte is sent.
  const url = resolveApiUrl(def, input.path);
  const credentialName =
    record.auth === 'apiKey' ? (def.apiKeyHeader ?? 'Authorization').toLowerCase() : 'authorization';
  const checked = checkRequestInput(input, credentialName);
  const trace = new TraceRecorder(input.connectionId, ctx.clock);
  const seen = new Set<string>();
  try {
    let credential = await freshCredential(ctx, refresher, input.connectionId, trace);
    remember(credential, trace, seen);
    await beforeProviderHttp(ctx, def);
    const send = async (current: FreshCredential): Promise<ApiExchange> => {
      const exchange = await apiFetch(
        {
          fetch: ctx.fetch,
          clock: ctx.clock,
          timeoutMs: ctx.httpTimeoutMs,
          providerName: def.name,
          ...(options.signal ? { signal: options.signal } : {}),
        },
        {
          url,
          method: checked.method,
          headers: [...checked.headers, current.header],
          body: checked.body,
          maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        },
      ).catch((error: unknown) => {
        trace.add({
          step: 'api_request',
          detail: `${checked.method} got no usable answer.`,
          ok: false,
          method: checked.method,
          url: redactUrl(url),
        });
        throw error;
      });
      trace.add({
        step: 'api_request',
        detail: `${checked.method} answered ${exchange.status}${exchange.cut ? ` (body cut at ${exchange.cut.shownBytes} bytes)` : ''}.`,
        ok: exchange.status < 400,
        method: checked.method,
        url: redactUrl(url),
        httpStatus: exchange.status,
        durationMs: exchange.durationMs,
      });
      return exchange;
    };
    let exchange = await send(credential);
    let refreshed = credential.refreshed;
    const secret = credential.secret;
    if (exchange.status === 401 && secret.kind === 'oauth2' && secret.refreshToken && !refreshed) {
      trace.add({
        step: 'retry',
        detail: `${def.name} refused the token (401); refreshing once and trying again.`,
        ok: true,
      });
      const renewed = await (
        await refresher()
      ).refresh(input.connectionId, { seenAccessToken: secret.accessToken, force: true, trace });
      credential = {
        ...credential,
        secret: renewed,
        value: renewed.accessToken,
        header: credentialHeader(def, renewed),
        refreshed: true,
      };
      remember(credential, trace, seen);
      refreshed = true;
      exchange = await send(credential);
    }
    return toView(exchange, url, checked.method, refreshed, seen);
  } finally {
    await appendTrace(ctx, input.connectionId, trace).catch(() => undefined);
  }
}

function remember(credential: FreshCredential, trace: TraceRecorder, seen: Set<string>): void {
  for (const value of secretValues(credential.secret)) {
    trace.registerSecret(value);
    seen.add(value);
  }
}

/** Replace every known secret value in `text`. */
function scrub(text: string, secrets: Set<string>): string {
  let out = text;
  for (const value of secrets) if (value.length >= 4 && out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

function toView(
  exchange: ApiExchange,
  url: URL,
  method: string,
  refreshed: boolean,
  secrets: Set<string>,
): ApiResponseView {
  const body = scrub(exchange.text, secrets);
  const view: ApiResponseView = {
    status: exchange.status,
    statusText: scrub(exchange.statusText, secrets),
    url: redactUrl(url, secrets),
    method,
    headers: exchange.headers.map(([n, v]) => [n, scrub(v, secrets)]),
    body,
    contentType: exchange.contentType,
    cut: exchange.cut,
    durationMs: exchange.durationMs,
    refreshed,
  };
  if (!exchange.cut && body.trim() !== '' && (exchange.contentType.includes('json') || exchange.contentType === '')) {
    try {
      view.json = JSON.parse(body) as unknown;
    } catch {
      // Not JSON after all: the text is shown as it is.
    }
  }
  return view;
}
