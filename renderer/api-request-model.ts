/**
 * The pure parts of Try a request: the API base, the default path, header lines, the body as
 * shown, and the curl command.
 *
 * The renderer never holds a token, so the curl command writes `$PATCHBAY_TOKEN` where the
 * credential goes; `patchbay exec <connection> -- sh -c '<command>'` fills it in.
 */
import type { ApiResponseView, ProviderDefinition } from '../preload/contract';

/** The provider's API base: apiBaseUrl, or the origin of testUrl (the core's rule, for display). */
export function apiBaseFor(def: ProviderDefinition): string | null {
  if (def.apiBaseUrl) return def.apiBaseUrl.replace(/\/+$/, '');
  if (!def.testUrl) return null;
  try {
    return new URL(def.testUrl).origin;
  } catch {
    return null;
  }
}

/** The test URL as a path on the API base (the form's first value), or the test URL itself. */
export function defaultPath(def: ProviderDefinition): string {
  const base = apiBaseFor(def);
  if (!def.testUrl) return '/';
  if (base && def.testUrl.startsWith(`${base}/`)) return def.testUrl.slice(base.length);
  return def.testUrl;
}

/** The URL a path resolves to (for the curl command); absolute URLs are kept. */
export function resolvePath(def: ProviderDefinition, path: string): string {
  const trimmed = path.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(trimmed)) return trimmed;
  const base = apiBaseFor(def) ?? '';
  return `${base}/${trimmed.replace(/^\/+/, '')}`;
}

/** "Name: value" lines → pairs; the first line without a colon is reported by number. */
export function parseHeaderLines(text: string): { headers: Array<[string, string]>; error: string | null } {
  const headers: Array<[string, string]> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { headers, error: `Line ${i + 1} is not a header. Write each one as "Name: value".` };
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers, error: null };
}

/** The body as shown: JSON pretty-printed, anything else as sent. */
export function shownBody(view: ApiResponseView): string {
  return view.json !== undefined ? JSON.stringify(view.json, null, 2) : view.body;
}

/** A POSIX shell single-quoted word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The credential header with `$PATCHBAY_TOKEN` in place of the secret, double-quoted for the shell. */
function credentialArgument(def: ProviderDefinition): string {
  const apiKey = def.auth === 'apiKey';
  const name = apiKey ? (def.apiKeyHeader ?? 'Authorization') : 'Authorization';
  const prefix = apiKey ? (def.apiKeyPrefix ?? (name.toLowerCase() === 'authorization' ? 'Bearer ' : '')) : 'Bearer ';
  const escaped = `${name}: ${prefix}`.replace(/[\\"$`]/g, (c) => `\\${c}`);
  return `"${escaped}$PATCHBAY_TOKEN"`;
}

/** The request as a curl command line, the token written as $PATCHBAY_TOKEN. */
export function curlCommand(
  def: ProviderDefinition,
  request: { method: string; path: string; headers: Array<[string, string]>; body: string },
): string {
  const parts = ['curl'];
  if (request.method !== 'GET') parts.push('-X', request.method);
  parts.push(shellQuote(resolvePath(def, request.path)), '-H', credentialArgument(def));
  for (const [name, value] of request.headers) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (request.body !== '') parts.push('--data-raw', shellQuote(request.body));
  return parts.join(' ');
}
