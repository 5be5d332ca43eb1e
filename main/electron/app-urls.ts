/**
 * Pure URL decisions for the main window: is this the app's own page, and which file does an
 * app:// request map to. (Which links may leave the app is the host layer's link policy.)
 *
 * Kept free of Electron so the path-traversal and allow-list rules are unit-tested.
 */
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './window-options';

function tryParse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True for a URL of the app's own page (`app://patchbay/...`), nothing else.
 *
 * Used by the IPC sender check and by will-navigate: user names, ports and look-alike hosts fail.
 */
export function isAppUrl(raw: string): boolean {
  const url = tryParse(raw);
  if (!url) return false;
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname.toLowerCase() === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content-Type for a served file; unknown kinds are refused rather than sniffed. */
export function mimeTypeFor(filePath: string): string | null {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? null;
}

/** A "." or ".." path segment, plain or percent-encoded, anywhere in the raw URL. */
const DOT_SEGMENT = /(\/|\\|%2f|%5c)(\.|%2e){1,2}(\/|\\|%2f|%5c|\?|#|$)/i;

/**
 * Map an app:// request URL to a file under `root` (the built renderer), or null.
 *
 * Refuses other origins, encoded separators, dot segments and anything that resolves outside
 * `root`; "/" means index.html.
 */
export function resolveAppAsset(root: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl) || DOT_SEGMENT.test(requestUrl)) return null;
  const url = new URL(requestUrl);
  const rawPath = url.pathname;
  if (/%2f|%5c|\\|%00/i.test(rawPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}
