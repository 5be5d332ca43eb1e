/**
 * The settings reader checks connection records with a plain function (isConnectionRecord) before
 * falling back to zod, because zod's first parse of 1,000 records costs most of `patchbay status`'s
 * budget. This property test keeps the two in lock-step: for generated records (valid, missing a
 * key, junk values), the fast check and the zod schema give the same verdict, and
 * parseSettingsDocument gives the same document as the zod schema.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENT_SCHEMA_VERSION,
  isConnectionRecord,
  parseSettingsDocument,
  settingsSchema,
} from '../../../main/core/storage/settings-schema';
import { ERROR_CODES } from '../../../preload/contract';

const seed = Number(process.env.PATCHBAY_FUZZ_SEED ?? 20261121);
const base = {
  schemaVersion: CURRENT_SCHEMA_VERSION,
  providers: [],
  clients: {},
  connections: [] as unknown[],
  preferences: { theme: 'system' },
};
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(''),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string()),
  fc.constant(Number.NaN),
  fc.constant(1.5),
  fc.constant(2 ** 60),
);
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: junk });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const lastTest = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 6,
    arbitrary: fc.record({
      ok: maybe(fc.boolean()),
      httpStatus: maybe(fc.oneof(fc.constant(null), fc.integer())),
      latencyMs: maybe(finite),
      at: maybe(fc.string()),
    }),
  },
  { weight: 1, arbitrary: junk },
);
const lastError = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        code: maybe(fc.constantFrom(...ERROR_CODES, 'nope')),
        message: maybe(fc.string()),
        field: maybe(fc.string()),
        retryAfterSeconds: maybe(finite),
        extra: fc.anything(),
      },
      { requiredKeys: ['code', 'message'] },
    ),
  },
  { weight: 1, arbitrary: junk },
);
const KEYS = [
  'id',
  'providerId',
  'auth',
  'label',
  'scopes',
  'expiresAt',
  'createdAt',
  'state',
  'hasRefreshToken',
  'lastTest',
  'lastError',
] as const;
const record = fc.record(
  {
    id: maybe(fc.string()),
    providerId: maybe(fc.string()),
    auth: maybe(fc.constantFrom('oauth2', 'apiKey', 'x')),
    label: maybe(fc.string()),
    scopes: maybe(fc.array(maybe(fc.string()))),
    expiresAt: maybe(fc.oneof(fc.constant(null), fc.string())),
    createdAt: maybe(fc.string()),
    state: maybe(fc.constantFrom('ok', 'needs_reconnect', 'error', 'bad')),
    hasRefreshToken: maybe(fc.boolean()),
    lastTest,
    lastError,
    extraKey: fc.anything(),
  },
  { requiredKeys: [...KEYS] },
);
const missingOne = fc.tuple(record, fc.constantFrom(...KEYS)).map(([r, key]) => {
  const copy: Record<string, unknown> = { ...r };
  delete copy[key];
  return copy;
});
const canon = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canon)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([k, x]) => [k, canon(x)]),
        )
      : v;

describe('settings fast path agrees with the zod schema', () => {
  it('same verdict and same document for 10,000 generated records', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 6, arbitrary: record },
          { weight: 3, arbitrary: missingOne },
          { weight: 1, arbitrary: junk },
        ),
        (generated) => {
          const fromJson: unknown = JSON.parse(JSON.stringify({ c: generated ?? null })).c; // settings come from JSON
          const doc = { ...base, connections: [fromJson] };
          const viaZod = settingsSchema().safeParse(doc);
          const quick = isConnectionRecord(fromJson);
          if (quick) accepted += 1;
          expect(quick).toBe(viaZod.success);
          const viaReader = parseSettingsDocument(doc);
          expect(viaReader.success).toBe(viaZod.success);
          if (viaReader.success && viaZod.success) expect(canon(viaReader.data)).toEqual(canon(viaZod.data));
        },
      ),
      { numRuns: 10_000, seed },
    );
    // The generator must reach both verdicts often, or the property proves little.
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(9_500);
  });

  it('duplicate connection ids and a broken document shell are still refused', () => {
    const rec = {
      id: 'a',
      providerId: 'p',
      auth: 'apiKey',
      label: '',
      scopes: [],
      expiresAt: null,
      createdAt: 'x',
      state: 'ok',
      hasRefreshToken: false,
      lastTest: null,
      lastError: null,
    };
    expect(parseSettingsDocument({ ...base, connections: [rec, rec] }).success).toBe(false);
    expect(parseSettingsDocument({ ...base, connections: [rec], preferences: 3 }).success).toBe(false);
    expect(parseSettingsDocument({ ...base, connections: [rec] }).success).toBe(true);
  });
});
