import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearRegisteredSecrets,
  REDACTED,
  redactText,
  redactUrl,
  registerSecret,
} from '../../../main/core/storage/redact';

afterEach(() => clearRegisteredSecrets());

const tokenChars = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split('')),
  minLength: 12,
  maxLength: 80,
});

describe('redactText', () => {
  it('removes token values from a JSON token response and keeps the rest', () => {
    const body = JSON.stringify({
      access_token: 'at-123456',
      refresh_token: 'rt-654321',
      id_token: 'idt-999999',
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'a b',
    });
    const out = redactText(body);
    for (const secret of ['at-123456', 'rt-654321', 'idt-999999']) expect(out).not.toContain(secret);
    expect(out).toContain('"token_type":"Bearer"');
    expect(out).toContain('"expires_in":3600');
    expect(out).toContain(`"access_token":"${REDACTED}"`);
  });

  it('handles pretty JSON, escaped quotes and camelCase keys', () => {
    const out = redactText('{\n  "clientSecret" : "s3\\"cr3t-value",\n  "apiKey": "k-1234567",\n  "name": "Ada"\n}');
    expect(out).not.toContain('s3\\"cr3t-value');
    expect(out).not.toContain('k-1234567');
    expect(out).toContain('"name": "Ada"');
  });

  it('removes values from form bodies and query strings', () => {
    const out = redactText(
      'grant_type=authorization_code&code=abc123xyz&code_verifier=verif1234567&client_secret=cs-9876&redirect_uri=http%3A%2F%2F127.0.0.1',
    );
    expect(out).toBe(
      `grant_type=authorization_code&code=${REDACTED}&code_verifier=${REDACTED}&client_secret=${REDACTED}&redirect_uri=http%3A%2F%2F127.0.0.1`,
    );
  });

  it('keeps the auth scheme of credential headers and replaces the credential', () => {
    expect(redactText('Authorization: Bearer eyJabc.def.ghi')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('authorization: Token landbot-token-1')).toBe(`authorization: Token ${REDACTED}`);
    expect(redactText('Api-Token: wg-key-123456')).toBe(`Api-Token: ${REDACTED}`);
    expect(redactText('{"Authorization":"Basic dXNlcjpwYXNz"}')).toBe(`{"Authorization":"Basic ${REDACTED}"}`);
    expect(redactText('GET /me\nAuthorization: rawtoken123\nAccept: */*')).toBe(
      `GET /me\nAuthorization: ${REDACTED}\nAccept: */*`,
    );
  });

  it('removes registered secret values wherever they appear, in any encoding', () => {
    registerSecret('dal:Region/Token+Value=');
    const text = 'html said dal:Region/Token+Value= and url had dal%3ARegion%2FToken%2BValue%3D';
    const out = redactText(text);
    expect(out).not.toContain('Region');
    expect(out).toBe(`html said ${REDACTED} and url had ${REDACTED}`);
  });

  it('takes a hostile secret with a lone surrogate without throwing, and still removes it', () => {
    const odd = 'tok-\uD800-0123456789abcdef';
    expect(() => registerSecret(odd)).not.toThrow();
    expect(redactText(`answer: ${odd} end`)).toBe(`answer: ${REDACTED} end`);
    expect(redactText(`per call ${odd}`, [odd])).toBe(`per call ${REDACTED}`);
  });

  it('takes per-call secrets and ignores values too short to be secrets', () => {
    expect(redactText('plain words with hunter22 inside', ['hunter22'])).toBe(`plain words with ${REDACTED} inside`);
    registerSecret('a');
    expect(redactText('a cat')).toBe('a cat');
  });

  it('redacts bare JWTs and loose log lines', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    expect(redactText(`got ${jwt} back`)).toBe(`got ${REDACTED} back`);
    expect(redactText('refresh_token: rt-abcdef status 200')).toBe(`refresh_token: ${REDACTED} status 200`);
  });

  it('keeps word-like error codes and states in JSON but hides random codes', () => {
    const error = '{"error":{"code":"invalid_request","state":"needs_reconnect","message":"bad"}}';
    expect(redactText(error)).toBe(error);
    expect(redactText('{"code":"SplxlOBeZQQYbYS6WxSbIA","state":"af0ifjsldkj9"}')).toBe(
      `{"code":"${REDACTED}","state":"${REDACTED}"}`,
    );
  });

  it('leaves text without secrets alone', () => {
    const text = 'Token request to https://example.com/token answered 400 invalid_grant in 120 ms (status code 400).';
    expect(redactText(text)).toBe(text);
  });

  it('never lets a token in a sensitive field survive (property)', () => {
    fc.assert(
      fc.property(
        tokenChars,
        fc.constantFrom(
          'access_token',
          'refresh_token',
          'id_token',
          'code',
          'client_secret',
          'api_key',
          'password',
          'code_verifier',
          'assertion',
        ),
        (secret, key) => {
          const shapes = [
            JSON.stringify({ [key]: secret, other: 'x' }),
            JSON.stringify({ nested: { [key]: secret } }, null, 2),
            `${key}=${encodeURIComponent(secret)}&x=1`,
            `https://a.example/cb?x=1&${key}=${encodeURIComponent(secret)}`,
            `Authorization: Bearer ${secret}`,
          ];
          for (const shape of shapes) expect(redactText(shape)).not.toContain(secret);
        },
      ),
    );
  });
});

describe('redactUrl', () => {
  it('keeps scheme, host, path and parameter names; hides sensitive values', () => {
    const out = redactUrl(
      'http://127.0.0.1:4000/callback?code=c0de-value&state=st4te-value&iss=http%3A%2F%2F127.0.0.1%3A1',
    );
    expect(out).toBe(
      `http://127.0.0.1:4000/callback?code=${REDACTED}&state=${REDACTED}&iss=http%3A%2F%2F127.0.0.1%3A1`,
    );
  });

  it('hides code_challenge, fragment tokens and URL passwords', () => {
    const out = redactUrl(
      'https://user:pa55word@auth.example/authorize?client_id=abc&code_challenge=chal1234&scope=a%20b#access_token=frag-token',
    );
    expect(out).toBe(
      `https://user:${REDACTED}@auth.example/authorize?client_id=abc&code_challenge=${REDACTED}&scope=a%20b#access_token=${REDACTED}`,
    );
  });

  it('accepts URL objects and falls back to text redaction for non-URLs', () => {
    expect(redactUrl(new URL('https://a.example/t?token=tok-value'))).toBe(`https://a.example/t?token=${REDACTED}`);
    expect(redactUrl('not a url?code=abc123')).toBe(`not a url?code=${REDACTED}`);
  });

  it('removes registered secrets from paths too', () => {
    registerSecret('path-secret-123');
    expect(redactUrl('https://a.example/keys/path-secret-123/info')).toBe(`https://a.example/keys/${REDACTED}/info`);
  });
});

describe('registered secrets at scale (indexed look-up)', () => {
  it('replaces every registered secret, including ones sharing a prefix, after many registrations', () => {
    clearRegisteredSecrets();
    const secrets = Array.from(
      { length: 1500 },
      (_, i) => `tok_${String(i).padStart(5, '0')}_${'x'.repeat(i % 7)}secret`,
    );
    for (const s of secrets) registerSecret(s);
    registerSecret('tok_00001_xsecret_longer_variant');
    const text = `a=${secrets[1]} b=${secrets[1499]} c=tok_00001_xsecret_longer_variant d=${encodeURIComponent(secrets[42]!)}`;
    const out = redactText(text);
    for (const s of [secrets[1]!, secrets[1499]!, secrets[42]!, 'tok_00001_xsecret_longer_variant'])
      expect(out).not.toContain(s);
    expect(out).not.toContain('_longer_variant');
    expect(out).toContain('a=');
    clearRegisteredSecrets();
    expect(redactText(`a=${secrets[1]}`)).toContain(secrets[1]!);
  });
});

describe('known-value look-up (prefix bitset and index)', () => {
  // Secrets never hold "[" or "]" and are no part of "[redacted]" itself: otherwise the
  // replacement could spell a secret again with its neighbours, which is not a leak.
  const secret = fc
    .string({ unit: 'grapheme', minLength: 4, maxLength: 24 })
    .filter((s) => s.length >= 4 && !/[[\]]/.test(s) && !REDACTED.includes(s));
  const spelled = (s: string, how: number): string =>
    how === 0 ? s : how === 1 ? encodeURIComponent(s) : JSON.stringify(s).slice(1, -1);

  it('finds every secret at any position, in any spelling, registered or per call (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            value: secret,
            how: fc.integer({ min: 0, max: 2 }),
            registered: fc.boolean(),
            before: fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !/[[\]]/.test(s)),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => !/[[\]]/.test(s)),
        (parts, tail) => {
          clearRegisteredSecrets();
          const extra: string[] = [];
          for (const p of parts) (p.registered ? registerSecret : (v: string) => extra.push(v))(p.value);
          const text = parts.map((p) => `${p.before}${spelled(p.value, p.how)}`).join('') + tail;
          const out = redactText(text, extra);
          for (const p of parts) expect(out).not.toContain(spelled(p.value, p.how));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('still removes a per-call secret once it has been evicted from the process-wide list', () => {
    registerSecret('recorder-secret-0001');
    for (let i = 0; i < 2000; i += 1) registerSecret(`filler-secret-${i}`);
    const text = 'echoed: recorder-secret-0001';
    expect(redactText(text)).toBe(text); // Evicted: the oldest of more than 2,000.
    expect(redactText(text, ['recorder-secret-0001'])).toBe(`echoed: ${REDACTED}`);
  });

  it('keeps a spelling two secrets share when the older one is evicted', () => {
    registerSecret('shared value x'); // URL-encoded: "shared%20value%20x"
    registerSecret('shared%20value%20x'); // the same text, raw
    expect(redactText('a shared%20value%20x b')).toBe(`a ${REDACTED} b`); // builds the index
    for (let i = 0; i < 1999; i += 1) registerSecret(`filler-secret-${i}`);
    expect(redactText('a shared value x b')).toBe('a shared value x b'); // the older one is gone
    expect(redactText('a shared%20value%20x b')).toBe(`a ${REDACTED} b`);
    expect(redactText('filler-secret-0 filler-secret-1998')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('finds a secret that ends the text and one whose first characters differ only above 7 bits', () => {
    registerSecret('Zé12'); // "é" is U+00E9: its low 7 bits equal those of "i" (U+0069).
    registerSecret('tail-secret');
    expect(redactText('Zi12 and Zé12 at the end: tail-secret')).toBe(`Zi12 and ${REDACTED} at the end: ${REDACTED}`);
  });
});
