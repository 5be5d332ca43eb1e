/**
 * The provider's cheap "who am I" call, for API keys and OAuth tokens alike.
 *
 * An API key is tested with the provider's own header and scheme (`Authorization: Token …` for
 * Landbot, `Api-Token: …` for WebinarGeek) before anything is saved; the same call later tests a
 * stored connection and names it from the answer (definition.labelPath).
 */
import { PatchbayError } from '../model/errors';
import { providerFetch, type HttpContext } from './provider-http';
import { apiKeyHeaders } from './credential-headers';
import type { ProviderDefinition } from '../../../preload/contract';
import { cleanLabel, guessLabel } from './identity-label';

/**
 * What to do about a test call the provider refused. Built-in providers have no editable test URL,
 * so the advice never sends people to a screen that does not exist.
 */
export const TEST_URL_ADVICE =
  'The test URL may be wrong for your account: for a provider you added, correct it in its definition; for a built-in one, copy the diagnostics for support.';

export interface ProbeResult {
  ok: boolean;
  httpStatus: number;
  latencyMs: number;
  /** Account name from the answer, when labelPath finds one. */
  label: string | null;
}

/**
 * Call definition.testUrl with the given credentials header.
 *
 * Resolves with ok=false for 4xx answers (the caller decides what a 401 means); 429, 5xx,
 * timeouts and network failures throw from providerFetch.
 */
export async function probe(
  ctx: HttpContext,
  def: ProviderDefinition,
  headers: Record<string, string>,
): Promise<ProbeResult> {
  if (!def.testUrl)
    throw new PatchbayError(
      'invalid_input',
      `${def.name} has no test URL, so Patchbay cannot check the key. Add a test URL to its provider definition.`,
      { field: 'testUrl' },
    );
  const res = await providerFetch(ctx, {
    url: def.testUrl,
    method: 'GET',
    headers: { accept: 'application/json', ...headers },
    step: 'test_call',
    field: 'testUrl',
  });
  const ok = res.status >= 200 && res.status < 300;
  return {
    ok,
    httpStatus: res.status,
    latencyMs: res.durationMs,
    label: ok ? accountLabel(res.json, def.labelPath) : null,
  };
}

/**
 * The account name in a "who am I" answer: at `labelPath` when the definition sets one,
 * otherwise from the common identity fields (identity-label.ts).
 */
export function accountLabel(json: unknown, labelPath: string | undefined): string | null {
  return labelPath ? labelFrom(json, labelPath) : guessLabel(json);
}

/**
 * Test an API key before it is saved.
 *
 * 2xx -> the probe result; 401/403 -> invalid_client with where to copy the key again; any other
 * refusal -> provider_error. Nothing is stored here: the caller saves only after this resolves.
 */
export async function testApiKey(ctx: HttpContext, def: ProviderDefinition, apiKey: string): Promise<ProbeResult> {
  const result = await probe(ctx, def, apiKeyHeaders(def, apiKey));
  if (result.ok) return result;
  if (result.httpStatus === 401 || result.httpStatus === 403) throw rejectedKey(def, result.httpStatus);
  throw new PatchbayError(
    'provider_error',
    `${def.name} answered the test call with HTTP ${result.httpStatus}. ${TEST_URL_ADVICE}`,
    { httpStatus: result.httpStatus },
  );
}

/** The sentence for a refused API key. */
export function rejectedKey(def: ProviderDefinition, httpStatus: number): PatchbayError {
  const where = def.apiKeyHelpUrl ? def.apiKeyHelpUrl : `your account settings at ${def.name}`;
  return new PatchbayError(
    'invalid_client',
    `${def.name} did not accept this API key. Copy it again from ${where} and paste it here.`,
    { field: 'apiKey', httpStatus },
  );
}

/**
 * Follow a dot path ("data.name", "0.email") into a JSON answer and return a short label.
 *
 * Only strings and numbers count; anything else (or a missing path) gives null so the provider
 * name is used instead.
 */
export function labelFrom(json: unknown, path: string | undefined): string | null {
  if (!path || json === undefined) return null;
  let node: unknown = json;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'number') return String(node);
  return cleanLabel(node);
}
