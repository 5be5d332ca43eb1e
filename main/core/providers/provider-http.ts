/**
 * The one door every provider request goes through.
 *
 * Real providers hang, answer with HTML error pages, send 429s and occasionally stream garbage.
 * `providerFetch` turns all of that into PatchbayErrors with sentences a person can act on, never
 * echoes a response body, bounds what it reads, and writes one trace line per request (method,
 * redacted URL, status, duration) so support can see what happened without seeing a secret.
 */
import { PatchbayError } from '../model/errors';
import { redactUrl } from '../storage/redact';
import type { Clock, FetchLike } from '../model/types';
import type { TraceEntry } from '../../../preload/contract';
import { bearerChallengeOf, measureClockSkew, oauthErrorOf, transportErrorOf } from '../diagnosis/provider-signals';

/** Where trace lines go; storage/trace.ts's TraceRecorder satisfies this structurally. */
export interface TraceSink {
  add(entry: Omit<TraceEntry, 'at'>): void;
}

/** What a provider call needs besides the request itself. */
export interface HttpContext {
  fetch: FetchLike;
  clock: Clock;
  timeoutMs: number;
  trace: TraceSink;
  /** Used in every sentence ("Patchbay couldn't reach LiveChat"). */
  providerName: string;
  /** Cancels the request together with the flow it belongs to. */
  signal?: AbortSignal;
}

export interface ProviderRequest {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  /** Short machine name for the trace ("token_request", "test_call"). */
  step: string;
  redirect?: 'follow' | 'manual' | 'error';
  /** When true, a 2xx answer must be a JSON value or the call fails with provider_error. */
  expectJson?: boolean;
  /** The definition field this address comes from ("tokenUrl"), named when the answer is unusable. */
  field?: string;
}

/** People's names of the endpoint fields, for sentences. */
const FIELD_WORDS: Record<string, string> = {
  tokenUrl: 'Token URL',
  testUrl: 'Test URL',
  revocationUrl: 'Revocation URL',
  authorizationUrl: 'Authorization URL',
  deviceAuthorizationUrl: 'Device authorization endpoint',
};

export interface ProviderResponse {
  status: number;
  headers: Headers;
  contentType: string;
  bytes: number;
  text: string;
  /** Parsed body when it was JSON; undefined otherwise. */
  json: unknown;
  durationMs: number;
}

/** Larger answers than this are never valid for the calls Patchbay makes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Send one request to a provider and classify the answer.
 *
 * Resolves for 1xx-4xx (except 429) so callers can read OAuth error bodies and 401s; throws
 * `rate_limited` for 429 (never retried here), `provider_error` for 5xx, oversized or non-JSON
 * answers where JSON was expected, `timeout`, `network` or the caller's abort reason.
 */
export async function providerFetch(ctx: HttpContext, req: ProviderRequest): Promise<ProviderResponse> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = String(req.url);
  const safeUrl = redactUrl(url);
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const started = ctx.clock.now();
  const fail = (detail: string, transportError: string | undefined): void => {
    ctx.trace.add({
      step: req.step,
      detail,
      ok: false,
      method,
      url: safeUrl,
      durationMs: ctx.clock.now() - started,
      ...(transportError === undefined ? {} : { transportError }),
    });
  };
  let response: Response;
  let body: { text: string; bytes: number };
  try {
    response = await ctx.fetch(url, {
      method,
      headers: req.headers,
      body: req.body,
      redirect: req.redirect ?? 'manual',
      signal,
    });
    body = await readBounded(response);
  } catch (error) {
    const mapped = mapTransportError(error, ctx, timeout);
    fail(`No answer: ${mapped.code}.`, transportErrorOf(error));
    throw mapped;
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const durationMs = ctx.clock.now() - started;
  const json = parseJson(body.text, contentType);
  const status = response.status;
  const ok = status < 400;
  ctx.trace.add({
    step: req.step,
    detail: ok ? `${ctx.providerName} answered.` : `${ctx.providerName} said no.`,
    technical: `${method} answered ${status} (${contentType || 'no content type'}, ${body.bytes} bytes)`,
    ok,
    method,
    url: safeUrl,
    httpStatus: status,
    durationMs,
    ...answerSignals(response, status, json, started, ctx.clock.now()),
  });
  if (status === 429) throw rateLimited(ctx, response.headers.get('retry-after'));
  if (status >= 500) {
    throw new PatchbayError(
      'provider_error',
      `${ctx.providerName} had a problem on its side (HTTP ${status}). Wait a few minutes and try again.`,
      { httpStatus: status },
    );
  }
  if (status >= 300 && status < 400) {
    // Redirects are never followed: a provider endpoint that moves would take credentials with it.
    const field = req.field ?? 'url';
    const words = FIELD_WORDS[field] ?? 'address';
    throw new PatchbayError(
      'provider_error',
      `${ctx.providerName}'s ${words} answered with a redirect (HTTP ${status}) instead of an answer. Patchbay does not follow redirects from provider endpoints; put the final address in ${words} in Set up.`,
      { httpStatus: status, field },
    );
  }
  if (req.expectJson && ok && json === undefined) {
    throw new PatchbayError(
      'provider_error',
      `${ctx.providerName} sent an answer Patchbay could not read (${body.bytes === 0 ? 'it was empty' : 'it was not JSON'}). Try again later, or check the provider's URLs in Set up.`,
      { httpStatus: status },
    );
  }
  return { status, headers: response.headers, contentType, bytes: body.bytes, text: body.text, json, durationMs };
}

/**
 * What a diagnosis may need from an answer, for its trace line: the provider's clock (every
 * answer), its OAuth error name and Bearer challenge (refusals), its Retry-After (429).
 */
function answerSignals(
  response: Response,
  status: number,
  json: unknown,
  sentAt: number,
  receivedAt: number,
): Partial<TraceEntry> {
  const out: Partial<TraceEntry> = {};
  const skew = measureClockSkew(response.headers.get('date'), sentAt, receivedAt);
  if (skew !== undefined) out.clockSkewSeconds = skew;
  if (status < 400) return out;
  const challenge = bearerChallengeOf(response.headers.get('www-authenticate'));
  const oauthError = oauthErrorOf(json) ?? challenge.error;
  if (oauthError !== undefined) out.oauthError = oauthError;
  if (challenge.scope !== undefined) out.scopeNeeded = challenge.scope;
  if (status === 429) {
    const seconds = parseRetryAfter(response.headers.get('retry-after'), receivedAt);
    if (seconds !== undefined) out.retryAfterSeconds = seconds;
  }
  return out;
}

/** Read a body as text, refusing anything above MAX_BODY_BYTES. */
async function readBounded(response: Response): Promise<{ text: string; bytes: number }> {
  if (!response.body) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

class BodyTooLarge extends Error {}

function parseJson(text: string, contentType: string): unknown {
  if (text.trim() === '') return undefined;
  if (contentType && !contentType.includes('json')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function mapTransportError(error: unknown, ctx: HttpContext, timeout: AbortSignal): PatchbayError {
  if (error instanceof PatchbayError) return error;
  if (error instanceof BodyTooLarge) {
    return new PatchbayError(
      'provider_error',
      `${ctx.providerName} answered with a response too large to be valid. Check the provider's URLs in Set up, or try again later.`,
    );
  }
  if (ctx.signal?.aborted) {
    const reason: unknown = ctx.signal.reason;
    if (reason instanceof PatchbayError) return reason;
    return new PatchbayError('cancelled', 'The request was cancelled. Nothing was changed.', { cause: error });
  }
  if (timeout.aborted) {
    return new PatchbayError('timeout', `${ctx.providerName} took too long to answer. Try again in a moment.`, {
      cause: error,
    });
  }
  return new PatchbayError(
    'network',
    `Patchbay couldn't reach ${ctx.providerName}. Check your internet connection and try again.`,
    { cause: error },
  );
}

/**
 * Parse Retry-After (delta seconds or an HTTP date) into whole seconds from now.
 *
 * Returns undefined when the header is missing or unreadable, so the message falls back to
 * "in a few minutes" instead of inventing a number.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function rateLimited(ctx: HttpContext, retryAfter: string | null): PatchbayError {
  const seconds = parseRetryAfter(retryAfter, ctx.clock.now());
  const when =
    seconds === undefined
      ? 'in a few minutes'
      : seconds < 120
        ? `in ${seconds} second${seconds === 1 ? '' : 's'}`
        : `in about ${Math.ceil(seconds / 60)} minutes`;
  return new PatchbayError(
    'rate_limited',
    `${ctx.providerName} says Patchbay is sending too many requests. Try again ${when}.`,
    { httpStatus: 429, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) },
  );
}

/** True for http(s) URLs on this machine (127.0.0.1, ::1, localhost): the only place plain HTTP is allowed. */
export function isLoopbackUrl(url: string | URL): boolean {
  const u = new URL(String(url));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
