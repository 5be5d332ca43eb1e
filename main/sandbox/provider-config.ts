/**
 * The oidc-provider configuration of the Patchbay Sandbox.
 *
 * One preconfigured public native client ("patchbay-desktop") so nobody types a client ID;
 * PKCE S256 required; refresh tokens issued to it and rotated on every use; revocation on;
 * short access-token lifetimes available for tests. The same client may also sign in with a code
 * on another device (RFC 8628), and a second, confidential client ("patchbay-machine") gets
 * tokens for itself with the client credentials grant. Option names follow oidc-provider 9.
 */
import type { Adapter, Provider } from 'oidc-provider';
import {
  renderDeviceCodePage,
  renderDeviceConfirmPage,
  renderDeviceDonePage,
  sendToContext,
  xsrfFrom,
} from './device-pages';
import { renderErrorPage } from './pages';

/** The Sandbox's one client. Same string as SANDBOX_CLIENT_ID in main/core/providers/catalog.ts. */
export const SANDBOX_CLIENT_ID = 'patchbay-desktop';
/** The Sandbox's machine-to-machine client (client credentials). Same string as in the catalog. */
export const SANDBOX_MACHINE_CLIENT_ID = 'patchbay-machine';
/**
 * The machine client's secret. Published on purpose: the Sandbox only listens on 127.0.0.1 and
 * holds practice accounts, and people need the secret to try a client-credentials connection.
 * For local testing only; it protects nothing.
 */
export const SANDBOX_MACHINE_CLIENT_SECRET = 'sandbox-machine-secret-for-local-testing-only';
/** RFC 8628's grant type name, as oidc-provider registers it. */
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Redirect URIs registered for the client; loopback ports are free per RFC 8252 §7.3. */
export const SANDBOX_REDIRECT_URIS = ['http://127.0.0.1/callback', 'patchbay://oauth/callback'];
/** Scopes the Sandbox knows, with the plain words the consent page shows for each. */
export const SANDBOX_SCOPE_WORDS: Record<string, string> = {
  openid: 'Confirm which account you signed in with',
  profile: 'See your account name',
  email: 'See your email address',
  offline_access: 'Stay connected until you disconnect, without signing in again',
};
/** Name of the discovery field that tells a probe "this is a Patchbay Sandbox". */
export const SANDBOX_MARKER = 'patchbay_sandbox';
/** Default access-token lifetime (PATCHBAY_SANDBOX_TOKEN_TTL overrides it). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

const DAY = 24 * 60 * 60;
const ACCOUNT_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u;

/** The account a name typed on the sign-in page stands for, or null when the name is unusable. */
export function normaliseAccountName(raw: string): string | null {
  const name = raw.trim().replace(/\s+/g, ' ');
  return ACCOUNT_NAME.test(name) ? name : null;
}

/** The claims of a Sandbox account: the account id is the name typed at sign-in. */
export function accountClaims(accountId: string): { sub: string; name: string; email: string } {
  const local =
    accountId
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '.')
      .replace(/^\.+|\.+$/g, '') || 'user';
  return { sub: accountId, name: accountId, email: `${local}@sandbox.patchbay.test` };
}

/** What the device-flow render hooks use of oidc-provider's Koa context. */
interface KoaContext {
  body: unknown;
  status: number;
  type: string;
  set(name: string, value: string): void;
  oidc: { urlFor(name: string): string; client?: { clientName?: string; clientId: string } };
}
/** The re-render error oidc-provider passes to the code page (a wrong, expired or used code). */
type DeviceError = { name?: string; userCode?: unknown };

export interface SandboxConfigInput {
  adapter: (model: string) => Adapter;
  jwks: { keys: Array<Record<string, unknown>> };
  cookieKeys: string[];
  tokenTtlSeconds: number;
}

/** Build the configuration object passed to `new Provider(issuer, configuration)`. */
export function buildProviderConfiguration(input: SandboxConfigInput): Record<string, unknown> {
  const ttl = input.tokenTtlSeconds;
  return {
    adapter: input.adapter,
    jwks: input.jwks,
    cookies: { keys: input.cookieKeys },
    clients: [
      {
        client_id: SANDBOX_CLIENT_ID,
        client_name: 'Patchbay',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
        response_types: ['code'],
        redirect_uris: SANDBOX_REDIRECT_URIS,
      },
      {
        client_id: SANDBOX_MACHINE_CLIENT_ID,
        client_secret: SANDBOX_MACHINE_CLIENT_SECRET,
        client_name: 'Patchbay machine client',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      if (normaliseAccountName(sub) !== sub) return undefined;
      return { accountId: sub, claims: async () => accountClaims(sub) };
    },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    scopes: Object.keys(SANDBOX_SCOPE_WORDS),
    features: {
      devInteractions: { enabled: false },
      // Only the client a token was issued to may revoke it; others get the RFC 7009 "200, nothing
      // happened" answer, since a public client cannot prove who it is.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: {
        enabled: true,
        // Ten letters from a 20-letter alphabet without vowels (oidc-provider's default, RFC 8628 §6.1).
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx: KoaContext, form: string, _out: unknown, err?: DeviceError) => {
          sendToContext(ctx, renderDeviceCodePage(ctx.oidc.urlFor('code_verification'), xsrfFrom(form), err));
        },
        userCodeConfirmSource: async (
          ctx: KoaContext,
          form: string,
          client: { clientName?: string; clientId: string },
          _deviceInfo: unknown,
          userCode: string,
        ) => {
          sendToContext(ctx, renderDeviceConfirmPage(form, client.clientName ?? client.clientId, userCode));
        },
        successSource: async (ctx: KoaContext) => {
          const client = ctx.oidc.client;
          sendToContext(ctx, renderDeviceDonePage(client?.clientName ?? client?.clientId ?? 'The device'));
        },
      },
    },
    pkce: { required: () => true },
    routes: { revocation: '/token/revocation', userinfo: '/me' },
    // Refresh tokens for every client allowed the grant, with or without offline_access, rotated
    // on each use (the old one is refused afterwards), and not tied to the browser session.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // A grant is only the one just consented to, never one found in the browser session: every
    // authorization gets its own grant (and a consent page), so connections stay independent.
    loadExistingGrant: async (ctx: { oidc: { result?: { consent?: { grantId?: string } }; provider: Provider } }) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    expiresWithSession: async () => false,
    // Same machine, same clock: expire tokens exactly when `expires_in` says.
    clockTolerance: 0,
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      DeviceCode: 10 * 60,
      IdToken: ttl,
      AuthorizationCode: 60,
      RefreshToken: 30 * DAY,
      Grant: 30 * DAY,
      Session: 14 * DAY,
      Interaction: 60 * 60,
    },
    clientBasedCORS: () => false,
    discovery: { [SANDBOX_MARKER]: true },
    renderError: async (
      ctx: { type: string; body: string; set(name: string, value: string): void },
      out: Record<string, string>,
    ) => {
      const page = renderErrorPage(out.error_description ?? out.error ?? 'The request could not be completed.');
      for (const [name, value] of Object.entries(page.headers)) ctx.set(name, value);
      ctx.type = 'html';
      ctx.body = page.html;
    },
  };
}
