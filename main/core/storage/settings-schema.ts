/**
 * Schema and migrations of the settings document (helper of settings.ts).
 *
 * Kept apart from the store so that the shape of the file and its version history can be read
 * (and reviewed) on one page. Records are "loose": a field added by a newer Patchbay survives a
 * write by an older one instead of being dropped.
 */
import { z } from '../model/zod';
import { ERROR_CODES, type ProviderDefinition } from '../../../preload/contract';
import { PatchbayError } from '../model/errors';
import { isSecretName, parseProviderDefinition } from '../providers/provider-schema';

/**
 * Migration steps: `MIGRATIONS[n]` upgrades a version-n document to version n+1.
 *
 * Append a step (never edit an old one) when the document changes shape.
 */
export const MIGRATIONS: ReadonlyArray<(doc: Record<string, unknown>) => Record<string, unknown>> = [
  // 0 -> 1: early files had no version and could lack any of the collections or preferences.
  (doc) => ({
    ...doc,
    providers: Array.isArray(doc.providers) ? doc.providers : [],
    clients: doc.clients && typeof doc.clients === 'object' ? doc.clients : {},
    connections: Array.isArray(doc.connections) ? doc.connections : [],
    preferences: doc.preferences && typeof doc.preferences === 'object' ? doc.preferences : { theme: 'system' },
  }),
];

/** The version this build writes. */
export const CURRENT_SCHEMA_VERSION = MIGRATIONS.length;

/** Run the steps a document needs, in order. A document from a newer Patchbay is left as it is. */
export function migrateSettings(input: Record<string, unknown>): { data: Record<string, unknown>; migrated: boolean } {
  const rawVersion = input.schemaVersion ?? 0;
  if (typeof rawVersion !== 'number' || !Number.isInteger(rawVersion) || rawVersion < 0) {
    throw new PatchbayError('invalid_input', 'the schemaVersion is not a whole number', { field: 'schemaVersion' });
  }
  let doc = input;
  for (let version = rawVersion; version < CURRENT_SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS[version];
    if (!step) break;
    doc = { ...step(doc), schemaVersion: version + 1 };
  }
  return { data: doc, migrated: rawVersion < CURRENT_SCHEMA_VERSION };
}

/** The schema of one connection record (built when first needed, see settingsSchema()). */
function buildConnectionSchema() {
  const optionalString = z.optional(z.string());
  const errorCode = z.enum(ERROR_CODES);
  /** A whole number or null (an HTTP status, or none when no response came back). */
  const intOrNull = z.nullable(z.number().check(z.int()));

  const bridgeErrorSchema = z.looseObject({
    code: errorCode,
    message: z.string(),
    field: optionalString,
    retryAfterSeconds: z.optional(z.number()),
  });

  const lastTestSchema = z.looseObject({
    ok: z.boolean(),
    httpStatus: intOrNull,
    latencyMs: z.number(),
    at: z.string(),
  });

  const connectionSchema = z.looseObject({
    id: z.string().check(z.minLength(1)),
    providerId: z.string().check(z.minLength(1)),
    auth: z.enum(['oauth2', 'apiKey']),
    label: z.string(),
    scopes: z.array(z.string()),
    expiresAt: z.nullable(z.string()),
    createdAt: z.string(),
    state: z.enum(['ok', 'needs_reconnect', 'error']),
    hasRefreshToken: z.boolean(),
    lastTest: z.nullable(lastTestSchema),
    lastError: z.nullable(bridgeErrorSchema),
    refreshedAt: optionalString,
    lastVerifiedAt: optionalString,
    lastCheck: z.optional(
      z.looseObject({
        at: z.string(),
        status: z.enum(['ok', 'needs_reconnect', 'error', 'rate_limited']),
        httpStatus: intOrNull,
        latencyMs: z.number(),
        error: z.nullable(z.looseObject({ code: errorCode, message: z.string() })),
        retryAt: optionalString,
      }),
    ),
  });
  return connectionSchema;
}

/**
 * Definitions that passed, by their JSON text, with the normalised result as JSON text.
 *
 * Every settings write checks every saved definition again, though they seldom change. The check
 * reads nothing but the definition's JSON values, so a definition spelling the same JSON text as
 * one that passed gets the same result, parsed afresh for each caller. Any other text, however
 * small the change, is checked in full; failures are never remembered.
 */
const passedDefinitions = new Map<string, string>();
const MAX_PASSED_DEFINITIONS = 500;

/** JSON text of a value, or undefined for one JSON cannot spell (a cycle, a bigint). */
function jsonTextOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Issues for the second and later records that reuse an `id` (path: [index, "id"]). */
function uniqueIds(what: string) {
  return z.superRefine((list: readonly { id: string }[], ctx) => {
    const ids = new Set<string>();
    for (const [i, item] of list.entries()) {
      if (ids.has(item.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate ${what} id "${item.id}"` });
      ids.add(item.id);
    }
  });
}

/** The schema of the whole document (see settingsSchema()). */
function buildSettingsSchema() {
  const connectionSchema = buildConnectionSchema();
  /** Provider definitions are checked (and normalised) with the import format's own rules. */
  const providerSchema = z.pipe(
    z.unknown(),
    z.transform((value, ctx) => {
      const text = jsonTextOf(value);
      const passed = text === undefined ? undefined : passedDefinitions.get(text);
      if (passed !== undefined) return JSON.parse(passed) as ProviderDefinition;
      try {
        const definition = parseProviderDefinition(value);
        if (text !== undefined) {
          if (passedDefinitions.size >= MAX_PASSED_DEFINITIONS) passedDefinitions.clear();
          passedDefinitions.set(text, JSON.stringify(definition));
        }
        return definition;
      } catch (error) {
        ctx.issues.push({
          code: 'custom',
          message: error instanceof Error ? error.message : 'invalid provider',
          input: value,
        });
        return z.NEVER;
      }
    }),
  );
  const settingsSchema = z.looseObject({
    schemaVersion: z.number().check(z.int(), z.gte(CURRENT_SCHEMA_VERSION)),
    providers: z.array(providerSchema).check(uniqueIds('provider')),
    clients: z.record(z.string(), z.looseObject({ clientId: z.string() })),
    connections: z.array(connectionSchema).check(uniqueIds('connection')),
    preferences: z.looseObject({ theme: z._default(z.enum(['system', 'light', 'dark']), 'system') }),
    /**
     * Settings > Network. Only the shape is checked here: a proxy address that does not parse must
     * not get the whole file moved aside; it is refused with its field named when saved and when used
     * (network/network-plan.ts).
     */
    network: z.optional(
      z.looseObject({
        proxyUrl: z._default(z.nullable(z.string().check(z.maxLength(2_048))), null),
        noProxy: z._default(z.string().check(z.maxLength(4_096)), ''),
        caFile: z._default(z.nullable(z.string().check(z.maxLength(4_096))), null),
        proxyUser: z._default(z.nullable(z.string().check(z.maxLength(256))), null),
        /** The password itself is in the keychain (network-settings.ts); this only says one is. */
        hasProxyPassword: z._default(z.boolean(), false),
      }),
    ),
  });
  return settingsSchema;
}

let built: ReturnType<typeof buildSettingsSchema> | null = null;

/**
 * The whole settings document at CURRENT_SCHEMA_VERSION (or newer).
 *
 * Built on first use, not when this module loads: a process that finds the file already checked
 * (settings.ts, checked copy) never builds it, and building it is a good part of zod's start-up cost.
 */
export function settingsSchema(): ReturnType<typeof buildSettingsSchema> {
  return (built ??= buildSettingsSchema());
}

/** How often every connection is checked when the settings do not say (hours). */
export const DEFAULT_HEALTH_CHECK_HOURS = 6;
const MIN_HEALTH_CHECK_HOURS = 0.25;
const MAX_HEALTH_CHECK_HOURS = 168;
let healthCheckHours: z.ZodMiniNumber<number> | null = null;

/**
 * `preferences.healthCheckHours`: how often the running app checks every connection.
 *
 * Checked here rather than in settingsSchema on purpose: a hand-edited value out of range must
 * not make the whole file "invalid" and move it aside with every connection in it. A bad value
 * is named with its fix, and the default is used until it is corrected.
 */
export function healthCheckSetting(preferences: Record<string, unknown>): {
  intervalMs: number;
  problem: string | null;
} {
  const raw = preferences.healthCheckHours;
  const fallback = { intervalMs: DEFAULT_HEALTH_CHECK_HOURS * 3_600_000 };
  if (raw === undefined) return { ...fallback, problem: null };
  healthCheckHours ??= z.number().check(z.gte(MIN_HEALTH_CHECK_HOURS), z.lte(MAX_HEALTH_CHECK_HOURS));
  const parsed = healthCheckHours.safeParse(raw);
  if (!parsed.success) {
    const shown = JSON.stringify(raw)?.slice(0, 40) ?? String(raw);
    return {
      ...fallback,
      problem: `The setting preferences.healthCheckHours is ${shown}, which Patchbay cannot use, so it checks every ${DEFAULT_HEALTH_CHECK_HOURS} hours. Set it to a number of hours from ${MIN_HEALTH_CHECK_HOURS} to ${MAX_HEALTH_CHECK_HOURS} in settings.json, or remove it.`,
    };
  }
  return { intervalMs: Math.round(parsed.data * 3_600_000), problem: null };
}

const ERROR_CODE_SET: ReadonlySet<unknown> = new Set(ERROR_CODES);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const isFiniteNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

/**
 * Whether every item of a list passes, holes included: Array.prototype.every skips the holes of a
 * sparse array (an in-memory document a mutator deleted from), where zod sees `undefined` and fails.
 * A document written after this check is vouched for by the checked copy (settings.ts), so the
 * check must never be more lenient than zod.
 */
function everyItem(list: readonly unknown[], check: (v: unknown) => boolean): boolean {
  for (let i = 0; i < list.length; i += 1) if (!check(list[i])) return false;
  return true;
}

/**
 * Exactly connectionSchema's rules as one plain function (never more lenient; a record it refuses
 * goes through zod, which then names the problem).
 *
 * A settings file holds up to thousands of records and is validated on every read; zod's per-record
 * cost on a cold start was most of `patchbay status`'s time, this check is a small fraction of it.
 */
export function isConnectionRecord(c: unknown): boolean {
  if (!isObject(c)) return false;
  const { lastTest: t, lastError: e, lastCheck: k, scopes } = c;
  return (
    isNonEmptyString(c.id) &&
    isNonEmptyString(c.providerId) &&
    (c.auth === 'oauth2' || c.auth === 'apiKey') &&
    typeof c.label === 'string' &&
    Array.isArray(scopes) &&
    everyItem(scopes, (s) => typeof s === 'string') &&
    (c.expiresAt === null || typeof c.expiresAt === 'string') &&
    typeof c.createdAt === 'string' &&
    (c.state === 'ok' || c.state === 'needs_reconnect' || c.state === 'error') &&
    typeof c.hasRefreshToken === 'boolean' &&
    optional(c.refreshedAt, (v) => typeof v === 'string') &&
    (t === null ||
      (isObject(t) &&
        typeof t.ok === 'boolean' &&
        (t.httpStatus === null || Number.isSafeInteger(t.httpStatus)) &&
        isFiniteNumber(t.latencyMs) &&
        typeof t.at === 'string')) &&
    (e === null ||
      (isObject(e) &&
        ERROR_CODE_SET.has(e.code) &&
        typeof e.message === 'string' &&
        optional(e.field, (f) => typeof f === 'string') &&
        optional(e.retryAfterSeconds, isFiniteNumber))) &&
    optional(c.lastVerifiedAt, (v) => typeof v === 'string') &&
    optional(k, isLastCheck)
  );
}

const CHECK_STATUSES: ReadonlySet<unknown> = new Set(['ok', 'needs_reconnect', 'error', 'rate_limited']);

/** connectionSchema's `lastCheck` rules as a plain function (see isConnectionRecord). */
function isLastCheck(k: unknown): boolean {
  if (!isObject(k)) return false;
  const e = k.error;
  return (
    typeof k.at === 'string' &&
    CHECK_STATUSES.has(k.status) &&
    (k.httpStatus === null || Number.isSafeInteger(k.httpStatus)) &&
    isFiniteNumber(k.latencyMs) &&
    (e === null || (isObject(e) && ERROR_CODE_SET.has(e.code) && typeof e.message === 'string')) &&
    optional(k.retryAt, (v) => typeof v === 'string')
  );
}

/**
 * Validate a (migrated) settings document; same result as `settingsSchema.safeParse`.
 *
 * When every connection record passes isConnectionRecord and their ids are unique, zod checks the
 * rest of the document (with no records in it) and the records are kept as they are (the result
 * shares those record objects with `doc`); otherwise zod checks everything.
 */
export function parseSettingsDocument(
  doc: Record<string, unknown>,
): ReturnType<ReturnType<typeof settingsSchema>['safeParse']> {
  const { connections } = doc;
  if (
    Array.isArray(connections) &&
    everyItem(connections, isConnectionRecord) &&
    new Set(connections.map((c: { id: string }) => c.id)).size === connections.length
  ) {
    const shell = settingsSchema().safeParse({ ...doc, connections: [] });
    if (shell.success)
      return {
        success: true,
        data: { ...shell.data, connections: connections as z.output<ReturnType<typeof buildConnectionSchema>>[] },
      };
  }
  return settingsSchema().safeParse(doc);
}

/**
 * isSecretName's verdict per key name. A document repeats the same dozen names in every record,
 * and the check runs on every write; the cache is emptied when it grows (names from hand edits).
 */
const secretNameVerdicts = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let verdict = secretNameVerdicts.get(key);
  if (verdict === undefined) {
    if (secretNameVerdicts.size >= 1_000) secretNameVerdicts.clear();
    verdict = isSecretName(key);
    secretNameVerdicts.set(key, verdict);
  }
  return verdict;
}

/** The path of the first key that would hold a secret, or null. A last net before writing. */
export function findSecretKey(value: unknown): string | null {
  return secretKeyIn(value, []);
}

/** The walk behind findSecretKey; the path is only spelled out for a hit. */
function secretKeyIn(value: unknown, trail: Array<string | number>): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      trail.push(i);
      const hit = secretKeyIn(value[i], trail);
      trail.pop();
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      trail.push(key);
      const hit = isSecretKey(key) && typeof item === 'string' ? spellTrail(trail) : secretKeyIn(item, trail);
      trail.pop();
      if (hit) return hit;
    }
  }
  return null;
}

/** A path as findSecretKey reports it: `connections[0].token`. */
function spellTrail(trail: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of trail) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}
