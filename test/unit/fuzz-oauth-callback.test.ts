/**
 * Fuzzing the core's callback validation (main/core/oauth/authorization-code.ts validateCallback).
 *
 * This is the check that stands between a callback URL — which any page or program can make the
 * browser or the OS deliver — and a token request. Properties: a callback whose state is not the
 * one this attempt generated (missing, repeated, one character off, re-encoded, another attempt's)
 * is never accepted; neither is a callback to another redirect endpoint, nor one carrying another
 * issuer's `iss` when the provider names its issuer (RFC 9207 mix-up defence). Every rejection is
 * a PatchbayError. The genuine callback is accepted, so the test cannot pass by rejecting all.
 * Seeded: set PATCHBAY_FUZZ_SEED to replay a failure (the seed is printed).
 *
 * Would fail if: validateCallback passed `expectNoState`/skipped the state comparison, dropped the
 * redirect-endpoint comparison (withoutQuery), or deleted `iss` even when an issuer is configured.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isPatchbayError } from '../../main/core/model/errors';
import {
  buildAuthorizationRequest,
  validateCallback,
  type AuthorizationRequest,
} from '../../main/core/oauth/authorization-code';
import type { ProviderDefinition } from '../../preload/contract';
import { RUNS, check } from '../helpers/fuzz';

const ISSUER = 'https://id.acme.example.com';
const PLAIN: ProviderDefinition = {
  id: 'acme',
  name: 'Acme',
  auth: 'oauth2',
  authorizationUrl: 'https://id.acme.example.com/authorize',
  tokenUrl: 'https://id.acme.example.com/token',
  pkce: true,
};
const WITH_ISSUER: ProviderDefinition = { ...PLAIN, id: 'acme-iss', issuer: ISSUER };
const REDIRECTS = [
  'http://127.0.0.1:51234/callback',
  'patchbay://oauth/callback',
  'https://app.example.com/oauth/return',
];

let requests: AuthorizationRequest[] = [];
beforeAll(async () => {
  requests = await Promise.all(
    REDIRECTS.flatMap((r) => [
      buildAuthorizationRequest(PLAIN, 'client-1', r),
      buildAuthorizationRequest(PLAIN, 'client-1', r),
    ]),
  );
});

/** Ways to get the state wrong, derived from the real one. */
function forgedStates(real: string, other: string): fc.Arbitrary<string[]> {
  const flip = fc
    .nat({ max: real.length - 1 })
    .map((i) => real.slice(0, i) + (real[i] === 'A' ? 'B' : 'A') + real.slice(i + 1));
  return fc.oneof<fc.Arbitrary<string[]>[]>(
    fc.constant<string[]>([]),
    fc.constant<string[]>(['']),
    fc.constant<string[]>([other]),
    flip.map((s) => [s]),
    fc
      .constantFrom(
        real.slice(1),
        real.slice(0, -1),
        `${real} `,
        ` ${real}`,
        `${real}x`,
        real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
        encodeURIComponent(real) + '%00',
      )
      .filter((s) => s !== real)
      .map((s) => [s]),
    fc.constant<string[]>([real, other]),
    fc.constant<string[]>([other, real]),
    fc.constant<string[]>([real, real]),
    fc
      .string({ maxLength: 50 })
      .filter((s) => s !== real)
      .map((s) => [s]),
  );
}

const extraParams = fc.array(
  fc.tuple(fc.constantFrom('code', 'iss', 'error', 'session_state', 'scope', 'x'), fc.string({ maxLength: 16 })),
  { maxLength: 4 },
);

function callbackUrl(redirect: string, states: string[], code: string | null, extra: Array<[string, string]>): URL {
  const url = new URL(redirect);
  if (code !== null) url.searchParams.append('code', code);
  for (const s of states) url.searchParams.append('state', s);
  for (const [k, v] of extra) url.searchParams.append(k, v);
  return url;
}

describe('fuzz: the core never accepts a forged callback', () => {
  it(`rejects every callback whose state is not this attempt's (${RUNS} cases)`, { timeout: 60_000 }, () => {
    const cases = fc.nat({ max: REDIRECTS.length * 2 - 1 }).chain((i) => {
      const request = requests[i]!;
      const other = requests[(i + 1) % requests.length]!.state;
      return fc.tuple(
        fc.constant(request),
        forgedStates(request.state, other),
        fc.option(fc.string({ minLength: 1, maxLength: 20 })),
        extraParams,
      );
    });
    check(
      fc.property(cases, ([request, states, code, extra]) => {
        const url = callbackUrl(request.redirectUri, states, code, extra);
        let accepted = false;
        try {
          validateCallback(PLAIN, 'client-1', url, request);
          accepted = true;
        } catch (error) {
          expect(isPatchbayError(error)).toBe(true);
          if (isPatchbayError(error) && !extra.some(([k]) => k === 'error')) expect(error.code).toBe('state_mismatch');
        }
        expect(accepted, `accepted forged callback ${url.href}`).toBe(false);
      }),
    );
  });

  it(`rejects the right state delivered to another redirect endpoint (${RUNS} cases)`, { timeout: 60_000 }, () => {
    const endpoint = fc.constantFrom(
      'http://127.0.0.1:51235/callback',
      'http://localhost:51234/callback',
      'http://127.0.0.1:51234/callback/x',
      'http://127.0.0.1:51234/Callback',
      'https://127.0.0.1:51234/callback',
      'patchbay://evil/callback',
      'patchbay://oauth/callback2',
      'https://app.example.com.evil.test/oauth/return',
      'https://evil.test/oauth/return',
      'https://app.example.com/oauth/return/',
      'http://app.example.com/oauth/return',
      'evil://oauth/callback',
    );
    check(
      fc.property(
        fc.nat({ max: requests.length - 1 }),
        endpoint,
        fc.string({ minLength: 1, maxLength: 20 }),
        (i, to, code) => {
          const request = requests[i]!;
          const url = callbackUrl(to, [request.state], code, []);
          expect(() => validateCallback(PLAIN, 'client-1', url, request)).toThrowError(
            expect.objectContaining({ code: 'state_mismatch' }) as Error,
          );
        },
      ),
    );
  });

  it(
    `with an issuer configured, rejects a missing or foreign iss and accepts only the right one (${RUNS} cases)`,
    { timeout: 60_000 },
    async () => {
      const request = await buildAuthorizationRequest(WITH_ISSUER, 'client-1', REDIRECTS[0]!);
      const iss = fc.oneof(
        fc.constant(null),
        fc.constantFrom(
          ISSUER,
          `${ISSUER}/`,
          'https://id.acme.example.com.evil.test',
          'http://id.acme.example.com',
          'https://evil.test',
          '',
          ISSUER.toUpperCase(),
        ),
        fc.string({ maxLength: 30 }),
      );
      check(
        fc.property(iss, fc.string({ minLength: 1, maxLength: 20 }), (issValue, code) => {
          const url = callbackUrl(
            request.redirectUri,
            [request.state],
            code,
            issValue === null ? [] : [['iss', issValue]],
          );
          let accepted = false;
          try {
            validateCallback(WITH_ISSUER, 'client-1', url, request);
            accepted = true;
          } catch (error) {
            expect(isPatchbayError(error) && error.code).toBe('state_mismatch');
          }
          expect(accepted).toBe(issValue === ISSUER);
        }),
      );
    },
  );

  it('accepts the genuine callback (with any harmless extra parameters)', { timeout: 60_000 }, () => {
    check(
      fc.property(fc.nat({ max: requests.length - 1 }), fc.string({ minLength: 1, maxLength: 40 }), (i, code) => {
        const request = requests[i]!;
        const params = validateCallback(
          PLAIN,
          'client-1',
          callbackUrl(request.redirectUri, [request.state], code, [['iss', 'https://whatever.test']]),
          request,
        );
        expect(params.get('code')).toBe(code);
      }),
      2_000,
    );
  });
});
