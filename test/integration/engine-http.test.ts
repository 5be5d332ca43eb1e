/**
 * providerFetch against a real misbehaving server: 429 (seconds, HTTP date, none), HTML 500,
 * a hang, a huge body, HTML or empty where JSON was expected, a closed port, a cancel; and the
 * trace line each request leaves (status, content type, size, redacted URL).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchbayError } from '../../main/core/model/errors';
import { parseRetryAfter, providerFetch, type HttpContext } from '../../main/core/providers/provider-http';
import { TraceRecorder } from '../../main/core/storage/trace';
import { startMisbehavingServer, type SimpleServer } from './providers/api-key-server';

let server: SimpleServer;
beforeAll(async () => {
  server = await startMisbehavingServer();
});
afterAll(async () => {
  await server.close();
});

function context(overrides: Partial<HttpContext> = {}): HttpContext & { trace: TraceRecorder } {
  return {
    fetch,
    clock: { now: () => Date.now() },
    timeoutMs: 2_000,
    trace: new TraceRecorder('test'),
    providerName: 'Acme',
    ...overrides,
  } as HttpContext & { trace: TraceRecorder };
}

async function failure(path: string, ctx = context(), expectJson = false): Promise<PatchbayError> {
  const error = await providerFetch(ctx, { url: `${server.base}${path}`, step: 'test_call', expectJson }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PatchbayError);
  return error as PatchbayError;
}

describe('providerFetch', () => {
  it('429 with Retry-After seconds says when to retry', async () => {
    const error = await failure('/429');
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toBe('Acme says Patchbay is sending too many requests. Try again in 30 seconds.');
  });

  it('429 with an HTTP date converts it to seconds from now', async () => {
    const error = await failure('/429-date');
    expect(error.retryAfterSeconds).toBeGreaterThan(240);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(300);
    expect(error.message).toMatch(/Try again in about [45] minutes\.$/);
  });

  it('429 without Retry-After says "in a few minutes" and invents no number', async () => {
    const error = await failure('/429-none');
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.message).toContain('Try again in a few minutes.');
  });

  it('an HTML 500 is a provider_error that never echoes the body; the trace has status, type and size', async () => {
    const ctx = context();
    const error = await failure('/html500', ctx);
    expect(error.code).toBe('provider_error');
    expect(error.message).toBe('Acme had a problem on its side (HTTP 500). Wait a few minutes and try again.');
    const [entry] = ctx.trace.entries();
    expect(entry).toMatchObject({ step: 'test_call', ok: false, httpStatus: 500, method: 'GET' });
    // Plain words for people; the status, content type and size stay in the technical line for diagnostics.
    expect(entry?.detail).toBe('Acme said no.');
    expect(entry?.technical).toMatch(/^GET answered 500 \(text\/html, \d+ bytes\)$/);
  });

  it('a hang ends in timeout', async () => {
    const error = await failure('/hang', context({ timeoutMs: 300 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('Acme took too long to answer. Try again in a moment.');
  });

  it('a body above 1 MiB is refused as too large', async () => {
    const error = await failure('/huge');
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('answered with a response too large to be valid');
  });

  it('HTML or an empty body where JSON was expected is a provider_error', async () => {
    expect((await failure('/html200', context(), true)).message).toContain('it was not JSON');
    expect((await failure('/empty', context(), true)).message).toContain('it was empty');
  });

  it('a closed port is a network error with the fix', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const error = await providerFetch(context(), { url: `http://127.0.0.1:${port}/x`, step: 'test_call' }).then(
      () => null,
      (e: unknown) => e as PatchbayError,
    );
    expect(error?.code).toBe('network');
    expect(error?.message).toBe("Patchbay couldn't reach Acme. Check your internet connection and try again.");
  });

  it("the caller's abort wins over the timeout and keeps its reason", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new PatchbayError('cancelled', 'stopped by the test')), 100);
    const error = await failure('/hang', context({ signal: controller.signal, timeoutMs: 5_000 }));
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('stopped by the test');
  });

  it('records the URL redacted in the trace', async () => {
    const ctx = context();
    await providerFetch(ctx, { url: `${server.base}/ok?code=abc123secret&state=xyz789&page=2`, step: 'test_call' });
    const [entry] = ctx.trace.entries();
    expect(entry?.url).toBe(`${server.base}/ok?code=[redacted]&state=[redacted]&page=2`);
    expect(entry?.ok).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates and ignores rubbish', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
