/**
 * The built-in provider catalog, as data.
 *
 * Every value carries a source comment: the provider doc listed in docs/providers.md
 * (checked November 2026), "third-party code" where that table says so, or "not documented:
 * editable default" where we had to pick something. Each family lists its documented method
 * first; the guide-style "OAuth 2.0 with your own app" stays available for every provider,
 * labelled as undocumented where it is, with URLs people can edit.
 */
import type { ProviderDefinition } from '../../../preload/contract';
import type { PatchbayConfig } from '../model/config';
import type { AccountPrompt, ProviderRecord } from '../model/types';
import { parseProviderDefinition } from './provider-schema';

/** The Sandbox's preconfigured public client (no secret; token endpoint auth "none"). */
export const SANDBOX_CLIENT_ID = 'patchbay-desktop';

/** The Sandbox's confidential machine client (client credentials; its practice secret is in docs/providers.md). */
export const SANDBOX_MACHINE_CLIENT_ID = 'patchbay-machine';

/** Client IDs Patchbay ships with, by provider id (only the Sandbox's clients). */
export const BUILT_IN_CLIENT_IDS: Readonly<Record<string, string>> = {
  sandbox: SANDBOX_CLIENT_ID,
  'sandbox-device': SANDBOX_CLIENT_ID,
  'sandbox-machine': SANDBOX_MACHINE_CLIENT_ID,
};

/** The providers served by the built-in Sandbox: talking to one of them starts it. */
export const SANDBOX_PROVIDER_IDS: ReadonlySet<string> = new Set(Object.keys(BUILT_IN_CLIENT_IDS));

const OWN_APP_NOTE = (name: string) =>
  `${name} does not document OAuth 2.0 in its public docs. Use this only if ${name} gave you an OAuth app; the sign-in and token addresses are guesses from an integration guide. If yours differ, import a custom provider with the right ones.`;

interface Entry {
  def: Omit<ProviderDefinition, 'auth'> & { auth: ProviderDefinition['auth'] };
  family: string;
  documented: boolean;
  note: string | null;
  /** The `prompt` value that shows the provider's account choice again; absent when not documented. */
  accountPrompt?: AccountPrompt;
}

function entries(config: PatchbayConfig): Entry[] {
  const issuer = config.sandboxIssuer;
  return [
    {
      family: 'sandbox',
      documented: true, // Patchbay's own provider (main/sandbox).
      accountPrompt: 'login', // oidc-provider implements OIDC prompt=login (a new sign-in even with a session).
      note: 'A practice provider that runs on this computer, so you can try a whole connection without an account anywhere.',
      def: {
        id: 'sandbox',
        name: 'Sandbox',
        auth: 'oauth2',
        issuer, // COMMON.md: the Sandbox's issuer is http://127.0.0.1:<port>.
        authorizationUrl: `${issuer}/auth`, // oidc-provider default route.
        tokenUrl: `${issuer}/token`, // oidc-provider default route.
        deviceAuthorizationUrl: `${issuer}/device/auth`, // For `connect sandbox --device`: oidc-provider default route.
        revocationUrl: `${issuer}/token/revocation`, // oidc-provider default route (RFC 7009).
        revocationStyle: 'rfc7009', // oidc-provider implements RFC 7009.
        tokenAuthMethod: 'none', // Public client SANDBOX_CLIENT_ID, PKCE required.
        scopes: ['openid', 'profile', 'email', 'offline_access'], // COMMON.md: the Sandbox's scopes.
        extraAuthorizeParams: { prompt: 'consent' }, // oidc-provider issues refresh tokens for offline_access only with consent.
        testUrl: `${issuer}/me`, // The Sandbox's "who am I" route.
        labelPath: 'name', // The Sandbox's /me answers with the OIDC "name" claim.
      },
    },
    {
      family: 'sandbox',
      documented: true, // Patchbay's own provider (main/sandbox).
      note: 'The Sandbox again, signing in with a code on another device (RFC 8628): for a computer without a usable browser, such as one you reach over SSH.',
      def: {
        id: 'sandbox-device',
        name: 'Sandbox (device code)',
        auth: 'oauth2',
        grant: 'device_code', // oidc-provider deviceFlow, enabled in main/sandbox/provider-config.ts.
        issuer,
        tokenUrl: `${issuer}/token`, // oidc-provider default route.
        deviceAuthorizationUrl: `${issuer}/device/auth`, // oidc-provider default route (device_authorization).
        revocationUrl: `${issuer}/token/revocation`, // oidc-provider default route (RFC 7009).
        revocationStyle: 'rfc7009', // oidc-provider implements RFC 7009.
        tokenAuthMethod: 'none', // The same public client SANDBOX_CLIENT_ID.
        scopes: ['openid', 'profile', 'email', 'offline_access'], // As the browser sign-in.
        testUrl: `${issuer}/me`, // The Sandbox's "who am I" route.
        labelPath: 'name', // The Sandbox's /me answers with the OIDC "name" claim.
      },
    },
    {
      family: 'sandbox',
      documented: true, // Patchbay's own provider (main/sandbox).
      note: "The Sandbox for machine-to-machine apps (client credentials): nobody signs in, Patchbay gets tokens with the app's client ID and secret. Set up with client ID patchbay-machine and the practice secret from Patchbay's provider docs.",
      def: {
        id: 'sandbox-machine',
        name: 'Sandbox (machine)',
        auth: 'oauth2',
        grant: 'client_credentials', // oidc-provider clientCredentials, enabled in main/sandbox/provider-config.ts.
        issuer,
        tokenUrl: `${issuer}/token`, // oidc-provider default route.
        revocationUrl: `${issuer}/token/revocation`, // oidc-provider default route (RFC 7009).
        revocationStyle: 'rfc7009', // oidc-provider implements RFC 7009.
        tokenAuthMethod: 'client_secret_basic', // The machine client is registered with client_secret_basic.
        testUrl: `${issuer}/machine/me`, // The Sandbox's "who am I" for client tokens (main/sandbox/server.ts).
        labelPath: 'client_id', // Names the client the token was issued to.
      },
    },
    {
      family: 'livechat',
      documented: true, // LiveChat: OAuth 2.1 code grant, with or without PKCE (agent-authorization).
      note: "LiveChat connects through an app you create in LiveChat's Developer Console: Patchbay needs its client ID and secret, and shows the one redirect address to register there. LiveChat wants that address exactly, and the desktop app and the browser both use it.",
      def: {
        id: 'livechat',
        name: 'LiveChat',
        auth: 'oauth2',
        authorizationUrl: 'https://accounts.livechat.com/', // docs/providers.md: the root (agent-authorization).
        tokenUrl: 'https://accounts.livechat.com/v2/token', // docs/providers.md: POST, form-encoded.
        tokenRequestFormat: 'form', // docs/providers.md: form-encoded.
        tokenAuthMethod: 'client_secret_post', // docs/providers.md: client_secret_post.
        pkce: true, // docs/providers.md: PKCE supported.
        pkceMethodName: 's256', // docs/providers.md: method documented as lower-case "s256".
        revocationUrl: 'https://accounts.livechat.com/v2/token', // docs/providers.md: DELETE with Bearer token.
        revocationStyle: 'livechat-delete', // docs/providers.md: not RFC 7009.
        scopeSeparator: ',', // docs/providers.md: scopes come back comma-separated; request form assumed the same (editable).
        scopes: [], // Not documented (docs/providers.md): add the scopes your LiveChat app was given.
        loopbackPort: 47616, // docs/providers.md: exact-match redirects, http://127.0.0.1:<fixed port> allowed; port not documented: editable default.
        errorPageUrl: 'https://accounts.livechat.com/ooops', // docs/providers.md: errors shown on /ooops?oauth_exception=...
        testUrl: 'https://accounts.livechat.com/v2/info', // docs/providers.md: cheap "who am I" call.
        labelPath: 'email', // A guess: the response fields of /v2/info are not documented (docs/providers.md).
        docsUrl: 'https://platform.text.com/docs/authorization/agent-authorization', // docs/providers.md, sources.
      },
    },
    {
      family: 'livestorm',
      documented: true, // docs/providers.md: everyone but technology partners uses an API token (api-token-authentication).
      note: 'Create an API token in your Livestorm account settings and paste it here.',
      def: {
        id: 'livestorm',
        name: 'Livestorm',
        auth: 'apiKey',
        apiKeyHeader: 'Authorization', // Not documented (docs/providers.md): editable default.
        apiKeyPrefix: '', // Not documented (docs/providers.md) (raw token): editable default.
        testUrl: 'https://api.livestorm.co/v1/me', // docs/providers.md: cheap "who am I" call.
        docsUrl: 'https://developers.livestorm.co/docs/api-token-authentication', // docs/providers.md, sources.
        apiKeyHelpUrl: 'https://developers.livestorm.co/docs/api-token-authentication', // docs/providers.md, sources.
      },
    },
    {
      family: 'livestorm',
      documented: false, // OAuth is documented for approved partners only; its URLs come from third-party code.
      note: 'Livestorm issues OAuth credentials to approved technology partners only. Its redirect address must be HTTPS, and the sign-in and token addresses come from third-party code: import a custom provider with the HTTPS redirect address registered with Livestorm (the app window catches it) and, if they differ, your addresses.',
      def: {
        id: 'livestorm-oauth',
        name: 'Livestorm — OAuth 2.0 with your own app',
        auth: 'oauth2',
        authorizationUrl: 'https://app.livestorm.co/oauth/authorize', // docs/providers.md: third-party code, not the official excerpt.
        tokenUrl: 'https://app.livestorm.co/oauth/token', // docs/providers.md: third-party code.
        tokenRequestFormat: 'form', // Not documented: editable default.
        tokenAuthMethod: 'client_secret_post', // Not documented: editable default.
        pkce: true, // Not documented: editable default.
        testUrl: 'https://api.livestorm.co/v1/me', // docs/providers.md: cheap "who am I" call.
        docsUrl: 'https://developers.livestorm.co/docs/oauth2-authentication', // docs/providers.md, sources.
      },
    },
    {
      family: 'landbot',
      documented: true, // docs/providers.md: API token only (dev.landbot.io/guides/authentication).
      note: 'Landbot tokens never expire and cannot be rotated. To check a token, Patchbay lists your Landbot channels.',
      def: {
        id: 'landbot',
        name: 'Landbot',
        auth: 'apiKey',
        apiKeyHeader: 'Authorization', // docs/providers.md: header Authorization.
        apiKeyPrefix: 'Token ', // docs/providers.md: "Token <token>", no Bearer.
        testUrl: 'https://api.landbot.io/v1/channels/', // docs/providers.md: cheap call (no identity endpoint).
        docsUrl: 'https://dev.landbot.io/guides/authentication', // docs/providers.md, sources.
        apiKeyHelpUrl: 'https://dev.landbot.io/guides/authentication', // docs/providers.md, sources.
      },
    },
    ownApp(
      'landbot',
      'Landbot',
      'https://app.landbot.io',
      'https://api.landbot.io/v1/channels/',
      'https://dev.landbot.io/guides/authentication',
    ),
    {
      family: 'respondio',
      documented: true, // docs/providers.md: API access token only (docs.respond.io/developer-api).
      note: "Create the token in respond.io under Settings > Integration > Developer API. To check a token, Patchbay asks respond.io for your workspace's users; if that check fails while respond.io works for you, the token may still be fine.",
      def: {
        id: 'respondio',
        name: 'respond.io',
        auth: 'apiKey',
        apiKeyHeader: 'Authorization', // docs/providers.md: Authorization: Bearer <token>.
        apiKeyPrefix: 'Bearer ', // docs/providers.md: Bearer.
        testUrl: 'https://api.respond.io/v2/space/user', // Not documented: editable default.
        docsUrl: 'https://docs.respond.io/developer-api', // docs/providers.md, sources.
        apiKeyHelpUrl: 'https://docs.respond.io/developer-api', // docs/providers.md, sources.
      },
    },
    ownApp(
      'respondio',
      'respond.io',
      'https://app.respond.io',
      'https://api.respond.io/v2/space/user',
      'https://docs.respond.io/developer-api',
    ),
    {
      family: 'webinargeek',
      documented: true, // docs/providers.md: API token only (static.webinargeek.com/api-documentation.html).
      note: 'Find the API key in your WebinarGeek account settings under Advanced. To check a key, Patchbay lists your webinars.',
      def: {
        id: 'webinargeek',
        name: 'WebinarGeek',
        auth: 'apiKey',
        apiKeyHeader: 'Api-Token', // docs/providers.md: header Api-Token: <key>.
        apiKeyPrefix: '', // docs/providers.md: the key alone.
        testUrl: 'https://app.webinargeek.com/api/v2/webinars', // Not documented: editable default.
        docsUrl: 'https://static.webinargeek.com/api-documentation.html', // docs/providers.md, sources.
        apiKeyHelpUrl: 'https://static.webinargeek.com/api-documentation.html', // docs/providers.md, sources.
      },
    },
    ownApp(
      'webinargeek',
      'WebinarGeek',
      'https://app.webinargeek.com',
      'https://app.webinargeek.com/api/v2/webinars',
      'https://static.webinargeek.com/api-documentation.html',
    ),
  ];
}

/** The guide-style OAuth entry of a provider that documents no OAuth. */
function ownApp(family: string, name: string, appBase: string, testUrl: string, docsUrl: string): Entry {
  return {
    family,
    documented: false, // docs/providers.md: the guide's OAuth URLs are not in the provider's docs.
    note: OWN_APP_NOTE(name),
    def: {
      id: `${family}-oauth`,
      name: `${name} — OAuth 2.0 with your own app`,
      auth: 'oauth2',
      authorizationUrl: `${appBase}/oauth/authorize`, // Integration guide (app.<provider>/oauth/...); not documented: editable default.
      tokenUrl: `${appBase}/oauth/token`, // Integration guide; not documented: editable default.
      tokenRequestFormat: 'json', // Integration guide posts JSON bodies (axios); not documented: editable default.
      tokenAuthMethod: 'client_secret_post', // Integration guide sends the secret in the body; not documented.
      pkce: true, // Not documented: editable default (servers without PKCE ignore it).
      testUrl, // Same cheap call as the API-key method; whether it accepts OAuth tokens is not documented.
      docsUrl, // docs/providers.md, sources.
    },
  };
}

/**
 * The built-in providers for this configuration (the Sandbox's URLs depend on its port).
 *
 * Each definition goes through the same validation as an import, so the catalog can never hold
 * what a person could not have typed, and gets the same defaults.
 */
export function builtInProviders(config: PatchbayConfig): ProviderRecord[] {
  return entries(config).map(toRecord);
}

/**
 * One built-in provider by id, or null: validated the same way, without validating the others
 * (a command about one connection need not pay for the whole catalog).
 */
export function builtInProvider(config: PatchbayConfig, id: string): ProviderRecord | null {
  const entry = entries(config).find((e) => e.def.id === id);
  return entry ? toRecord(entry) : null;
}

function toRecord(e: Entry): ProviderRecord {
  return {
    definition: parseProviderDefinition(e.def),
    builtIn: true,
    family: e.family,
    documented: e.documented,
    // LiveChat, Livestorm and the own-app guides document no prompt parameter: none is sent.
    accountPrompt: e.accountPrompt ?? null,
    note: e.note,
  };
}
