/**
 * The Sandbox's sign-in and consent steps (oidc-provider "interactions").
 *
 * oidc-provider sends the browser to `/interaction/<uid>` whenever it needs a person; these
 * handlers show the right page, take the form posts, and hand the result back with
 * `interactionFinished`, which redirects to the authorization endpoint to finish the flow.
 * "Deny" finishes with `access_denied`, which oidc-provider returns to the client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { type Page, renderConsentPage, renderErrorPage, renderSignInPage } from './pages';
import { SANDBOX_SCOPE_WORDS, normaliseAccountName } from './provider-config';

const MAX_FORM_BYTES = 8 * 1024;

/** Matches the interaction paths this module answers: `/interaction/<uid>[/login|/confirm]`. */
export const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|confirm))?$/;

/** Send one of the Sandbox pages. */
export function sendPage(res: ServerResponse, page: Page): void {
  res.writeHead(page.status, { ...page.headers, 'Content-Length': Buffer.byteLength(page.html) });
  res.end(page.html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function requestedScopes(details: InteractionDetails): Array<{ name: string; words: string }> {
  const scope = typeof details.params.scope === 'string' ? details.params.scope : '';
  return scope
    .split(' ')
    .filter((name) => name.length > 0)
    .map((name) => ({ name, words: SANDBOX_SCOPE_WORDS[name] ?? `Use the "${name}" permission` }));
}

/**
 * Record consent as a new grant holding every requested scope.
 *
 * One grant per authorization (see loadExistingGrant in provider-config.ts), so that revoking
 * one Patchbay connection never ends another made from the same browser session.
 */
async function finishConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  details: InteractionDetails,
): Promise<void> {
  const accountId = details.session?.accountId ?? '';
  const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : '';
  const grant = new provider.Grant({ accountId, clientId });
  const scopes = requestedScopes(details)
    .map((s) => s.name)
    .filter((name) => name in SANDBOX_SCOPE_WORDS);
  if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
  const missing = details.prompt.details;
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, resourceScopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, resourceScopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Answer one request under `/interaction/`.
 *
 * Any failure (expired page, missing cookie, a form for another step) shows the error page
 * with the next step instead of a stack trace.
 */
export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string | undefined,
): Promise<void> {
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    sendPage(res, renderErrorPage('This sign-in page has expired or was already used.'));
    return;
  }
  if (details.uid !== uid) {
    sendPage(res, renderErrorPage('This sign-in page belongs to another sign-in attempt.'));
    return;
  }
  const step = details.prompt.name;

  if (req.method === 'GET' && action === undefined) {
    if (step === 'login') sendPage(res, renderSignInPage(uid));
    else if (step === 'consent') {
      sendPage(
        res,
        renderConsentPage(uid, {
          clientName: 'Patchbay',
          accountName: details.session?.accountId ?? '',
          scopes: requestedScopes(details),
        }),
      );
    } else sendPage(res, renderErrorPage('The Sandbox does not know this step.', 501));
    return;
  }
  if (req.method !== 'POST') {
    sendPage(res, renderErrorPage('This page only accepts the form on it.', 405));
    return;
  }

  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch {
    sendPage(res, renderErrorPage('The form sent to the Sandbox was too large.', 413));
    return;
  }

  if (action === 'login' && step === 'login') {
    const typed = form.get('account') ?? '';
    const accountId = normaliseAccountName(typed);
    if (!accountId) {
      sendPage(
        res,
        renderSignInPage(uid, {
          accountName: typed,
          error: 'Type an account name of 1 to 40 letters or numbers, for example Acme.',
        }),
      );
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'confirm' && step === 'consent') {
    if (form.get('decision') === 'allow') {
      await finishConsent(provider, req, res, details);
    } else {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The account holder denied access.' },
        { mergeWithLastSubmission: false },
      );
    }
    return;
  }
  sendPage(res, renderErrorPage('This form belongs to another step of the sign-in.'));
}
