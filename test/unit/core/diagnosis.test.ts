/**
 * Diagnosis, its provider signals and the support bundle's pieces, as pure functions: each known
 * failure signature gives its one sentence and action, hostile headers and files are bounded and
 * cleaned, JWT claims keep only the listed values, and the secret scan finds cut-down leaks.
 */
import { describe, expect, it } from 'vitest';
import type { BridgeError, TraceEntry } from '../../../preload/contract';
import { diagnose } from '../../../main/core/diagnosis/diagnose';
import { bearerChallengeOf, measureClockSkew, transportErrorOf } from '../../../main/core/diagnosis/provider-signals';
import { jwtClaimsView } from '../../../main/core/diagnosis/jwt-claims';
import { leaksSecret } from '../../../main/core/diagnosis/support-bundle';
import { MAX_BUNDLE_BYTES, readSupportBundle } from '../../../main/core/diagnosis/bundle-schema';
import { TraceRecorder } from '../../../main/core/storage/trace';
import { PatchbayError } from '../../../main/core/model/errors';

const at = '2026-11-30T12:00:00.000Z';
const entry = (e: Partial<TraceEntry>): TraceEntry => ({ at, step: 'token_request', detail: 'x', ok: false, ...e });
const err = (code: BridgeError['code'], extra: Partial<BridgeError> = {}): BridgeError => ({
  code,
  message: 'm',
  ...extra,
});

describe('measureClockSkew', () => {
  const sent = Date.parse(at);
  it('reads minutes of skew either way and ignores what the request itself took', () => {
    expect(measureClockSkew(new Date(sent - 600_000).toUTCString(), sent, sent + 200)).toBe(-600);
    expect(measureClockSkew(new Date(sent + 420_000).toUTCString(), sent, sent + 200)).toBe(420);
    expect(measureClockSkew(new Date(sent).toUTCString(), sent, sent + 1500)).toBe(0);
  });
  it('gives nothing for a missing, garbled, over-long or absurd header', () => {
    for (const bad of [null, '', 'yesterday', 'x'.repeat(200), 'Mon, 01 Jan 1900 00:00:00 GMT', 'Tue\u0007, 1 Dec'])
      expect(measureClockSkew(bad, sent, sent + 10)).toBeUndefined();
  });
});

describe('bearerChallengeOf', () => {
  it('reads error and scope, quoted or not, after other challenges', () => {
    expect(bearerChallengeOf('Bearer error="insufficient_scope", scope="a b:c"')).toEqual({
      error: 'insufficient_scope',
      scope: 'a b:c',
    });
    expect(bearerChallengeOf('Basic realm="x", Bearer scope=files.read, error=insufficient_scope')).toEqual({
      error: 'insufficient_scope',
      scope: 'files.read',
    });
  });
  it('drops values with control or quote characters, over-long scopes and over-long headers', () => {
    expect(bearerChallengeOf('Bearer error="insufficient_scope", scope="a\u009b2J"')).toEqual({
      error: 'insufficient_scope',
    });
    expect(bearerChallengeOf(`Bearer scope="${'s'.repeat(301)}"`)).toEqual({});
    expect(bearerChallengeOf(`Bearer error="insufficient_scope", scope="a" ${' '.repeat(2000)}`)).toEqual({});
    expect(bearerChallengeOf('Basic realm="x"')).toEqual({});
    expect(bearerChallengeOf(null)).toEqual({});
  });
});

describe('transportErrorOf', () => {
  it('finds the socket error code in the cause chain, and only a code', () => {
    const cause = Object.assign(new Error('certificate has expired for https://x/?code=abc'), {
      code: 'CERT_HAS_EXPIRED',
    });
    expect(transportErrorOf(new TypeError('fetch failed', { cause }))).toBe('CERT_HAS_EXPIRED');
    expect(transportErrorOf(Object.assign(new Error('x'), { code: 'weird code with spaces' }))).toBeUndefined();
  });
});

describe('diagnose', () => {
  const base = { providerName: 'Acme', redirectUri: 'http://127.0.0.1:1/host' };
  const authorize = entry({
    step: 'authorize',
    ok: true,
    url: 'https://acme.test/authorize?client_id=c&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&state=%5Bredacted%5D',
  });

  it('redirect_uri_mismatch shows the URI the sign-in used, with Copy', () => {
    const d = diagnose({
      ...base,
      error: err('provider_error'),
      trace: [
        entry({ step: 'start', ok: true }),
        authorize,
        entry({ step: 'callback', oauthError: 'redirect_uri_mismatch' }),
      ],
    });
    expect(d).toMatchObject({
      code: 'redirect_uri_mismatch',
      redirectUri: 'http://127.0.0.1:5555/callback',
      action: { kind: 'copy', value: 'http://127.0.0.1:5555/callback' },
    });
  });

  it('falls back to the host redirect URI when the trace has no sign-in', () => {
    const d = diagnose({
      ...base,
      error: err('provider_error'),
      trace: [entry({ oauthError: 'redirect_uri_mismatch' })],
    });
    expect(d?.redirectUri).toBe('http://127.0.0.1:1/host');
  });

  it('invalid_client points at Set up; an API key refused is not a client problem', () => {
    expect(diagnose({ ...base, error: err('invalid_client', { field: 'clientId' }) })?.action.kind).toBe('setup');
    expect(diagnose({ ...base, error: err('invalid_client', { field: 'apiKey' }), auth: 'apiKey' })).toBeNull();
  });

  it('insufficient_scope names the scope; invalid_scope at sign-in speaks of the scopes asked for', () => {
    const scoped = diagnose({
      ...base,
      error: err('provider_error'),
      trace: [
        entry({ step: 'test_call', httpStatus: 403, oauthError: 'insufficient_scope', scopeNeeded: 'mail.send' }),
      ],
    });
    expect(scoped).toMatchObject({ code: 'insufficient_scope', scope: 'mail.send' });
    expect(scoped?.sentence).toContain('"mail.send"');
    const atSignIn = diagnose({
      ...base,
      error: err('provider_error'),
      trace: [entry({ oauthError: 'invalid_scope' })],
    });
    expect(atSignIn?.sentence).toContain('refused the permissions (scopes) Patchbay asked for');
  });

  it('429 says when to retry from Retry-After', () => {
    const d = diagnose({
      ...base,
      error: err('rate_limited', { retryAfterSeconds: 120 }),
      trace: [entry({ step: 'test_call', httpStatus: 429, retryAfterSeconds: 120 })],
    });
    expect(d).toMatchObject({ code: 'rate_limited', retryAt: '2026-11-30T12:02:00.000Z' });
    expect(d?.action.label).toBe('Try again after 12:02 UTC');
  });

  it('TLS failures and proxies', () => {
    expect(
      diagnose({
        ...base,
        error: err('network'),
        trace: [entry({ transportError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })],
      })?.code,
    ).toBe('tls');
    expect(diagnose({ ...base, error: err('provider_error'), trace: [entry({ httpStatus: 407 })] })?.code).toBe(
      'proxy',
    );
    expect(diagnose({ ...base, error: err('network'), trace: [entry({ transportError: 'ECONNREFUSED' })] })).toBeNull();
  });

  it('a clock more than 5 minutes off is diagnosed with or without an error, and wins over invalid_grant', () => {
    const skewed = [entry({ step: 'test_call', ok: true, clockSkewSeconds: -301 })];
    expect(diagnose({ ...base, error: null, trace: skewed })?.code).toBe('clock_skew');
    expect(diagnose({ ...base, error: err('invalid_grant'), trace: skewed })?.code).toBe('clock_skew');
    expect(diagnose({ ...base, error: null, trace: [entry({ clockSkewSeconds: 299 })] })).toBeNull();
  });

  it('invalid_grant on refresh: sign in again; an unknown failure: no diagnosis', () => {
    expect(diagnose({ ...base, error: err('invalid_grant') })?.action).toEqual({
      kind: 'reconnect',
      label: 'Sign in again',
    });
    expect(diagnose({ ...base, error: err('provider_error'), trace: [entry({ httpStatus: 500 })] })).toBeNull();
  });

  it('an old failure before a later success is not the last attempt', () => {
    const trace = [
      entry({ oauthError: 'invalid_client' }),
      entry({ step: 'test_call', ok: true }),
      entry({ httpStatus: 500 }),
    ];
    expect(diagnose({ ...base, error: err('provider_error'), trace })).toBeNull();
  });
});

describe('trace lines keep diagnosis signals only in their expected shape', () => {
  it('drops free text, absurd numbers and control characters', () => {
    const recorder = new TraceRecorder('c1');
    const clean = recorder.add({
      step: 'test_call',
      detail: 'x',
      ok: false,
      oauthError: 'bad error <script>',
      scopeNeeded: 'a\u0007b',
      transportError: 'ECONNRESET',
      clockSkewSeconds: 1e12,
      retryAfterSeconds: 30.4,
    });
    expect(clean).toMatchObject({ transportError: 'ECONNRESET', retryAfterSeconds: 30 });
    expect(clean.oauthError).toBeUndefined();
    expect(clean.scopeNeeded).toBeUndefined();
    expect(clean.clockSkewSeconds).toBeUndefined();
  });
});

describe('jwtClaimsView', () => {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  it('keeps claim names, and values only for iss aud exp iat nbf scope azp', () => {
    const token = `${part({ alg: 'ES256', kid: 'k1', jku: 'https://evil' })}.${part({
      iss: 'https://id',
      aud: 'api',
      exp: 2,
      iat: 1,
      nbf: 1,
      scope: 'a b',
      azp: 'cli',
      sub: 'u1',
      email: 'e@x',
      ['__proto__']: 'p',
      nested: { iss: 'x' },
    })}.sig`;
    const view = jwtClaimsView(token);
    expect(view?.header).toEqual({ alg: 'ES256', kid: '[redacted]', jku: '[redacted]' });
    expect(view?.claims).toEqual(
      Object.fromEntries([
        ['iss', 'https://id'],
        ['aud', 'api'],
        ['exp', 2],
        ['iat', 1],
        ['nbf', 1],
        ['scope', 'a b'],
        ['azp', 'cli'],
        ['sub', '[redacted]'],
        ['email', '[redacted]'],
        ['__proto__', '[redacted]'],
        ['nested', '[redacted]'],
      ]),
    );
    expect(Object.getPrototypeOf(view?.claims)).toBe(Object.prototype);
  });
  it('an opaque token, a broken JWT or a huge one is no JWT', () => {
    for (const t of ['opaque-token-value', 'a.b.c', `${part({})}.${'A'.repeat(70_000)}.s`, null])
      expect(jwtClaimsView(t)).toBeNull();
  });
});

describe('leaksSecret', () => {
  const secret = 'at-4f9c2e7b1d8a6f3e0c5b';
  it('finds a secret whole, or any 12 characters of it', () => {
    expect(leaksSecret(`x ${secret} y`, [secret])).toBe(true);
    expect(leaksSecret(`cut: ${secret.slice(5, 17)}…`, [secret])).toBe(true);
    expect(leaksSecret(`near miss: ${secret.slice(5, 16)}`, [secret])).toBe(false);
    expect(leaksSecret('nothing here', [secret, null, undefined, 'abc'])).toBe(false);
  });
});

describe('readSupportBundle refuses hostile files with the problem named', () => {
  const refused = (text: string): PatchbayError => {
    try {
      readSupportBundle(text);
    } catch (error) {
      expect(error).toBeInstanceOf(PatchbayError);
      return error as PatchbayError;
    }
    throw new Error('accepted');
  };
  it('size, JSON, format, version, a field', () => {
    expect(refused('x'.repeat(MAX_BUNDLE_BYTES + 1)).message).toMatch(/at most 1\.5 MB/);
    expect(refused('{').message).toMatch(/not JSON/);
    expect(refused('[]').field).toBe('format');
    expect(refused('{"format":"patchbay-support-bundle","formatVersion":2}').message).toMatch(/newer Patchbay/);
    const e = refused('{"format":"patchbay-support-bundle","formatVersion":1,"createdAt":5}');
    expect(e.field).toBe('createdAt');
    expect(e.message).toBe(
      'The support bundle\'s "createdAt" expected string, received number. The file may have been edited or damaged; ask for a new support bundle.',
    );
  });
});
