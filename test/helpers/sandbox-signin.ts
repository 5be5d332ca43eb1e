/**
 * Drive the Sandbox's real sign-in and consent pages over HTTP, like a browser would.
 *
 * Starting from an authorization URL, it follows redirects by hand (keeping cookies in a tiny
 * jar that honours Path and Max-Age), reads the form on each Sandbox page and submits it with
 * the same fields a browser sends (including the pressed button's name and value), until the
 * Sandbox redirects somewhere else: the client's redirect URI. That final URL is returned and
 * not fetched, so the caller decides whether to deliver it (e.g. to a loopback callback).
 */

export interface SandboxSignInOptions {
  /** Typed into "Account name" (default: keep the prefilled "Acme"). */
  accountName?: string;
  /** Press "Deny" on the consent page instead of "Allow". */
  deny?: boolean;
  fetch?: typeof fetch;
  /** Share a browser session between calls (default: a fresh jar, i.e. a fresh browser). */
  jar?: CookieJar;
  /** Safety net against loops. */
  maxSteps?: number;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/** Minimal cookie jar for one origin (create one to reuse a browser session across sign-ins). */
export class CookieJar {
  private cookies = new Map<string, Cookie>();

  store(setCookies: string[], requestUrl: URL): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let cookiePath = requestUrl.pathname.slice(0, requestUrl.pathname.lastIndexOf('/')) || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=');
        const lower = key.toLowerCase();
        if (lower === 'path' && val.startsWith('/')) cookiePath = val;
        if (lower === 'max-age' && Number(val) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${cookiePath}\n${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
  }

  headerFor(url: URL): string | undefined {
    const matching = [...this.cookies.values()].filter(
      (c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
    );
    return matching.length > 0 ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

export interface ParsedForm {
  action: string;
  fields: Array<[string, string]>;
  buttons: Array<{ name: string; value: string; label: string }>;
}

function decodeEntities(value: string): string {
  return value.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decodeEntities(match[1] ?? '') : undefined;
}

/** The first form on a page: its action, its inputs and the buttons inside it. */
export function parseForm(html: string): ParsedForm | null {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const openTag = /<form\b[^>]*>/i.exec(form[0])?.[0] ?? '';
  const inner = form[1] ?? '';
  const fields: Array<[string, string]> = [];
  for (const input of inner.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, 'name');
    if (name) fields.push([name, attr(input, 'value') ?? '']);
  }
  const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map((m) => ({
    name: attr(m[1] ?? '', 'name') ?? '',
    value: attr(m[1] ?? '', 'value') ?? '',
    label: (m[2] ?? '').trim(),
  }));
  return { action: attr(openTag, 'action') ?? '', fields, buttons };
}

/** A page's visible text, for error messages and checks. */
export function pageText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One request a Sandbox page asks for: a GET, or a form POST. */
export interface SandboxRequest {
  method: 'GET' | 'POST';
  body?: string;
}

/**
 * Send one request the way a browser on the Sandbox's pages would (its cookies; a form POST with
 * the page's Origin), keep the cookies it sets, and say where a redirect leads; otherwise hand
 * back the response, whose body is still to be read.
 */
export async function sandboxRequest(
  doFetch: typeof fetch,
  jar: CookieJar,
  url: URL,
  request: SandboxRequest,
  origin: string,
): Promise<{ redirect: URL; response?: undefined } | { redirect?: undefined; response: Response }> {
  const headers: Record<string, string> = { Accept: 'text/html' };
  const cookie = jar.headerFor(url);
  if (cookie) headers.Cookie = cookie;
  if (request.method === 'POST') {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers.Origin = origin;
  }
  const response = await doFetch(url, { method: request.method, body: request.body, headers, redirect: 'manual' });
  jar.store(response.headers.getSetCookie(), url);
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    await response.body?.cancel();
    return { redirect: new URL(location, url) };
  }
  return { response };
}

/**
 * Sign in on the Sandbox and approve (or deny) access; resolve with the redirect back to the client.
 *
 * Throws with the page's text when the Sandbox shows something other than its sign-in or
 * consent form (an error page), so a failing test says what the Sandbox said.
 */
export async function completeSandboxSignIn(
  authorizationUrl: string | URL,
  options: SandboxSignInOptions = {},
): Promise<URL> {
  const doFetch = options.fetch ?? fetch;
  const jar = options.jar ?? new CookieJar();
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  let request: SandboxRequest = { method: 'GET' };

  for (let step = 0; step < (options.maxSteps ?? 20); step += 1) {
    const answer = await sandboxRequest(doFetch, jar, url, request, origin);
    if (answer.redirect) {
      if (answer.redirect.origin !== origin) return answer.redirect;
      url = answer.redirect;
      request = { method: 'GET' };
      continue;
    }
    const response = answer.response;
    const html = await response.text();
    const form = parseForm(html);
    if (!response.ok || !form) {
      throw new Error(`Sandbox page ${url.pathname} answered ${response.status}: ${pageText(html).slice(0, 300)}`);
    }
    const body = new URLSearchParams(form.fields);
    if (body.has('account') && options.accountName !== undefined) body.set('account', options.accountName);
    const isConsent = form.buttons.some((b) => b.label === 'Allow');
    const wanted = isConsent ? (options.deny ? 'Deny' : 'Allow') : 'Sign in';
    const button = form.buttons.find((b) => b.label === wanted);
    if (!button) throw new Error(`No "${wanted}" button on Sandbox page ${url.pathname}`);
    if (button.name) body.append(button.name, button.value);
    url = new URL(form.action, url);
    request = { method: 'POST', body: body.toString() };
  }
  throw new Error('The Sandbox sign-in did not finish within the allowed number of steps');
}
