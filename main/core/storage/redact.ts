/**
 * Redaction of tokens, codes, keys and secrets from text and URLs.
 *
 * Everything that leaves the main process as text for people (traces, logs, CLI output, error
 * details) passes through here. Two nets: known sensitive *names* (access_token, code,
 * Authorization, …) in JSON, query strings and headers, and known *values* registered while a
 * flow runs (so a token that shows up somewhere unexpected is still caught).
 */

/** What every removed value is replaced with. */
export const REDACTED = '[redacted]';

/** Sensitive names, normalised (lower case, no "_" or "-"): JSON keys, form fields, query parameters. */
const SENSITIVE_NAMES = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'code',
  'codeverifier',
  'codechallenge',
  'clientsecret',
  'password',
  'apikey',
  'token',
  'assertion',
  'clientassertion',
  'secret',
  'state',
  'subjecttoken',
  'devicecode',
  'usercode',
  'sessiontoken',
  'privatekey',
]);
/** Names that are safe to redact in the loose `name: value` form (not common words like "code"). */
const LONG_NAMES = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'api_key',
  'apikey',
  'password',
  'assertion',
  'accessToken',
  'refreshToken',
  'idToken',
  'clientSecret',
  'apiKey',
];
/** Headers whose value is a credential. For these the auth scheme is kept and the rest replaced. */
const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'api-token',
  'x-api-key',
  'x-api-token',
  'cookie',
  'set-cookie',
  'x-auth-token',
];

/** Sensitive names whose JSON values are often plain words (error codes, statuses). */
const WORDY_NAMES = new Set(['code', 'state']);

const MIN_SECRET_LENGTH = 4;
const MAX_REGISTERED = 2000;
const registered = new Set<string>();

/**
 * Spellings of some secrets, found by their first MIN_SECRET_LENGTH characters.
 *
 * `heads` marks the first three characters (7 bits each) that any spelling starts with, one bit
 * per combination. Most positions of a text start no spelling, and the bit rules them out without
 * building a string and looking it up; a set bit only means "look", so nothing is ever missed.
 */
interface SpellingIndex {
  byPrefix: Map<string, string[]>;
  heads: Uint32Array;
  /** How many indexed secrets have each spelling (two secrets can share one: "a b" encoded, "a%20b"). */
  uses: Map<string, number>;
}

function newIndex(): SpellingIndex {
  return { byPrefix: new Map(), heads: new Uint32Array(1 << 16), uses: new Map() };
}

/** The 21-bit head of `text` at `i` (its first three characters, 7 bits each). */
function headAt(text: string, i: number): number {
  return ((text.charCodeAt(i) & 0x7f) << 14) | ((text.charCodeAt(i + 1) & 0x7f) << 7) | (text.charCodeAt(i + 2) & 0x7f);
}

function hasHead(index: SpellingIndex, head: number): boolean {
  return (index.heads[head >>> 5]! & (1 << (head & 31))) !== 0;
}

/** Spellings of the registered secrets (built lazily). */
let registeredIndex: SpellingIndex | null = null;
/** Evictions since the index was built: after a full turnover it is built afresh (clean head bits). */
let evictedSinceBuild = 0;
/** An index with nothing in it, for calls without extra secrets. */
const EMPTY_INDEX: SpellingIndex = newIndex();

/** Is this parameter or key name one whose value must never be shown? */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/** The spellings a secret can appear in: raw, URL-encoded, form-encoded, JSON-escaped. */
function spellings(value: string): string[] {
  const forms = new Set([value, JSON.stringify(value).slice(1, -1)]);
  // A value with a lone surrogate (a hostile token) has no URL spelling: encodeURIComponent
  // throws on it, and nothing can send it URL-encoded either. Its other spellings still count.
  try {
    const encoded = encodeURIComponent(value);
    forms.add(encoded);
    forms.add(encoded.replace(/%20/g, '+'));
  } catch {
    // URIError: not well-formed UTF-16, so no URL spelling exists.
  }
  return [...forms].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/**
 * Take an evicted secret's spellings out of an index, keeping any another secret also has. Its
 * head bits stay set: a bit only means "look", so a stale one costs a look-up, never a miss.
 */
function unindexSpellings(index: SpellingIndex, value: string): void {
  for (const s of spellings(value)) {
    const uses = (index.uses.get(s) ?? 0) - 1;
    if (uses > 0) {
      index.uses.set(s, uses);
      continue;
    }
    index.uses.delete(s);
    const key = s.slice(0, MIN_SECRET_LENGTH);
    const rest = (index.byPrefix.get(key) ?? []).filter((other) => other !== s);
    if (rest.length > 0) index.byPrefix.set(key, rest);
    else index.byPrefix.delete(key);
  }
}

function indexSpellings(index: SpellingIndex, value: string): void {
  for (const s of spellings(value)) {
    index.uses.set(s, (index.uses.get(s) ?? 0) + 1);
    const key = s.slice(0, MIN_SECRET_LENGTH);
    const list = index.byPrefix.get(key);
    if (!list) index.byPrefix.set(key, [s]);
    else if (!list.includes(s)) list.push(s);
    const head = headAt(s, 0);
    index.heads[head >>> 5] = index.heads[head >>> 5]! | (1 << (head & 31));
  }
}

/**
 * Remember a secret value process-wide so every later redaction replaces it wherever it appears.
 *
 * Used for values whose name the text may not show (a token echoed in an HTML error page, an API
 * key in a provider's message). Very short values are ignored: they would blank out normal words.
 */
export function registerSecret(value: string | null | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  if (registered.has(value)) {
    // Already indexed; moved to the newest end so a secret in steady use (a client secret) is not
    // the first one evicted.
    registered.delete(value);
    registered.add(value);
    return;
  }
  if (registered.size >= MAX_REGISTERED) {
    const oldest = registered.values().next().value;
    if (oldest !== undefined) {
      registered.delete(oldest);
      // Taken out of the index in place: rebuilding it (2,000 secrets) on the next redaction
      // made every redaction rebuild it once the list was full.
      if (registeredIndex) unindexSpellings(registeredIndex, oldest);
      evictedSinceBuild += 1;
      if (evictedSinceBuild >= MAX_REGISTERED) registeredIndex = null;
    }
  }
  registered.add(value);
  if (registeredIndex) indexSpellings(registeredIndex, value);
}

/** Forget every registered secret (tests). */
export function clearRegisteredSecrets(): void {
  registered.clear();
  registeredIndex = null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Add every spelling in `a` or `b` that occurs in `text` to `found` (one pass, a look-up per position). */
function collectKnown(text: string, a: SpellingIndex, b: SpellingIndex, found: Set<string>): void {
  const useA = a.byPrefix.size > 0;
  const useB = b.byPrefix.size > 0;
  if (!useA && !useB) return;
  for (let i = 0; i + MIN_SECRET_LENGTH <= text.length; i += 1) {
    const head = headAt(text, i);
    const inA = useA && hasHead(a, head);
    const inB = useB && hasHead(b, head);
    if (!inA && !inB) continue;
    const key = text.slice(i, i + MIN_SECRET_LENGTH);
    const fromA = inA ? a.byPrefix.get(key) : undefined;
    if (fromA) for (const s of fromA) if (text.startsWith(s, i)) found.add(s);
    const fromB = inB ? b.byPrefix.get(key) : undefined;
    if (fromB) for (const s of fromB) if (text.startsWith(s, i)) found.add(s);
  }
}

/** The last per-call secret list and its index: a trace entry redacts several fields with one list. */
let lastExtra: { key: string; index: SpellingIndex } | null = null;

/**
 * Index of a per-call secret list, reused while the list's values are the same (compared whole).
 *
 * Values registered process-wide are left out: the registered index, consulted in the same call,
 * already holds them (a trace recorder registers every value it is given).
 */
function extraIndexFor(extra: Iterable<string>): SpellingIndex {
  let key = '';
  const values: string[] = [];
  for (const v of extra) {
    if (v.length < MIN_SECRET_LENGTH || registered.has(v)) continue;
    values.push(v);
    key += `${v.length}:${v}`; // Length-prefixed: one key per list.
  }
  if (values.length === 0) return EMPTY_INDEX;
  if (lastExtra?.key !== key) {
    const index = newIndex();
    for (const v of values) indexSpellings(index, v);
    lastExtra = { key, index };
  }
  return lastExtra.index;
}

function replaceKnownValues(text: string, extra: Iterable<string>): string {
  if (text.length < MIN_SECRET_LENGTH) return text;
  if (!registeredIndex) {
    evictedSinceBuild = 0;
    registeredIndex = newIndex();
    for (const v of registered) indexSpellings(registeredIndex, v);
  }
  const found = new Set<string>();
  collectKnown(text, registeredIndex, extraIndexFor(extra), found);
  if (found.size === 0) return text;
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...found].sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of sorted) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

/** Keep an auth scheme ("Bearer", "Token", "Basic") and replace the credential after it. */
function redactHeaderValue(value: string): string {
  const m = /^(\s*)([A-Za-z][\w-]*)(\s+)(\S.*)$/.exec(value);
  if (m && /^(bearer|token|basic|digest|dpop|mac|hoba|negotiate|ntlm|apikey|api-key|key)$/i.test(m[2] ?? '')) {
    return `${m[1]}${m[2]}${m[3]}${REDACTED}`;
  }
  return value.length > 0 ? `${/^\s*/.exec(value)?.[0] ?? ''}${REDACTED}` : value;
}

// Built once (not per call); String.prototype.replace resets a global regex's lastIndex itself.
const HEADER_RE = new RegExp(
  `(^|[\\s{,;'"])(${SECRET_HEADERS.map(escapeRegExp).join('|')})(\\s*:\\s*)([^\\r\\n"']*)`,
  'gim',
);
const LOOSE_RE = new RegExp(`(\\b(?:${LONG_NAMES.map(escapeRegExp).join('|')}))(\\s*:\\s*)([^\\s,;"'}]+)`, 'g');

/**
 * Replace every sensitive value in free text: JSON bodies, query strings, form bodies, header
 * lines, JWTs and any registered secret.
 *
 * `extraSecrets` are exact values to remove in this call only (a recorder's own secrets).
 */
export function redactText(text: string, extraSecrets: Iterable<string> = []): string {
  let out = replaceKnownValues(text, extraSecrets);
  // Each pattern below needs a character the text may not have at all (most trace sentences have
  // none of them): looking for that character first skips a pattern that cannot match.
  const hasColon = out.includes(':');
  // JSON: "name": "value" (escaped quotes inside the value are handled).
  if (hasColon && out.includes('"'))
    out = out.replace(
      /"([A-Za-z0-9_-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g,
      (whole, name: string, sep: string, value: string) => {
        const lower = name.toLowerCase();
        if (SECRET_HEADERS.includes(lower)) return `"${name}"${sep}"${redactHeaderValue(value)}"`;
        if (!isSensitiveName(name)) return whole;
        // In JSON, "code" and "state" usually carry words ("invalid_request", "ok"), which are kept;
        // authorization codes are random and contain capitals or digits. Registered values still go.
        if (WORDY_NAMES.has(name.toLowerCase()) && /^[a-z]+(?:[_.-][a-z]+)*$/.test(value)) return whole;
        return `"${name}"${sep}"${REDACTED}"`;
      },
    );
  // Header lines: "Authorization: Bearer abc" (to the end of the line or a quote).
  if (hasColon)
    out = out.replace(
      HEADER_RE,
      (_w, lead: string, name: string, sep: string, value: string) => `${lead}${name}${sep}${redactHeaderValue(value)}`,
    );
  // Query strings and form bodies: name=value.
  if (out.includes('='))
    out = out.replace(
      /(^|[?&#\s;,("'])([A-Za-z0-9_.-]+)=([^&#\s"'<>)]*)/g,
      (whole, lead: string, name: string, value: string) =>
        isSensitiveName(name) && value !== REDACTED && value.length > 0 ? `${lead}${name}=${REDACTED}` : whole,
    );
  // Loose "access_token: value" in logs.
  if (hasColon)
    out = out.replace(LOOSE_RE, (whole, name: string, sep: string, value: string) =>
      value === REDACTED ? whole : `${name}${sep}${REDACTED}`,
    );
  // Anything that looks like a JWT.
  if (out.includes('eyJ')) out = out.replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED);
  return out;
}

function redactParams(raw: string): string {
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return isSensitiveName(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}

/**
 * Redact a URL for display: scheme, host, path and parameter names stay; values of sensitive
 * parameters (code, state, tokens, secrets, code_challenge) in the query and fragment become
 * "[redacted]", as does any password in the URL.
 */
export function redactUrl(url: string | URL, extraSecrets: Iterable<string> = []): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url), extraSecrets);
  }
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${REDACTED}` : ''}@` : '';
  const hostPart = parsed.host ? `//${auth}${parsed.host}` : '';
  const query = parsed.search ? `?${redactParams(parsed.search.slice(1))}` : '';
  const fragment = parsed.hash ? `#${redactParams(parsed.hash.slice(1))}` : '';
  return replaceKnownValues(`${parsed.protocol}${hostPart}${parsed.pathname}${query}${fragment}`, extraSecrets);
}
