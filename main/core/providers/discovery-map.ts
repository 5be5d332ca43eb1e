/**
 * Authorization server metadata (RFC 8414, OpenID Connect Discovery) turned into a draft provider
 * definition.
 *
 * The document comes from the network and is treated as hostile: only the fields listed here are
 * read, each one bounded and type-checked; an address with control characters, credentials, a
 * fragment, a secret-looking or engine-owned query parameter, a scheme other than https (http only
 * on this machine) or a loopback host announced by a remote issuer is never copied. The draft then
 * goes through the provider schema like anything a person types.
 */
import type { TokenAuthMethod } from '../../../preload/contract';
import { PatchbayError } from '../model/errors';
import { isLoopbackHost, isReservedParam, isSecretName } from './provider-schema';
import { hasControlCharacters, providerText } from './provider-text';

/** Longest endpoint address copied from a document. */
const MAX_URL_LENGTH = 2048;
/** Most `scopes_supported` entries looked at: enough for any real provider. */
const MAX_SCOPES_READ = 1000;
/** Scopes picked by default when the server offers them: who the account is, and staying connected. */
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/** The metadata member each endpoint field comes from, for sentences. */
export const METADATA_FIELDS = {
  authorizationUrl: 'authorization_endpoint',
  tokenUrl: 'token_endpoint',
  revocationUrl: 'revocation_endpoint',
  deviceAuthorizationUrl: 'device_authorization_endpoint',
  testUrl: 'userinfo_endpoint',
  docsUrl: 'service_documentation',
} as const;
type EndpointField = keyof typeof METADATA_FIELDS;

/** What the mapping produced: the draft (not yet validated) and sentences for the person. */
export interface DraftFromMetadata {
  draft: Record<string, unknown>;
  notes: string[];
}

/** "auth.acme.example/tenant" from the issuer: a name a person recognises until they type a better one. */
export function nameFromIssuer(issuer: URL): string {
  const path = issuer.pathname.replace(/\/+$/, '');
  return providerText(`${issuer.host}${path}`, 100);
}

/** "Auth.Acme.example:8443" -> "auth-acme-example-8443": the ID format the schema accepts. */
export function idFromName(name: string): string {
  const id = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return id === '' ? 'provider' : id;
}

/**
 * One endpoint address from the document, or the reason it is not used.
 *
 * `remoteIssuer`: the issuer is not on this machine, so an endpoint on this machine would send
 * codes and client secrets to whatever listens locally; it is refused.
 */
function endpoint(value: unknown, field: EndpointField, remoteIssuer: boolean): { url?: string; why?: string } {
  if (value === undefined || value === null) return {};
  const member = METADATA_FIELDS[field];
  if (typeof value !== 'string' || value.length === 0) return { why: `${member} is not an address` };
  if (value.length > MAX_URL_LENGTH) return { why: `${member} is longer than ${MAX_URL_LENGTH} characters` };
  if (hasControlCharacters(value) || /\s/.test(value)) return { why: `${member} has spaces or control characters` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { why: `${member} is not a web address` };
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return { why: `${member} is not an https:// address` };
  }
  if (loopback && remoteIssuer) return { why: `${member} points at this computer (${url.host}), not at the provider` };
  if (url.username || url.password) return { why: `${member} has a user name or password in it` };
  if (url.hash) return { why: `${member} has a "#" part, which endpoints may not have` };
  for (const key of url.searchParams.keys()) {
    if (isSecretName(key) || isReservedParam(key) || hasControlCharacters(key)) {
      return {
        why: `${member} carries the parameter "${providerText(key, 40)}", which Patchbay sets itself or keeps secret`,
      };
    }
  }
  return { url: value };
}

/** Strings of a list member, bounded; anything else is ignored. */
function stringList(value: unknown, max = MAX_SCOPES_READ): string[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, max).filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200);
}

/** A scope Patchbay can put in a definition: one word, no control characters. */
function usableScope(scope: string): boolean {
  return !hasControlCharacters(scope) && /^[^\s]+$/.test(scope);
}

function chooseScopes(metadata: Record<string, unknown>, notes: string[]): string[] {
  const offered = stringList(metadata.scopes_supported).filter(usableScope);
  const chosen = DEFAULT_SCOPES.filter((s) => offered.includes(s));
  const others = offered.filter((s) => !chosen.includes(s));
  if (others.length > 0) {
    const shown = others.slice(0, 8).map((s) => providerText(s, 60));
    notes.push(
      `The provider also offers ${others.length === 1 ? 'the scope' : `${others.length} other scopes, such as`} ${shown.join(', ')}${others.length > shown.length ? ', …' : ''}. Add the ones your app needs to Scopes.`,
    );
  }
  return chosen;
}

function chooseTokenAuthMethod(metadata: Record<string, unknown>, notes: string[]): TokenAuthMethod | undefined {
  // RFC 8414 §2: when the member is absent, the default is client_secret_basic.
  if (metadata.token_endpoint_auth_methods_supported === undefined) return 'client_secret_basic';
  const offered = stringList(metadata.token_endpoint_auth_methods_supported, 50);
  const supported: TokenAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];
  const chosen = supported.find((m) => offered.includes(m));
  if (!chosen) {
    notes.push(
      `The provider only accepts ways of proving the app's identity Patchbay does not offer (${
        offered
          .slice(0, 5)
          .map((m) => providerText(m, 40))
          .join(', ') || 'none listed'
      }); sign-in may fail at the token step.`,
    );
    return undefined;
  }
  if (chosen !== 'none' && offered.includes('none')) {
    notes.push(
      'Token auth method is set to send the client secret. If your app at the provider has no client secret (a public app), change it to "none".',
    );
  }
  return chosen;
}

function choosePkce(metadata: Record<string, unknown>, notes: string[]): void {
  const methods = metadata.code_challenge_methods_supported;
  if (methods === undefined) {
    notes.push(
      'The provider does not say whether it supports PKCE; Patchbay sends it anyway (S256), which providers without PKCE ignore.',
    );
  } else if (!stringList(methods, 20).includes('S256')) {
    notes.push(
      'The provider does not advertise PKCE with S256, the only method Patchbay uses. Sign-in may fail; if it does, ask the provider about PKCE.',
    );
  }
}

/**
 * Map a metadata document whose issuer was already checked to a draft definition.
 *
 * Throws PatchbayError provider_error when an address the provider cannot work without (the token
 * endpoint; the authorization endpoint for the browser sign-in) is unusable, naming the member.
 */
export function draftFromMetadata(
  metadata: Record<string, unknown>,
  issuer: URL,
  options: { id?: string | undefined; name?: string | undefined },
): DraftFromMetadata {
  const notes: string[] = [];
  const remoteIssuer = !isLoopbackHost(issuer.hostname);
  const urls: Partial<Record<EndpointField, string>> = {};
  for (const field of Object.keys(METADATA_FIELDS) as EndpointField[]) {
    const { url, why } = endpoint(metadata[METADATA_FIELDS[field]], field, remoteIssuer);
    if (url) urls[field] = url;
    else if (why && (field === 'tokenUrl' || field === 'authorizationUrl')) {
      throw new PatchbayError(
        'provider_error',
        `The provider's metadata is not usable: ${why}. Patchbay did not use any of it; fill the form by hand or ask the provider.`,
        { field: 'issuer' },
      );
    } else if (why) notes.push(`Left out: ${why}.`);
  }
  if (!urls.tokenUrl) {
    throw new PatchbayError(
      'provider_error',
      "The provider's metadata has no token_endpoint, so Patchbay cannot get tokens from it. Fill the form by hand or ask the provider.",
      { field: 'issuer' },
    );
  }
  const name = options.name ?? nameFromIssuer(issuer);
  const draft: Record<string, unknown> = { id: options.id ?? idFromName(name), name, auth: 'oauth2' };
  // Without an authorization endpoint only the grants that need no browser are possible.
  if (!urls.authorizationUrl) {
    draft.grant = urls.deviceAuthorizationUrl ? 'device_code' : 'client_credentials';
    notes.push(
      `The provider has no authorization_endpoint, so the definition uses the grant "${String(draft.grant)}".`,
    );
  }
  Object.assign(draft, {
    authorizationUrl: urls.authorizationUrl,
    tokenUrl: urls.tokenUrl,
    deviceAuthorizationUrl: urls.deviceAuthorizationUrl,
    revocationUrl: urls.revocationUrl,
  });
  // RFC 9207: require `iss` on the sign-in return only where the provider promises to send it.
  if (metadata.authorization_response_iss_parameter_supported === true) draft.issuer = metadata.issuer;
  else
    notes.push('The provider does not say it names itself on the sign-in return (RFC 9207), so Issuer is left empty.');
  const scopes = chooseScopes(metadata, notes);
  if (scopes.length > 0) draft.scopes = scopes;
  choosePkce(metadata, notes);
  draft.pkce = true;
  draft.pkceMethodName = 'S256';
  const method = chooseTokenAuthMethod(metadata, notes);
  if (method) draft.tokenAuthMethod = method;
  if (urls.testUrl) {
    draft.testUrl = urls.testUrl;
    // OIDC userinfo (Core §5.1): "name" comes with the profile scope, "email" with email, "sub" always.
    draft.labelPath = scopes.includes('profile') ? 'name' : scopes.includes('email') ? 'email' : 'sub';
  } else {
    notes.push(
      'The provider has no userinfo_endpoint: add a Test URL so Patchbay can check connections and name accounts.',
    );
  }
  if (urls.docsUrl) draft.docsUrl = urls.docsUrl;
  for (const key of Object.keys(draft)) if (draft[key] === undefined) delete draft[key];
  return { draft, notes };
}
