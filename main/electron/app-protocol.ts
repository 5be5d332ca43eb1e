/**
 * Serves the built renderer from `app://patchbay/` with a strict Content-Security-Policy header.
 *
 * Electron's security checklist (item 18) advises a custom protocol over file://: a file:// page
 * may read any file the user can, and every file:// URL shares one origin. With `app://patchbay`
 * the page has an origin of its own, which the IPC sender check and will-navigate compare
 * against, and the CSP comes with every response instead of relying on a <meta> tag.
 */
import fs from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { mimeTypeFor, resolveAppAsset } from './app-urls';
import { APP_SCHEME, contentSecurityPolicy } from './window-options';

/**
 * Declare app:// as a standard, secure scheme. Must run before `ready`, and only once.
 *
 * standard: relative URLs and an origin like http's; secure: treated like https (no mixed
 * content warnings, secure-context APIs). Not bypassCSP, not corsEnabled: nothing outside the
 * app may load from it, and its pages obey their CSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const SECURITY_HEADERS = (): Record<string, string> => ({
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
});

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS() },
  });
}

/**
 * Answer app:// requests on `ses` from files under `root` (dist/renderer).
 *
 * Only GET/HEAD of known file kinds inside `root`; everything else is a 404 with the same headers.
 */
export function serveRenderer(ses: Session, root: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = resolveAppAsset(root, request.url);
    const type = file ? mimeTypeFor(file) : null;
    if (!file || !type) return notFound();
    try {
      const body = await fs.readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { 'Content-Type': type, ...SECURITY_HEADERS() },
      });
    } catch {
      return notFound();
    }
  });
}
