/**
 * The support bundle format (version 1) and its reader.
 *
 * A bundle arrives from someone else's computer, so opening one is hostile input: the file is
 * size-bounded before it is parsed, every field is checked by zod (unknown fields are dropped,
 * over-long text refused), every piece of text loses its control characters and escape
 * sequences, and the result is only ever displayed: nothing in it becomes a provider, a
 * connection or a link that opens by itself.
 */
import { z } from '../model/zod';
import { ERROR_CODES, type ProviderDefinition, type SupportBundleView } from '../../../preload/contract';
import { PatchbayError, invalidInput } from '../model/errors';
import { parseProviderDefinition } from '../providers/provider-schema';
import { providerText } from '../providers/provider-text';

export const BUNDLE_FORMAT = 'patchbay-support-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
/**
 * Largest bundle written or read. A full trace (200 entries at their bounds) and a definition
 * fit in about 1.1 MB; the cap stays under the web host's 2 MiB request limit so the app can
 * open any bundle Patchbay writes.
 */
export const MAX_BUNDLE_BYTES = 1536 * 1024;

/** Text from the file: refused when longer than `max`, then cleaned to one safe line. */
const text = (max: number) =>
  z.pipe(
    z.string().check(z.maxLength(max, `is longer than ${max} characters`)),
    z.transform((v: string) => providerText(v, max)),
  );
const optionalText = (max: number) => z.optional(text(max));
const time = text(40);
// zod 4 numbers refuse Infinity and NaN already.
const count = z.number();
const optionalCount = z.optional(count);
/** An HTTP status as a whole number (0 stands for "no response"). */
const httpStatus = z.number().check(z.int(), z.gte(0), z.lte(999));
/** A list of at most 200 cleaned texts of at most `max` characters. */
const texts = (max: number) => z.array(text(max)).check(z.maxLength(200));

const traceEntry = z.object({
  at: time,
  step: text(100),
  detail: text(2000),
  ok: z.boolean(),
  durationMs: optionalCount,
  httpStatus: z.optional(httpStatus),
  method: optionalText(10),
  url: optionalText(2000),
  technical: optionalText(500),
  clockSkewSeconds: optionalCount,
  oauthError: optionalText(64),
  scopeNeeded: optionalText(300),
  retryAfterSeconds: optionalCount,
  transportError: optionalText(64),
});

const bridgeError = z.object({
  code: z.enum(ERROR_CODES),
  message: text(1000),
  field: optionalText(200),
  retryAfterSeconds: optionalCount,
});

const connection = z.object({
  id: text(200),
  providerId: text(200),
  providerName: text(200),
  auth: z.enum(['oauth2', 'apiKey']),
  label: text(200),
  status: z.enum(['connected', 'expiring', 'expired', 'needs_reconnect', 'error']),
  scopes: texts(300),
  expiresAt: z.nullable(time),
  createdAt: time,
  lastTestedAt: z.nullable(time),
  lastTest: z.nullable(
    z.object({ ok: z.boolean(), httpStatus: z.nullable(z.number().check(z.int())), latencyMs: count, at: time }),
  ),
  lastError: z.nullable(bridgeError),
  canRefresh: z.boolean(),
  lastVerifiedAt: z.optional(time),
  lastCheck: z.optional(
    z.object({
      at: time,
      status: z.enum(['ok', 'needs_reconnect', 'error', 'rate_limited']),
      httpStatus: z.nullable(httpStatus),
      latencyMs: count,
      error: z.nullable(z.object({ code: z.enum(ERROR_CODES), message: text(1000) })),
      retryAt: z.optional(time),
    }),
  ),
});

const diagnosis = z.object({
  code: z.enum([
    'redirect_uri_mismatch',
    'invalid_client',
    'insufficient_scope',
    'invalid_grant',
    'clock_skew',
    'rate_limited',
    'tls',
    'proxy',
  ]),
  sentence: text(1000),
  action: z.object({
    kind: z.enum(['copy', 'setup', 'reconnect', 'retry', 'fix_clock', 'check_network']),
    label: text(100),
    value: optionalText(2000),
  }),
  redirectUri: optionalText(2000),
  scope: optionalText(300),
  retryAt: z.optional(time),
  clockSkewSeconds: optionalCount,
});

const claimNames = z.record(z.string().check(z.maxLength(100, 'has a name longer than 100 characters')), z.unknown());
const claims = z.nullable(
  z.pipe(
    z.object({ header: claimNames, claims: claimNames }),
    z.transform((v: { header: Record<string, unknown>; claims: Record<string, unknown> }) => ({
      header: plainValues(v.header),
      claims: plainValues(v.claims),
    })),
  ),
);

/** A provider definition goes through the import format's own checks (it is never imported). */
const provider = z.pipe(
  z.unknown(),
  z.transform((value, ctx): ProviderDefinition => {
    try {
      return parseProviderDefinition(value);
    } catch (error) {
      ctx.issues.push({
        code: 'custom',
        message: error instanceof Error ? providerText(error.message, 300) : 'is not valid',
        input: value,
      });
      return z.NEVER;
    }
  }),
);

export const supportBundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  createdAt: time,
  app: z.object({ version: text(50), os: text(200), arch: text(50), node: text(50) }),
  provider,
  connection,
  trace: z.array(traceEntry).check(z.maxLength(200)),
  scopes: z.object({ requested: texts(300), granted: texts(300), missing: texts(300) }),
  tokens: z.object({ accessToken: claims, idToken: claims }),
  clockSkewSeconds: z.nullable(count),
  diagnosis: z.nullable(diagnosis),
});

/** Claim values from a file: numbers, short cleaned strings and short lists of them; else dropped to a mark. */
function plainValues(source: Record<string, unknown>): Record<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [rawName, value] of Object.entries(source).slice(0, 100)) {
    const name = providerText(rawName, 100);
    if (name === '' || out.has(name)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) out.set(name, value);
    else if (typeof value === 'string') out.set(name, providerText(value, 300));
    else if (Array.isArray(value) && value.length <= 20 && value.every((v) => typeof v === 'string'))
      out.set(
        name,
        value.map((v: string) => providerText(v, 300)),
      );
    else out.set(name, '[not shown]');
  }
  // fromEntries defines own properties, so a claim named "__proto__" stays a plain name.
  return Object.fromEntries(out);
}

const NEW_FILE = 'The file may have been edited or damaged; ask for a new support bundle.';

/**
 * Read a support bundle's text for display. Refuses, with the problem named: a file over
 * MAX_BUNDLE_BYTES, text that is not JSON, a file that is not a Patchbay support bundle, one from
 * a newer format, and any field that breaks the format.
 */
export function readSupportBundle(input: string): SupportBundleView {
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_BUNDLE_BYTES) {
    throw invalidInput(
      'file',
      `This file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a Patchbay support bundle is at most ${MAX_BUNDLE_BYTES / 1024 / 1024} MB, so it was not opened.`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(input);
  } catch {
    throw invalidInput('file', 'This file is not JSON, so it is not a Patchbay support bundle.');
  }
  if (doc === null || typeof doc !== 'object' || (doc as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw invalidInput(
      'format',
      `This file is not a Patchbay support bundle (its "format" is not "${BUNDLE_FORMAT}"). Provider lists are opened with Import, not here.`,
    );
  }
  const version = (doc as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > BUNDLE_FORMAT_VERSION) {
    throw invalidInput(
      'formatVersion',
      `This support bundle was made by a newer Patchbay (format ${version}); update Patchbay to open it.`,
    );
  }
  const result = supportBundleSchema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = (issue?.path ?? []).map(String).join('.') || 'file';
    const what = providerText(issue?.message.replace(/^Invalid input: /i, '') ?? 'is not valid', 300);
    throw new PatchbayError('invalid_input', `The support bundle's "${field}" ${what}. ${NEW_FILE}`, { field });
  }
  return result.data as SupportBundleView;
}
