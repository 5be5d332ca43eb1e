/**
 * Drive the Sandbox's device-code pages over HTTP like a person with a phone would: open the
 * verification address, type the code, confirm it, sign in and allow (or deny) access.
 *
 * The Sandbox's pages are plain forms (main/sandbox/device-pages.ts and pages.ts); this reads
 * each one and submits the same fields a browser sends. It resolves with the text of the last
 * page, so a test can check what the person was told ("Device connected").
 */
import { CookieJar, pageText, parseForm, sandboxRequest, type SandboxRequest } from './sandbox-signin';

export interface SandboxDeviceOptions {
  /** Typed into "Account name" (default: keep the prefilled "Acme"). */
  accountName?: string;
  /** Press Deny: on the code confirmation page, or on the consent page. */
  deny?: 'confirm' | 'consent';
  /** Typed into "Code" instead of the right one (a person's typo). */
  typedCode?: string;
  maxSteps?: number;
}

function hidden(html: string, formId: string): Array<[string, string]> {
  const form = new RegExp(`<form[^>]*id="${formId.replace('.', '\\.')}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  const out: Array<[string, string]> = [];
  for (const input of (form?.[1] ?? '').match(/<input\b[^>]*>/gi) ?? []) {
    const name = /\sname="([^"]*)"/.exec(input)?.[1];
    const value = /\svalue="([^"]*)"/.exec(input)?.[1] ?? '';
    if (name) out.push([name, value.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)))]);
  }
  return out;
}

/** Complete (or refuse) a device sign-in on the Sandbox; resolves with the last page's text. */
export async function completeSandboxDevice(
  verificationUri: string,
  userCode: string,
  options: SandboxDeviceOptions = {},
): Promise<string> {
  const jar = new CookieJar();
  let url = new URL(verificationUri);
  const origin = url.origin;
  let request: SandboxRequest = { method: 'GET' };
  for (let step = 0; step < (options.maxSteps ?? 20); step += 1) {
    const answer = await sandboxRequest(fetch, jar, url, request, origin);
    if (answer.redirect) {
      url = answer.redirect;
      if (url.origin !== origin) throw new Error(`The device flow left the Sandbox for ${url.origin}`);
      request = { method: 'GET' };
      continue;
    }
    const response = answer.response;
    const html = await response.text();
    if (html.includes('id="op.deviceConfirmForm"')) {
      // The confirm page's buttons sit outside its form (form="op.deviceConfirmForm").
      const body = new URLSearchParams(hidden(html, 'op.deviceConfirmForm'));
      if (options.deny === 'confirm') body.append('abort', 'yes');
      url = new URL(/<form[^>]*id="op\.deviceConfirmForm"[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '/device', url);
      request = { method: 'POST', body: body.toString() };
      continue;
    }
    const form = parseForm(html);
    if (!form) return pageText(html);
    const body = new URLSearchParams(form.fields);
    let wanted: string;
    if (body.has('user_code')) {
      if (!response.ok) return pageText(html);
      body.set('user_code', options.typedCode ?? userCode);
      wanted = 'Continue';
    } else if (form.buttons.some((b) => b.label === 'Allow')) {
      wanted = options.deny === 'consent' ? 'Deny' : 'Allow';
    } else {
      if (body.has('account') && options.accountName !== undefined) body.set('account', options.accountName);
      wanted = 'Sign in';
    }
    const button = form.buttons.find((b) => b.label === wanted);
    if (!button)
      throw new Error(`No "${wanted}" button on Sandbox page ${url.pathname}: ${pageText(html).slice(0, 200)}`);
    if (button.name) body.append(button.name, button.value);
    url = new URL(form.action, url);
    request = { method: 'POST', body: body.toString() };
  }
  throw new Error('The Sandbox device sign-in did not finish within the allowed number of steps');
}
