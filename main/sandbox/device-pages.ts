/**
 * The Sandbox's device-code pages (RFC 8628 §3.3): enter the code, confirm it, done.
 *
 * oidc-provider runs the flow and calls these as its deviceFlow render hooks; they only draw the
 * page, in the same plain style as the sign-in pages, with stable words people and tests look
 * for: "Code", "Continue", "Allow this device", "Deny", "Device connected". Between the confirm
 * and the done page the person signs in and consents on the usual interaction pages.
 */
import { escapeHtml, layout, PAGE_HEADERS, type Page } from './pages';

/** The XSRF value oidc-provider put in its own form, so the Sandbox's form can carry it. */
export function xsrfFrom(form: string): string {
  return /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '';
}

/** Why the code page is shown again, in plain words (oidc-provider passes its re-render error). */
function codeError(err: { name?: string; userCode?: unknown } | undefined): string | null {
  if (!err) return null;
  if (err.name === 'NoCodeError') return 'Enter the code Patchbay showed you.';
  if (err.name === 'NotFoundError' || err.userCode) return 'That code is not right. Check it and try again.';
  if (err.name === 'ExpiredError') return 'That code has expired. Ask Patchbay for a new one.';
  if (err.name === 'AlreadyUsedError') return 'That code was already used. Ask Patchbay for a new one.';
  if (err.name === 'AbortedError') return 'You said no, so the device was not connected. You can close this page.';
  return 'The Sandbox could not use that code. Try again.';
}

/** "Enter the code": one labelled field, posting to the Sandbox's device page. */
export function renderDeviceCodePage(action: string, xsrf: string, err?: { name?: string; userCode?: unknown }): Page {
  const message = codeError(err);
  const error = message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
  return layout(
    'Connect a device to the Patchbay Sandbox',
    `<p class="note">Enter the code that Patchbay shows on the other device.</p>
${error}<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="xsrf" value="${escapeHtml(xsrf)}">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" class="code" type="text" required maxlength="32" autocomplete="off" autocapitalize="characters" spellcheck="false" autofocus>
<button class="primary" type="submit">Continue</button>
</form>`,
    message ? 400 : 200,
  );
}

/** "Is this the code on your device?": Allow goes on to sign-in and consent, Deny ends the flow. */
export function renderDeviceConfirmPage(form: string, clientName: string, userCode: string): Page {
  return layout(
    `Connect ${clientName}?`,
    `<p>Check that the other device shows this code:</p>
<p class="code" aria-label="Code">${escapeHtml(userCode)}</p>
<p class="note">If you did not start this, or the code differs, press Deny.</p>
${form}
<button class="primary" type="submit" form="op.deviceConfirmForm">Allow this device</button>
<button class="secondary" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Deny</button>`,
  );
}

/** The last page: the device has its tokens (it picks them up on its next poll). */
export function renderDeviceDonePage(clientName: string): Page {
  return layout(
    'Device connected',
    `<p>${escapeHtml(clientName)} is connected to your Sandbox account. You can close this page; the other device finishes on its own.</p>`,
  );
}

/** Put a page on a Koa context (oidc-provider's render hooks write to `ctx`). */
export function sendToContext(
  ctx: { body: unknown; status: number; set(name: string, value: string): void; type: string },
  page: Page,
): void {
  for (const [name, value] of Object.entries({ ...PAGE_HEADERS, ...page.headers })) ctx.set(name, value);
  ctx.type = 'html';
  ctx.status = page.status;
  ctx.body = page.html;
}
