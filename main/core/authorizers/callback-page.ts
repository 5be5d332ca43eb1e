/**
 * The page a browser shows after the provider sends it back to Patchbay's loopback address.
 *
 * It says what happened in plain words, differently after Allow and after Deny, and that the tab
 * can be closed: the Patchbay page cannot close a tab that shows another origin, and trying to
 * would make the browser log the tab's address (the callback URL, with its code and state). The
 * page echoes nothing from the request but the provider's name, escaped and bounded.
 */

/** What the provider's answer said, as far as the page needs to know. */
export type CallbackOutcome = 'allowed' | 'denied' | 'failed';

/** Sort a callback's query into an outcome (the flow itself validates it afterwards). */
export function callbackOutcome(params: URLSearchParams): CallbackOutcome {
  if (params.has('error')) return params.get('error') === 'access_denied' ? 'denied' : 'failed';
  return 'allowed';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A provider name fit for the page: control characters stripped, at most 80 characters, escaped. */
function safeName(name: string): string {
  const plain = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim()
    .slice(0, 80);
  return escapeHtml(plain || 'the provider');
}

const WORDS: Record<CallbackOutcome, (name: string) => { title: string; lead: string }> = {
  allowed: (name) => ({
    title: `${name} said yes`,
    lead: 'Patchbay is finishing the connection. Go back to Patchbay to see it; you can close this tab.',
  }),
  denied: (name) => ({
    title: 'Nothing was connected',
    lead: `You said no at ${name}, so Patchbay connected nothing. You can close this tab and go back to Patchbay.`,
  }),
  failed: (name) => ({
    title: 'The sign-in stopped',
    lead: `${name} ended the sign-in without connecting. Go back to Patchbay to see why; you can close this tab.`,
  }),
};

/** The whole HTML page for one outcome. */
export function callbackPage(outcome: CallbackOutcome, providerName: string): string {
  const { title, lead } = WORDS[outcome](safeName(providerName));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Patchbay</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;padding:0 1rem;text-align:center;line-height:1.5}
@media (prefers-color-scheme: dark){body{background:#111418;color:#e8eaed}}</style></head>
<body><main><h1>${title}</h1><p data-outcome="${outcome}">${lead}</p></main></body></html>`;
}
