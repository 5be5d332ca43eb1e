/**
 * One HTTP exchange with a provider's API, for requests people make through a connection.
 *
 * Unlike the flows' providerFetch (which refuses oversized or unexpected answers because no valid
 * OAuth answer looks like that), this shows whatever the API answered, 4xx and 5xx included, and
 * keeps at most `maxBytes` of the body, saying how much was cut. Redirects are never followed: the
 * next hop could be another host, and the credential header would go with it. A 429 still ends as
 * rate_limited, never retried here.
 */
import { describeNetworkFailure } from '../network/network-errors';
import { PatchbayError } from '../model/errors';
import { parseRetryAfter } from '../providers/provider-http';
import type { Clock, FetchLike } from '../model/types';
import type { ApiBodyCut } from '../../../preload/contract';

export interface ApiExchange {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  contentType: string;
  text: string;
  cut: ApiBodyCut | null;
  durationMs: number;
}

export interface ApiFetchContext {
  fetch: FetchLike;
  clock: Clock;
  timeoutMs: number;
  providerName: string;
  signal?: AbortSignal;
}

/** Send one request and read at most `maxBytes` of the answer. */
export async function apiFetch(
  ctx: ApiFetchContext,
  req: { url: URL; method: string; headers: Array<[string, string]>; body?: string | undefined; maxBytes: number },
): Promise<ApiExchange> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const started = ctx.clock.now();
  let response: Response;
  let read: { text: string; cut: ApiBodyCut | null };
  try {
    response = await ctx.fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      redirect: 'manual',
      signal,
    });
    read = await readUpTo(response, req.maxBytes);
  } catch (error) {
    throw transportError(error, ctx, timeout, req.url);
  }
  const durationMs = ctx.clock.now() - started;
  if (response.status === 429) {
    const seconds = parseRetryAfter(response.headers.get('retry-after'), ctx.clock.now());
    throw new PatchbayError(
      'rate_limited',
      `${ctx.providerName} says too many requests were sent. Try again ${seconds === undefined ? 'in a few minutes' : `in ${seconds} second${seconds === 1 ? '' : 's'}`}.`,
      { httpStatus: 429, ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }) },
    );
  }
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers].map(([n, v]) => [n.toLowerCase(), v]),
    contentType: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    text: read.text,
    cut: read.cut,
    durationMs,
  };
}

/** Read the body up to `maxBytes`; past that, stop reading and report the cut. */
async function readUpTo(response: Response, maxBytes: number): Promise<{ text: string; cut: ApiBodyCut | null }> {
  if (!response.body) return { text: '', cut: null };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let more = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - kept;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      kept += room;
      more = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    kept += value.byteLength;
  }
  const bytes = Buffer.concat(chunks);
  if (!more) return { text: bytes.toString('utf8'), cut: null };
  // Cut on a character boundary: drop a trailing partial UTF-8 sequence rather than show U+FFFD.
  const end = completeUtf8Length(bytes);
  const length = Number(response.headers.get('content-length'));
  return {
    text: bytes.subarray(0, end).toString('utf8'),
    cut: { shownBytes: end, totalBytes: Number.isSafeInteger(length) && length > end ? length : null },
  };
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  let back = 0;
  while (back < 3 && back < bytes.length && (bytes[bytes.length - 1 - back]! & 0xc0) === 0x80) back += 1;
  const leadAt = bytes.length - 1 - back;
  if (leadAt < 0) return bytes.length;
  const lead = bytes[leadAt]!;
  const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return expected > back + 1 ? leadAt : bytes.length;
}

function transportError(error: unknown, ctx: ApiFetchContext, timeout: AbortSignal, url: URL): PatchbayError {
  if (error instanceof PatchbayError) return error;
  if (ctx.signal?.aborted) return new PatchbayError('cancelled', 'The request was cancelled.', { cause: error });
  if (timeout.aborted)
    return new PatchbayError('timeout', `${ctx.providerName} took too long to answer. Try again in a moment.`, {
      cause: error,
    });
  const described = describeNetworkFailure(error, url, null);
  if (described) return described;
  return new PatchbayError(
    'network',
    `Patchbay couldn't reach ${ctx.providerName}. Check the address and your internet connection, then try again.`,
    { cause: error },
  );
}
