/**
 * The Sandbox's own pages: sign-in, consent and errors, as small server-rendered HTML.
 *
 * No scripts at all, one stylesheet allowed by its hash, forms posting to the Sandbox itself,
 * and a strict Content-Security-Policy. Labels and buttons carry plain, stable words so that
 * people (and Playwright's role/label queries) find them: "Account name", "Sign in", "Allow",
 * "Deny".
 */
import { createHash } from 'node:crypto';

const STYLE = [
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}',
  'main{max-width:26rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px rgba(0,0,0,.15)}',
  'h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin-bottom:.4rem}',
  'input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #8a93a6;border-radius:4px}',
  'button{font-size:1rem;padding:.5rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:1px solid #2452c6;cursor:pointer}',
  '.primary{background:#2452c6;color:#fff}.secondary{background:#fff;color:#2452c6}',
  '.code{font-size:1.6rem;letter-spacing:.15em;text-transform:uppercase;font-family:ui-monospace,monospace}',
  '.note{color:#4a5368;font-size:.9rem}.error{color:#a4161a;font-weight:600}ul{padding-left:1.2rem}',
  ':focus-visible{outline:3px solid #2452c6;outline-offset:2px}',
  // The same page for people who prefer dark screens (the colours of Patchbay's dark theme).
  ':root{color-scheme:light dark}',
  '@media (prefers-color-scheme:dark){body{background:#0f1318;color:#e6edf3}main{background:#171c22;box-shadow:none;border:1px solid #33404d}',
  'input{background:#0f1318;color:#e6edf3;border-color:#6e7b8a}button{border-color:#8ab8ff}.primary{background:#8ab8ff;color:#0b1016}',
  '.secondary{background:transparent;color:#8ab8ff}.note{color:#9aa5b1}.error{color:#ff7b72}:focus-visible{outline-color:#8ab8ff}}',
].join('');

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/**
 * Headers every Sandbox page is sent with.
 *
 * form-action allows the Sandbox itself and the places a finished sign-in redirects to
 * (loopback callbacks and the app's custom scheme): browsers apply form-action to the redirects
 * that follow a form submission.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    `style-src '${STYLE_HASH}'`,
    "form-action 'self' http://127.0.0.1:* http://localhost:* patchbay:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export interface Page {
  status: number;
  headers: Record<string, string>;
  html: string;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole Sandbox page: the title as its heading, `body` (already escaped HTML) below it. */
export function layout(title: string, body: string, status = 200): Page {
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  return { status, headers: { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }, html };
}

/** The sign-in page: one labelled field, prefilled with the demo account "Acme" and focused, so Enter signs in. */
export function renderSignInPage(uid: string, options: { accountName?: string; error?: string } = {}): Page {
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const value = escapeHtml(options.accountName ?? 'Acme');
  return layout(
    'Sign in to the Patchbay Sandbox',
    `<p class="note">This is a practice account server that runs on your computer. No password is needed.</p>
${error}<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="account">Account name</label>
<input id="account" name="account" type="text" value="${value}" required maxlength="40" autocomplete="username" autofocus>
<button class="primary" type="submit">Sign in</button>
</form>`,
    options.error ? 400 : 200,
  );
}

/** The consent page: who asks, for what (in plain words), and Allow / Deny. */
export function renderConsentPage(
  uid: string,
  input: { clientName: string; accountName: string; scopes: Array<{ name: string; words: string }> },
): Page {
  const items = input.scopes.map((s) => `<li>${escapeHtml(s.words)}</li>`).join('\n');
  return layout(
    `Allow ${input.clientName} to use your Sandbox account?`,
    `<p>You are signed in as <strong>${escapeHtml(input.accountName)}</strong>. ${escapeHtml(input.clientName)} is asking to:</p>
<ul aria-label="Requested permissions">
${items}
</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">
<button class="primary" type="submit" name="decision" value="allow">Allow</button>
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/** A page for anything that went wrong, with the next step. */
export function renderErrorPage(detail: string, status = 400): Page {
  return layout(
    'The Sandbox could not continue',
    `<p class="error" role="alert">${escapeHtml(detail)}</p>
<p>Go back to Patchbay and press Connect again.</p>`,
    status,
  );
}

/** The Sandbox's home page, so that opening the issuer URL in a browser says what it is. */
export function renderHomePage(issuer: string): Page {
  return layout(
    'Patchbay Sandbox',
    `<p>The Patchbay Sandbox is running at <code>${escapeHtml(issuer)}</code>.</p>
<p class="note">It is a practice OAuth 2.0 server for trying Patchbay without a real account. Connect to it from Patchbay: choose "Sandbox" and press Connect.</p>`,
  );
}
