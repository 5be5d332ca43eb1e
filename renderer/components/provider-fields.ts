/**
 * The fields of the provider editor: what each one is called, which kind of provider and which
 * way of getting a token shows it, and how the form's text turns into a definition and back.
 *
 * Kept apart from the dialog so the list of fields reads as one table. Fields the form does not
 * show are kept from the definition being edited (or the looked-up draft), never dropped.
 */
import type { OAuthGrant, ProviderDefinition } from '../../preload/contract';

/** Form values by field name; "auth" is "oauth2" or "apiKey". */
export type Form = Record<string, string>;

export interface FieldSpec {
  name: keyof ProviderDefinition;
  label: string;
  hint?: string;
  only?: 'oauth2' | 'apiKey';
  placeholder?: string;
  /** Optional only for this kind of provider (the Test URL is required for API keys). */
  optionalFor?: 'oauth2' | 'apiKey' | 'both';
  inputMode?: 'numeric';
  /** A choice from a list instead of free text: [value, words] pairs, the first one the default. */
  options?: Array<[value: string, words: string]>;
  /** OAuth fields that only one way of getting a token uses (the sign-in page, its return port). */
  grants?: OAuthGrant[];
}

/** The three ways an OAuth 2.0 connection gets its token, in people's words. */
export const GRANTS: Array<{ value: OAuthGrant; label: string }> = [
  { value: 'authorization_code', label: 'A person signs in in a browser' },
  { value: 'device_code', label: 'A person enters a code on another device' },
  { value: 'client_credentials', label: "The app's own client ID and secret (machine to machine)" },
];

export const FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', placeholder: 'Acme CRM' },
  { name: 'id', label: 'ID', hint: 'Lowercase letters, digits and dashes, e.g. "acme-crm". It cannot change later.' },
  {
    name: 'authorizationUrl',
    label: 'Authorization URL',
    only: 'oauth2',
    placeholder: 'https://acme.example/oauth/authorize',
    grants: ['authorization_code'],
  },
  { name: 'tokenUrl', label: 'Token URL', only: 'oauth2', placeholder: 'https://acme.example/oauth/token' },
  {
    name: 'deviceAuthorizationUrl',
    label: 'Device authorization endpoint',
    only: 'oauth2',
    placeholder: 'https://acme.example/oauth/device',
    grants: ['device_code', 'authorization_code'],
    hint: 'Where sign-ins with a code on another device start (RFC 8628). Optional unless people sign in that way.',
  },
  { name: 'revocationUrl', label: 'Revocation URL', only: 'oauth2', optionalFor: 'both' },
  { name: 'scopes', label: 'Scopes', only: 'oauth2', optionalFor: 'both', hint: 'Separated by spaces.' },
  {
    name: 'tokenAuthMethod',
    label: 'Token auth method',
    only: 'oauth2',
    options: [
      ['client_secret_post', 'Client secret in the request body (client_secret_post)'],
      ['client_secret_basic', 'Client secret in the Authorization header (client_secret_basic)'],
      ['none', 'No client secret: a public app (none)'],
    ],
  },
  {
    name: 'issuer',
    label: 'Issuer',
    only: 'oauth2',
    optionalFor: 'both',
    hint: 'When set, every sign-in must come back naming this issuer (RFC 9207), which stops another provider passing itself off as this one. Leave empty if the provider does not send it.',
  },
  {
    name: 'loopbackPort',
    label: 'Fixed port for the sign-in return',
    only: 'oauth2',
    optionalFor: 'both',
    inputMode: 'numeric',
    placeholder: '47616',
    grants: ['authorization_code'],
    hint: 'Only if the provider accepts one exact redirect address. Empty: Patchbay picks a free port each time you connect.',
  },
  {
    name: 'apiKeyHeader',
    label: 'API key header',
    only: 'apiKey',
    placeholder: 'Authorization',
    hint: 'e.g. Authorization or Api-Token',
  },
  {
    name: 'apiKeyPrefix',
    label: 'API key prefix',
    only: 'apiKey',
    optionalFor: 'both',
    hint: 'e.g. "Bearer" or "Token"; empty sends the key alone.',
  },
  {
    name: 'testUrl',
    label: 'Test URL',
    optionalFor: 'oauth2',
    hint: 'A cheap "who am I" address Patchbay calls to test the connection.',
  },
  {
    name: 'apiBaseUrl',
    label: 'API base URL',
    optionalFor: 'both',
    hint: 'Where Try a request and "patchbay request" paths go, e.g. https://api.acme.example/v2. Default: the test URL\'s origin. Tokens are only sent to the provider\'s own addresses.',
  },
  {
    name: 'labelPath',
    label: 'Account name path',
    optionalFor: 'both',
    hint: 'Where the account name is in the test answer, e.g. "email" or "data.name".',
  },
  { name: 'docsUrl', label: 'Docs URL', optionalFor: 'both' },
  { name: 'apiKeyHelpUrl', label: '"Where do I find my key" URL', only: 'apiKey', optionalFor: 'both' },
];

/** The label as shown: optional fields say so. */
export function labelOf(f: FieldSpec, auth: string, grant: string): string {
  const optional =
    f.optionalFor === 'both' ||
    f.optionalFor === auth ||
    (f.name === 'deviceAuthorizationUrl' && grant !== 'device_code');
  return optional ? `${f.label} (optional)` : f.label;
}

/** Whether the form shows a field for this kind of provider and way of getting a token. */
export function fieldShown(f: FieldSpec, form: Form): boolean {
  if (f.only && f.only !== form.auth) return false;
  return form.auth !== 'oauth2' || !f.grants || f.grants.includes((form.grant ?? 'authorization_code') as OAuthGrant);
}

/** The redirect address to register, as far as it is known before Patchbay connects. */
export function redirectText(port: string): string {
  return /^\d+$/.test(port.trim())
    ? `Register http://127.0.0.1:${port.trim()}/callback as the redirect URI at the provider.`
    : 'Register http://127.0.0.1/callback as the redirect URI: the port is chosen when you connect, which providers that match addresses loosely accept. Set a fixed port above if the provider wants one exact address.';
}

export function toForm(def: ProviderDefinition | null): Form {
  const form: Form = { auth: def?.auth ?? 'oauth2', grant: def?.grant ?? 'authorization_code' };
  for (const f of FIELDS) {
    const value = def?.[f.name];
    if (f.name === 'scopes') form.scopes = (def?.scopes ?? []).join(' ');
    else if (f.name === 'loopbackPort')
      form.loopbackPort = def?.loopbackPort === undefined ? '' : String(def.loopbackPort);
    else if (f.name === 'apiKeyPrefix') form.apiKeyPrefix = (def?.apiKeyPrefix ?? '').trim();
    else form[f.name] = typeof value === 'string' ? value : (f.options?.[0]?.[0] ?? '');
  }
  return form;
}

/** Build the definition from the form, keeping fields this form does not show. */
export function toDefinition(form: Form, base: ProviderDefinition | null): Record<string, unknown> {
  const def: Record<string, unknown> = { ...(base ?? {}), auth: form.auth };
  delete def.grant;
  if (form.auth === 'oauth2') def.grant = form.grant || 'authorization_code';
  for (const f of FIELDS) {
    delete def[f.name];
    if (!fieldShown(f, form)) continue;
    const value = (form[f.name] ?? '').trim();
    // Name and ID are always sent, so an empty one is reported as empty, in this form's words.
    if (value === '' && f.name !== 'name' && f.name !== 'id') continue;
    if (f.name === 'scopes') def.scopes = value.split(/\s+/);
    else if (f.name === 'loopbackPort') def.loopbackPort = /^\d+$/.test(value) ? Number(value) : value;
    else if (f.name === 'apiKeyPrefix') def.apiKeyPrefix = `${value} `;
    else def[f.name] = value;
  }
  return def;
}
