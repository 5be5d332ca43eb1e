/**
 * Provider discovery: read an issuer's published metadata and draft a provider definition.
 *
 * Two addresses are tried, in this order: the RFC 8414 one (`/.well-known/oauth-authorization-
 * server`, inserted before the issuer's path, §3.1), then the OpenID Connect one
 * (`{issuer}/.well-known/openid-configuration`). RFC 8414 first because it is the OAuth standard
 * and is what an OAuth-only server publishes; OpenID providers usually serve both, and an OpenID
 * provider that does not is found by the second address. oauth4webapi builds both addresses and
 * checks the document's `issuer` against the one asked for; every request goes through
 * providerFetch (the core's injected fetch, so proxies apply; a timeout; bounded bodies; no
 * redirects followed).
 *
 * A document whose issuer differs is refused outright, not skipped for the other address: it is
 * what an attacker's mix-up looks like (RFC 8414 §3.3, §6.2), and a person should hear about it.
 */
import * as oauth from 'oauth4webapi';
import type { DiscoverOptions, ProviderDefinition, ProviderDiscovery } from '../../../preload/contract';
import type { CoreContext } from '../flows/context';
import { PatchbayError, invalidInput } from '../model/errors';
import { draftFromMetadata, nameFromIssuer } from './discovery-map';
import { providerFetch, type HttpContext } from './provider-http';
import { isLoopbackHost, parseProviderDefinition } from './provider-schema';
import { providerText } from './provider-text';

type Algorithm = 'oauth2' | 'oidc';
type Attempt =
  { kind: 'found'; metadata: Record<string, unknown>; url: string } | { kind: 'missing'; url: string; why: string };

/** The issuer as typed, checked: an https:// (or loopback http://) address without query or fragment. */
export function parseIssuer(input: string): URL {
  const text = input.trim();
  const fail = (message: string) => invalidInput('issuer', message);
  if (text === '')
    throw fail(
      'Issuer URL is empty. Enter the address the provider names as its issuer, such as https://login.acme.example.',
    );
  if (text.length > 2048)
    throw fail('Issuer URL is longer than 2048 characters. Check that you pasted the right address.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fail(
      `Issuer URL "${providerText(text, 80)}" is not a web address. Enter a full address starting with https://.`,
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw fail(
      `Issuer URL must start with https:// (plain http:// is only allowed for 127.0.0.1 on this computer). Change it to https://${text.slice('http://'.length)}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw fail('Issuer URL must start with https:// (plain http:// is only allowed for 127.0.0.1 on this computer).');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw fail(`An issuer URL has no user name, "?…" or "#…" part (RFC 8414 §2). Use ${url.origin}${url.pathname}.`);
  }
  return url;
}

/** A missed address, in words: "HTTP 404", "a redirect", "not JSON". */
function missReason(error: unknown): string | null {
  if (error instanceof PatchbayError) {
    const status = error.httpStatus;
    if (status !== undefined && status >= 300 && status < 400)
      return `a redirect (HTTP ${status}), which Patchbay does not follow`;
    if (status !== undefined && status >= 500) return `HTTP ${status}`;
    return null;
  }
  if (error instanceof oauth.OperationProcessingError) {
    if (error.code === oauth.RESPONSE_IS_NOT_CONFORM) {
      const status = (error.cause as Response | undefined)?.status;
      return status === undefined ? 'no usable answer' : `HTTP ${status}`;
    }
    if (error.code === oauth.PARSE_ERROR || error.code === oauth.RESPONSE_IS_NOT_JSON)
      return 'an answer that is not JSON';
    if (error.code === oauth.INVALID_RESPONSE) return 'a document without an issuer';
  }
  return null;
}

async function tryAddress(http: HttpContext, issuer: URL, algorithm: Algorithm): Promise<Attempt> {
  let url = '';
  const options = {
    algorithm,
    [oauth.allowInsecureRequests]: isLoopbackHost(issuer.hostname),
    [oauth.customFetch]: async (address: string, init: oauth.CustomFetchOptions<'GET', undefined>) => {
      url = address;
      const res = await providerFetch(http, { url: address, method: 'GET', headers: init.headers, step: 'discovery' });
      return new Response(res.status === 204 ? null : res.text, {
        status: res.status,
        headers: { 'content-type': res.contentType || 'application/octet-stream' },
      });
    },
  };
  try {
    const response = await oauth.discoveryRequest(issuer, options);
    const metadata = await oauth.processDiscoveryResponse(issuer, response);
    return { kind: 'found', metadata: metadata as unknown as Record<string, unknown>, url };
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const said = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
      throw new PatchbayError(
        'provider_error',
        `The metadata at ${url} names the issuer "${providerText(String(said), 200)}", not "${issuer.href}" that you asked for. This may be a mix-up (one provider's settings passed off as another's), so Patchbay did not use it. Check the issuer URL, typed exactly as the provider publishes it.`,
        { field: 'issuer', cause: error },
      );
    }
    if ((error as { code?: unknown }).code === 'ERR_INVALID_URL') {
      throw new PatchbayError(
        'provider_error',
        `The metadata at ${url} names an issuer that is not a web address, not "${issuer.href}" that you asked for. Patchbay did not use it; check the issuer URL.`,
        { field: 'issuer', cause: error },
      );
    }
    const why = missReason(error);
    if (why === null) throw error;
    return { kind: 'missing', url, why };
  }
}

/**
 * Read an issuer's metadata and return a validated draft definition; nothing is saved.
 *
 * Errors (PatchbayError): invalid_input on "issuer" for an address that is not https:// (except
 * on this computer); not_found when neither address has metadata (both named); provider_error for
 * an issuer mismatch (possible mix-up) or unusable metadata; timeout / network as for any request.
 */
export async function discoverProvider(
  ctx: CoreContext,
  issuerInput: string,
  options: DiscoverOptions = {},
): Promise<ProviderDiscovery> {
  const issuer = parseIssuer(issuerInput);
  checkOwnChoices(options);
  const http: HttpContext = {
    fetch: ctx.fetch,
    clock: ctx.clock,
    timeoutMs: ctx.httpTimeoutMs,
    trace: { add: () => undefined },
    providerName: nameFromIssuer(issuer),
  };
  const misses: Attempt[] = [];
  for (const algorithm of ['oauth2', 'oidc'] as const) {
    const attempt = await tryAddress(http, issuer, algorithm);
    if (attempt.kind === 'missing') {
      misses.push(attempt);
      continue;
    }
    const { draft, notes } = draftFromMetadata(attempt.metadata, issuer, options);
    return { definition: validated(draft, options), metadataUrl: attempt.url, notes };
  }
  const said = misses.map((m) => (m.kind === 'missing' ? `${m.url} (${m.why})` : m.url)).join(' and ');
  throw new PatchbayError(
    'not_found',
    `Patchbay found no OAuth metadata for ${issuer.href} at either address a provider publishes it: ${said}. Check the issuer URL in the provider's developer docs, or fill the form by hand.`,
    { field: 'issuer' },
  );
}

/**
 * The person's ID and name, checked by the provider schema before any request, so a typo is
 * pointed out at once rather than after the network. Only those two fields are judged here.
 */
function checkOwnChoices(options: DiscoverOptions): void {
  if (options.id === undefined && options.name === undefined) return;
  try {
    parseProviderDefinition({
      id: options.id ?? 'provider',
      name: options.name ?? 'Provider',
      auth: 'apiKey',
      apiKeyHeader: 'Authorization',
      testUrl: 'https://provider.invalid/',
    });
  } catch (error) {
    if (error instanceof PatchbayError && (error.field === 'id' || error.field === 'name')) throw error;
  }
}

/**
 * The draft through the provider schema. A problem with the person's own ID or name stays
 * invalid_input on that field; any other is the metadata's fault and says so.
 */
function validated(draft: Record<string, unknown>, options: DiscoverOptions): ProviderDefinition {
  try {
    return parseProviderDefinition(draft);
  } catch (error) {
    if (!(error instanceof PatchbayError)) throw error;
    const field = error.field ?? '';
    if ((field === 'id' && options.id !== undefined) || (field === 'name' && options.name !== undefined)) throw error;
    if (field === 'id' || field === 'name') {
      throw invalidInput(field, `${error.message} Give the provider your own ${field === 'id' ? 'ID' : 'name'}.`);
    }
    throw new PatchbayError(
      'provider_error',
      `The provider's metadata is not usable: ${error.message} Fill the form by hand or ask the provider.`,
      { field: 'issuer', cause: error },
    );
  }
}
