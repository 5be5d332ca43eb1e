/**
 * The provider definition format (import = export), validated with zod.
 *
 * A definition is typed or pasted by people, so every rejection names the field at fault and
 * says how to fix it. Validation is strict where security depends on it: unknown keys (a typo
 * such as "tokenURL" would otherwise be silently ignored), HTTPS for every non-loopback URL, and
 * no overriding of the parameters the OAuth engine itself controls.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from '../model/zod';
import type { ProviderDefinition } from '../../../preload/contract';
import { PatchbayError } from '../model/errors';
import { hasControlCharacters, providerText } from './provider-text';

/** Human names of the fields, used in error sentences. */
const LABELS: Record<keyof ProviderDefinition, string> = {
  id: 'ID',
  name: 'Name',
  auth: 'Auth',
  grant: 'Grant',
  authorizationUrl: 'Authorization URL',
  tokenUrl: 'Token URL',
  deviceAuthorizationUrl: 'Device authorization endpoint',
  revocationUrl: 'Revocation URL',
  revocationStyle: 'Revocation style',
  issuer: 'Issuer',
  scopes: 'Scopes',
  scopeSeparator: 'Scope separator',
  pkce: 'PKCE',
  pkceMethodName: 'PKCE method name',
  tokenAuthMethod: 'Token auth method',
  tokenRequestFormat: 'Token request format',
  extraAuthorizeParams: 'Extra authorize parameters',
  redirectUri: 'Redirect URI',
  loopbackPort: 'Loopback port',
  errorPageUrl: 'Error page URL',
  apiKeyHeader: 'API key header',
  apiKeyPrefix: 'API key prefix',
  apiBaseUrl: 'API base URL',
  testUrl: 'Test URL',
  labelPath: 'Label path',
  docsUrl: 'Docs URL',
  apiKeyHelpUrl: 'API key help URL',
};
/** Every field of the format, in the order exports write them. */
export const PROVIDER_FIELDS = Object.keys(LABELS) as (keyof ProviderDefinition)[];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** Schemes a redirect URI may never use, even as a "private-use" scheme. */
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'blob:',
  'about:',
  'vbscript:',
  'filesystem:',
  'ftp:',
  'ws:',
  'wss:',
  'mailto:',
]);
/**
 * Authorization request parameters the engine sets itself; a definition may not override them.
 * Compared in lower case: servers differ in how they treat `Redirect_URI` or `STATE`, and a
 * look-alike that one of them honours would override what Patchbay sent.
 */
const RESERVED_PARAMS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'scope',
  'nonce',
]);

/** True for an authorize parameter name the engine sets itself, whatever its case. */
export function isReservedParam(key: string): boolean {
  return RESERVED_PARAMS.has(key.trim().toLowerCase());
}

/** Key names that only ever hold secrets (compared lower case, without "-" and "_"). */
const SECRET_NAMES = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'apikey',
  'clientsecret',
  'password',
  'codeverifier',
  'token',
]);

/** True for a key name that only ever holds a secret ("api_key", "Client-Secret", "token"). */
export function isSecretName(key: string): boolean {
  return SECRET_NAMES.has(key.toLowerCase().replace(/[-_]/g, ''));
}
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True for hosts that never leave this machine, where plain http:// is acceptable (RFC 8252 §8.3). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

function urlField(field: keyof ProviderDefinition, allowPrivateScheme = false) {
  const label = LABELS[field];
  return z.string().check(
    z.superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `${label} "${value}" is not a web address. Enter a full URL starting with https://.`,
        });
        return;
      }
      if (url.protocol === 'https:') return;
      if (url.protocol === 'http:') {
        if (isLoopbackHost(url.hostname)) return;
        ctx.addIssue({
          code: 'custom',
          message: `${label} must start with https:// (plain http:// is only allowed for 127.0.0.1). Change it to https://${value.slice('http://'.length)}.`,
        });
        return;
      }
      if (allowPrivateScheme && /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) && !FORBIDDEN_SCHEMES.has(url.protocol))
        return;
      ctx.addIssue({
        code: 'custom',
        message: allowPrivateScheme
          ? `${label} must be https://…, http://127.0.0.1…, or an app scheme such as patchbay://oauth/callback.`
          : `${label} must start with https:// (plain http:// is only allowed for 127.0.0.1).`,
      });
    }),
  );
}

/** An optional URL field (see urlField). */
const optionalUrl = (field: keyof ProviderDefinition, allowPrivateScheme = false) =>
  z.optional(urlField(field, allowPrivateScheme));

/**
 * The per-field rules. Built on first use (rawSchema()), not when this module loads: a command whose
 * settings file is already checked and whose provider is saved in it never needs them.
 */
function buildFields() {
  const scopeItem = z
    .string()
    .check(
      z.maxLength(200, 'Each scope must be at most 200 characters.'),
      z.regex(
        /^[^\s\u0000-\u001f\u007f-\u009f]+$/,
        'Each scope must be a non-empty word without spaces or control characters. Put every scope in its own list item.',
      ),
    );

  /** The API base is an origin plus an optional path prefix (checked after urlField's own rules). */
  const apiBaseUrl = urlField('apiBaseUrl').check(
    z.superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return; // urlField already said so.
      }
      // Credentials, a query or a fragment in the base would be glued onto every request path.
      if (url.username || url.password || url.search || url.hash) {
        ctx.addIssue({
          code: 'custom',
          message: `API base URL must be an address such as https://api.example.com/v2, without a user name, "?…" or "#…". Use ${url.origin}${url.pathname.replace(/\/$/, '')}.`,
        });
      }
    }),
  );

  const fields = z.strictObject({
    id: z
      .string()
      .check(
        z.regex(
          /^[a-z0-9][a-z0-9-]{0,62}$/,
          'ID must be 1–63 lowercase letters, digits or dashes, starting with a letter or digit (for example "acme-crm").',
        ),
      ),
    // Shown in terminals and the UI: escape sequences and line breaks are removed, not stored.
    name: z.pipe(
      z.pipe(
        z.string().check(z.maxLength(1000, 'Name is too long. Keep it under 100 characters.')),
        z.transform((value: string) => providerText(value, 1000)),
      ),
      z
        .string()
        .check(
          z.minLength(1, 'Name is empty. Give the provider a name people will recognise.'),
          z.maxLength(100, 'Name is too long. Keep it under 100 characters.'),
        ),
    ),
    auth: z.optional(z.enum(['oauth2', 'apiKey'])),
    grant: z.optional(z.enum(['authorization_code', 'client_credentials', 'device_code'])),
    authorizationUrl: optionalUrl('authorizationUrl'),
    tokenUrl: optionalUrl('tokenUrl'),
    deviceAuthorizationUrl: optionalUrl('deviceAuthorizationUrl'),
    revocationUrl: optionalUrl('revocationUrl'),
    revocationStyle: z.optional(z.enum(['rfc7009', 'livechat-delete', 'none'])),
    issuer: optionalUrl('issuer'),
    scopes: z.optional(z.array(scopeItem).check(z.maxLength(100))),
    scopeSeparator: z.optional(
      z
        .string()
        .check(z.minLength(1, 'Scope separator is empty. Use " " (a space, the standard) or ",".'), z.maxLength(3)),
    ),
    pkce: z.optional(z.boolean()),
    pkceMethodName: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^s256$/i,
            'PKCE method name must be "S256" (or "s256" where the provider spells it that way); plain PKCE is not supported.',
          ),
        ),
    ),
    tokenAuthMethod: z.optional(z.enum(['client_secret_post', 'client_secret_basic', 'none'])),
    tokenRequestFormat: z.optional(z.enum(['form', 'json'])),
    extraAuthorizeParams: z.optional(z.record(z.string(), z.string().check(z.maxLength(2000)))),
    redirectUri: optionalUrl('redirectUri', true),
    loopbackPort: z.optional(
      z
        .number()
        .check(
          z.int('Loopback port must be a whole number such as 47616.'),
          z.gte(1, 'Loopback port must be from 1 to 65535.'),
          z.lte(65535, 'Loopback port must be from 1 to 65535.'),
        ),
    ),
    errorPageUrl: optionalUrl('errorPageUrl'),
    apiKeyHeader: z.optional(
      z
        .string()
        .check(
          z.regex(
            TOKEN_CHARS,
            'API key header must be a header name such as "Authorization" or "Api-Token" (letters, digits and dashes, no spaces or colons).',
          ),
          z.maxLength(100),
        ),
    ),
    apiKeyPrefix: z.optional(
      z
        .string()
        .check(
          z.maxLength(100),
          z.regex(/^[^\r\n]*$/, 'API key prefix must be on one line, for example "Bearer " or "Token ".'),
        ),
    ),
    apiBaseUrl: z.optional(apiBaseUrl),
    testUrl: optionalUrl('testUrl'),
    labelPath: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/,
            'Label path must be a dotted path into the response, such as "email" or "data.name".',
          ),
        ),
    ),
    docsUrl: optionalUrl('docsUrl'),
    apiKeyHelpUrl: optionalUrl('apiKeyHelpUrl'),
  });
  return fields;
}

type Fields = ReturnType<typeof buildFields>;

/** Rules between fields, so a form learns every missing or conflicting field at once. */
function crossFieldRules(def: z.output<Fields>, ctx: z.core.$RefinementCtx<z.output<Fields>>): void {
  // Also runs when other fields failed, so a form learns every problem at once; the value may
  // then hold wrong types, hence the guards below.
  const auth = def.auth ?? 'oauth2';
  const need = (field: keyof ProviderDefinition, why: string) => {
    if (def[field] === undefined)
      ctx.addIssue({ code: 'custom', path: [field], message: `${LABELS[field]} is missing. ${why}` });
  };
  if (auth === 'oauth2') {
    const grant = def.grant ?? 'authorization_code';
    // Only the browser sign-in visits the authorization page; the other grants talk to the token
    // endpoint (and the device endpoint) directly.
    if (grant === 'authorization_code') {
      need(
        'authorizationUrl',
        "OAuth 2.0 providers need the page where people sign in; find it in the provider's developer docs.",
      );
    }
    need(
      'tokenUrl',
      grant === 'client_credentials'
        ? "Client credentials get every token from the token endpoint; find its address in the provider's developer docs."
        : "OAuth 2.0 providers need the address that issues tokens; find it in the provider's developer docs.",
    );
    if (grant === 'device_code') {
      need(
        'deviceAuthorizationUrl',
        'Grant "device_code" needs the address that hands out device codes (RFC 8628), often ending in /device or /device/code; find it in the provider\'s docs or metadata, or set grant to "authorization_code".',
      );
    }
    if (grant === 'client_credentials' && def.tokenAuthMethod === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['tokenAuthMethod'],
        message:
          'Token auth method "none" sends no client secret, but grant "client_credentials" signs in with the client ID and secret. Use "client_secret_basic" or "client_secret_post".',
      });
    }
  } else {
    for (const field of ['grant', 'deviceAuthorizationUrl'] as const) {
      if (def[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${LABELS[field]} only applies to OAuth 2.0 providers. Remove it, or set auth to "oauth2".`,
        });
      }
    }

    need('apiKeyHeader', 'API-key providers need the header the key is sent in, for example "Authorization".');
    need('testUrl', 'API-key providers need a cheap address to test the key with, for example a "who am I" URL.');
  }
  if (def.revocationStyle !== undefined && def.revocationStyle !== 'none') {
    need(
      'revocationUrl',
      `Revocation style "${def.revocationStyle}" needs the address tokens are revoked at, or set the style to "none".`,
    );
  }
  const extra = def.extraAuthorizeParams;
  for (const key of typeof extra === 'object' && extra !== null ? Object.keys(extra) : []) {
    const shown = providerText(key, 64);
    if (isReservedParam(key) || key.trim() === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['extraAuthorizeParams', key],
        message: `Extra authorize parameter "${shown}" is set by Patchbay itself (in any spelling) and cannot be overridden. Remove it.`,
      });
    } else if (isSecretName(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['extraAuthorizeParams', key],
        message: `Extra authorize parameter "${shown}" would carry a secret in the sign-in address and the settings file. Remove it; a client secret belongs in Set up (patchbay credentials set), where it goes to the keychain.`,
      });
    } else if (hasControlCharacters(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['extraAuthorizeParams', key],
        message: `Extra authorize parameter "${shown}" has control characters in its name. Remove it and type the name again.`,
      });
    }
  }
}

function buildRawSchema() {
  return buildFields().check(
    z.superRefine(crossFieldRules, {
      when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    }),
  );
}

let raw: ReturnType<typeof buildRawSchema> | null = null;

/** A definition's fields and the rules between them (built on first use, then kept). */
function rawSchema(): ReturnType<typeof buildRawSchema> {
  return (raw ??= buildRawSchema());
}

type RawDefinition = z.infer<ReturnType<typeof buildRawSchema>>;

/**
 * The known field an unknown key was most likely meant to be ("tokenURL" -> "tokenUrl",
 * "scope" -> "scopes"), or null when none is close: one good guess helps, a list of 25 does not.
 */
export function nearestField(key: string): keyof ProviderDefinition | null {
  const lower = key.toLowerCase();
  const byLower = new Map(PROVIDER_FIELDS.map((f) => [f.toLowerCase(), f]));
  const best = closest(lower, [...byLower.keys()]);
  // At most a third of the key's letters may differ (at least one edit, at most three).
  const allowed = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  return distance(lower, best) <= allowed ? (byLower.get(best) ?? null) : null;
}

/** Turn one zod issue into the sentence and dotted field name a person sees. */
function issueToError(issue: z.core.$ZodIssue, input: unknown, prefix: string): PatchbayError {
  const pathText = issue.path.map(String).join('.');
  const join = (rest: string) => (prefix ? (rest ? `${prefix}.${rest}` : prefix) : rest);
  const top = String(issue.path[0] ?? '') as keyof ProviderDefinition;
  const label = LABELS[top] ?? (pathText || 'The definition');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const near = nearestField(key);
    const hint = near ? `Did you mean "${near}"?` : 'Remove it: a provider definition has no such field.';
    return new PatchbayError('invalid_input', `Unknown field "${providerText(key, 64)}". ${hint}`, {
      field: join(pathText ? `${pathText}.${key}` : key),
    });
  }
  let message: string;
  const zodDefault = /^(Too (small|big)|Invalid)/.test(issue.message);
  if (
    (issue.code === 'custom' ||
      issue.code === 'invalid_format' ||
      issue.code === 'too_small' ||
      issue.code === 'too_big') &&
    !zodDefault
  ) {
    message = issue.message;
  } else if (issue.code === 'too_big' || issue.code === 'too_small') {
    const numeric = issue.origin === 'number' || issue.origin === 'int';
    message = numeric
      ? `${label} must be between ${issue.code === 'too_small' ? issue.minimum : 1} and ${issue.code === 'too_big' ? issue.maximum : 'the maximum'}.`
      : issue.origin === 'array'
        ? `${label} has too ${issue.code === 'too_big' ? 'many' : 'few'} entries.`
        : `${label} is too ${issue.code === 'too_big' ? 'long' : 'short'}.`;
  } else if (issue.code === 'invalid_type') {
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
    if (issue.path.length === 0)
      message = 'A provider definition must be a JSON object like {"id": "acme", "name": "Acme", ...}.';
    else if (missing) message = `${label} is missing. Add it to the definition.`;
    else message = `${label} must be ${article(issue.expected)}.`;
  } else if (issue.code === 'invalid_value') {
    message = `${label} must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  } else {
    message = `${label} is not valid. Check it against the provider's docs.`;
  }
  return new PatchbayError('invalid_input', message, { field: join(pathText) || 'definition' });
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object' || expected === 'record') return 'an object';
  if (expected === 'int') return 'a whole number';
  if (expected === 'boolean') return 'true or false';
  return `a ${expected}`;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Apply the documented defaults and write the fields in a stable order. */
function normalise(raw: RawDefinition): ProviderDefinition {
  const auth = raw.auth ?? 'oauth2';
  const withDefaults: Partial<ProviderDefinition> = { ...raw, auth };
  if (auth === 'oauth2') {
    withDefaults.grant = raw.grant ?? 'authorization_code';
    withDefaults.pkce = raw.pkce ?? true;
    withDefaults.pkceMethodName = raw.pkceMethodName ?? 'S256';
    withDefaults.tokenAuthMethod = raw.tokenAuthMethod ?? 'client_secret_post';
    withDefaults.tokenRequestFormat = raw.tokenRequestFormat ?? 'form';
    withDefaults.scopeSeparator = raw.scopeSeparator ?? ' ';
    withDefaults.scopes = raw.scopes ?? [];
    withDefaults.revocationStyle = raw.revocationStyle ?? (raw.revocationUrl ? 'rfc7009' : 'none');
  } else {
    withDefaults.apiKeyPrefix = raw.apiKeyPrefix ?? '';
  }
  const out: Record<string, unknown> = {};
  for (const field of PROVIDER_FIELDS) {
    const value = withDefaults[field];
    if (value !== undefined) out[field] = value;
  }
  return out as unknown as ProviderDefinition;
}

/** Validate one definition inside an import, naming fields with the import's index prefix. */
export function parseProviderDefinitionAt(input: unknown, prefix: string): ProviderDefinition {
  const result = rawSchema().safeParse(input);
  if (!result.success) {
    const all = result.error.issues.map((issue) => issueToError(issue, input, prefix));
    const first = all[0];
    if (!first)
      throw new PatchbayError('invalid_input', 'The provider definition is not valid.', {
        field: prefix || 'definition',
      });
    // The first problem is the error; all of them (one per field) travel along for forms.
    const seen = new Set<string>();
    const issues = all
      .filter((e) => !seen.has(e.field ?? '') && seen.add(e.field ?? ''))
      .map((e) => ({ field: e.field ?? '', message: e.message }));
    throw new PatchbayError('invalid_input', first.message, { field: first.field ?? 'definition', issues });
  }
  return normalise(result.data);
}

/**
 * Validate a provider definition and apply the defaults.
 *
 * Throws PatchbayError `invalid_input` whose `field` is the dotted path of the first problem and
 * whose message says how to fix it. The result is safe to store and to hand to the engine.
 */
export function parseProviderDefinition(input: unknown): ProviderDefinition {
  return parseProviderDefinitionAt(input, '');
}

/** Largest import file accepted (1 MB): a definition is a few hundred bytes. */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** Most definitions one import may hold. */
export const MAX_IMPORT_DEFINITIONS = 500;

function jsonErrorSentence(json: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const pos = /position (\d+)/.exec(raw);
  if (pos) {
    const offset = Number(pos[1]);
    const before = json.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `The file is not valid JSON: there is a mistake at line ${line}, column ${column}. Correct it there and import again.`;
  }
  return 'The file is not valid JSON (it may be cut short). Check its end and import again.';
}

/**
 * Parse an import file: one definition or an array of them.
 *
 * Rejects invalid JSON (naming the line and column), files over 1 MB or 500 definitions, empty
 * lists and duplicate ids, and any invalid definition, with `field` prefixed by its index
 * (e.g. "[2].tokenUrl") when the file holds a list.
 */
export function parseProviderImport(json: string): ProviderDefinition[] {
  if (Buffer.byteLength(json, 'utf8') > MAX_IMPORT_BYTES) {
    throw new PatchbayError(
      'invalid_input',
      'The file is larger than 1 MB, which is far more than provider definitions need. Check that you picked the right file.',
      { field: 'file' },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PatchbayError('invalid_input', jsonErrorSentence(json, error), { field: 'file', cause: error });
  }
  if (!Array.isArray(parsed)) return [parseProviderDefinition(parsed)];
  if (parsed.length === 0) {
    throw new PatchbayError('invalid_input', 'The file holds an empty list. Add at least one provider definition.', {
      field: 'file',
    });
  }
  if (parsed.length > MAX_IMPORT_DEFINITIONS) {
    throw new PatchbayError(
      'invalid_input',
      `The file holds ${parsed.length} definitions; at most ${MAX_IMPORT_DEFINITIONS} can be imported at once. Split it into smaller files.`,
      { field: 'file' },
    );
  }
  const seen = new Map<string, number>();
  return parsed.map((item, index) => {
    const def = parseProviderDefinitionAt(item, `[${index}]`);
    const earlier = seen.get(def.id);
    if (earlier !== undefined) {
      throw new PatchbayError(
        'invalid_input',
        `The ID "${def.id}" appears twice in this file (items ${earlier + 1} and ${index + 1}). Give each provider its own ID.`,
        { field: `[${index}].id` },
      );
    }
    seen.set(def.id, index);
    return def;
  });
}

/**
 * Write definitions in the import format (always a JSON array, two-space indented).
 *
 * Each definition is validated on the way out, so an export is always importable again.
 */
export function exportProviders(defs: readonly ProviderDefinition[]): string {
  const clean = defs.map((def, index) => parseProviderDefinitionAt(def, `[${index}]`));
  return `${JSON.stringify(clean, null, 2)}\n`;
}
