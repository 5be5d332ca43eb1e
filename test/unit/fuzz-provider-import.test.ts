/**
 * Fuzzing the provider-definition importer (main/core/providers/provider-schema.ts parseProviderImport).
 *
 * Import files are pasted or picked by people and shared between teams, so the importer must be
 * total: zero crashes, every rejection a PatchbayError with a known code (and, for invalid_input,
 * the field at fault), and every accepted definition safe — HTTPS for every non-loopback URL, no
 * reserved authorize parameter overridden, export = import. Inputs range from random text and
 * random JSON to definitions assembled from a pool of valid and near-valid field values.
 * Seeded: set PATCHBAY_FUZZ_SEED to replay a failure (the seed is printed).
 *
 * Would fail if: a URL field stopped requiring HTTPS off loopback (http://evil.test values are in
 * the pool), or zod's own errors leaked out instead of PatchbayError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../preload/contract';
import { isPatchbayError } from '../../main/core/model/errors';
import { exportProviders, parseProviderImport } from '../../main/core/providers/provider-schema';
import { RUNS, check } from '../helpers/fuzz';

const URL_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
  'issuer',
  'errorPageUrl',
  'testUrl',
  'docsUrl',
  'apiKeyHelpUrl',
  'redirectUri',
] as const;

const urlValue = fc.constantFrom(
  'https://acme.example.com/oauth/authorize',
  'https://acme.example.com/oauth/token',
  'http://127.0.0.1:8080/token',
  'http://localhost:9/x',
  'http://[::1]:5/x',
  'http://evil.test/token',
  'http://127.0.0.1.evil.test/token',
  'http://acme.example.com@evil.test/',
  'HTTP://EVIL.TEST/',
  'javascript:alert(1)',
  'data:text/html,x',
  'file:///etc/passwd',
  'patchbay://oauth/callback',
  'ftp://x',
  'https://',
  '',
  'not a url',
  'https://acme.example.com/%zz',
  ' https://acme.example.com/',
  'https://[::1',
  'ws://127.0.0.1/',
);

const fieldValue = fc.oneof(
  urlValue,
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const FIELD_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(
    fc.constantFrom('acme', 'acme-crm', 'sandbox', 'A', '-x', 'a'.repeat(64), ''),
    fc.string({ maxLength: 12 }),
  ),
  name: fc.oneof(fc.constantFrom('Acme', '  ', ''), fc.string({ maxLength: 30 })),
  auth: fc.constantFrom('oauth2', 'apiKey', 'basic', undefined),
  scopes: fc.oneof(
    fc.array(fc.constantFrom('read', 'write', 'a b', '', 'offline_access'), { maxLength: 4 }),
    fieldValue,
  ),
  pkce: fc.oneof(fc.boolean(), fieldValue),
  pkceMethodName: fc.constantFrom('S256', 's256', 'plain', 'S512', 1),
  tokenAuthMethod: fc.constantFrom('client_secret_post', 'client_secret_basic', 'none', 'private_key_jwt'),
  tokenRequestFormat: fc.constantFrom('form', 'json', 'xml'),
  revocationStyle: fc.constantFrom('rfc7009', 'livechat-delete', 'none', 'other'),
  extraAuthorizeParams: fc.oneof(
    fc.dictionary(
      fc.constantFrom('prompt', 'audience', 'state', 'redirect_uri', 'client_id', 'code_challenge', ' ', 'nonce'),
      fc.string({ maxLength: 10 }),
      { maxKeys: 3 },
    ),
    fieldValue,
  ),
  loopbackPort: fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.double(), fieldValue),
  apiKeyHeader: fc.constantFrom('Authorization', 'Api-Token', 'X Key', 'Bad:Header', '', 'X-Key\r\nInjected: 1'),
  apiKeyPrefix: fc.constantFrom('Bearer ', 'Token ', '', 'a\nb'),
  labelPath: fc.constantFrom('name', 'data.name', '..', 'a b', ''),
  scopeSeparator: fc.constantFrom(' ', ',', '', '    '),
  typo: fc.constantFrom('tokenURL', 'clientSecret', '__proto__', 'constructor'),
};
for (const f of URL_FIELDS) FIELD_VALUES[f] = urlValue;

const VALID_BASES: Array<Record<string, unknown>> = [
  {
    id: 'acme',
    name: 'Acme',
    authorizationUrl: 'https://acme.example.com/oauth/authorize',
    tokenUrl: 'https://acme.example.com/oauth/token',
  },
  {
    id: 'local',
    name: 'Local',
    auth: 'oauth2',
    authorizationUrl: 'http://127.0.0.1:9000/auth',
    tokenUrl: 'http://127.0.0.1:9000/token',
    scopes: ['read'],
  },
  {
    id: 'keyed',
    name: 'Keyed',
    auth: 'apiKey',
    apiKeyHeader: 'Api-Token',
    testUrl: 'https://api.keyed.example.com/me',
  },
];

/** A definition-shaped object: a valid base with 0-3 fields replaced or added from the pools. */
const definitionish = fc
  .tuple(
    fc.constantFrom(...VALID_BASES),
    fc
      .array(fc.constantFrom(...Object.keys(FIELD_VALUES)), { maxLength: 3 })
      .chain((keys) => fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), FIELD_VALUES[k]!)))),
  )
  .map(([base, overrides]) => {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of overrides as Array<[string, unknown]>) {
      if (v === undefined) delete out[k];
      else out[k === 'typo' ? String(v) : k] = v;
    }
    return out;
  });

const importText = fc.oneof(
  { weight: 4, arbitrary: definitionish.map((d) => JSON.stringify(d)) },
  { weight: 3, arbitrary: fc.array(definitionish, { maxLength: 4 }).map((a) => JSON.stringify(a)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: definitionish.map((d) => JSON.stringify(d).slice(0, -1)) },
  { weight: 1, arbitrary: definitionish.map((d) => `\uFEFF${JSON.stringify([d, d])}`) },
);

function isSafeUrl(field: string, value: string): boolean {
  const u = new URL(value);
  if (u.protocol === 'https:') return true;
  if (u.protocol === 'http:') return ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
  return field === 'redirectUri' && !['javascript:', 'data:', 'file:'].includes(u.protocol);
}

describe('fuzz: provider-definition importer', () => {
  it(
    `never crashes; every rejection is a PatchbayError with a code (and a field for invalid_input) (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      let accepted = 0;
      check(
        fc.property(importText, (text) => {
          let defs;
          try {
            defs = parseProviderImport(text);
          } catch (error) {
            expect(isPatchbayError(error), String(error)).toBe(true);
            if (!isPatchbayError(error)) return;
            expect(ERROR_CODES).toContain(error.code);
            if (error.code === 'invalid_input') {
              expect(typeof error.field).toBe('string');
              expect(error.field!.length).toBeGreaterThan(0);
            }
            expect(error.message).toMatch(/\.$|\?"?$/);
            return;
          }
          accepted += 1;
          expect(defs.length).toBeGreaterThan(0);
          for (const def of defs) {
            for (const field of URL_FIELDS) {
              const value = def[field];
              if (value !== undefined) expect(isSafeUrl(field, value), `${field}=${value}`).toBe(true);
            }
            for (const key of Object.keys(def.extraAuthorizeParams ?? {})) {
              expect([
                'state',
                'redirect_uri',
                'client_id',
                'code_challenge',
                'nonce',
                'response_type',
                'scope',
              ]).not.toContain(key);
            }
            if (def.auth === 'oauth2')
              expect(def.pkce === false || def.pkceMethodName?.toUpperCase() === 'S256').toBe(true);
          }
          // Export = import: what was accepted comes back identical.
          expect(parseProviderImport(exportProviders(defs))).toEqual(defs);
        }),
      );
      // The pool is built so that a real share of inputs is valid; otherwise the accept branch is untested.
      expect(accepted).toBeGreaterThan(50);
    },
  );
});
