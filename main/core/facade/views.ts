/**
 * Records -> views: what the renderer, the CLI and the web host are allowed to see.
 *
 * Built from settings alone (never the keychain), so listing providers and connections and
 * `patchbay status` work even when the keychain is locked, and so no view can carry a secret.
 */
import type { Authorizer, ClientRecord, ConnectionRecord, ProviderRecord } from '../model/types';
import type {
  ConnectionStatus,
  ConnectionView,
  LastCheck,
  ProviderDefinition,
  ProviderView,
} from '../../../preload/contract';
import { providerText } from '../providers/provider-text';

/** A token that expires within this window shows as "expiring" and is refreshed ahead of time. */
export const EXPIRING_WINDOW_MS = 10 * 60 * 1000;

/**
 * Status of a connection at `now`.
 *
 * needs_reconnect and error are sticky (only a reconnect or a successful test/refresh clears
 * them); otherwise the status follows the access token's expiry.
 */
export function deriveStatus(record: Pick<ConnectionRecord, 'state' | 'expiresAt'>, now: number): ConnectionStatus {
  if (record.state === 'needs_reconnect') return 'needs_reconnect';
  if (record.state === 'error') return 'error';
  if (record.expiresAt === null) return 'connected';
  const at = Date.parse(record.expiresAt);
  if (Number.isNaN(at)) return 'connected';
  if (at <= now) return 'expired';
  if (at - now <= EXPIRING_WINDOW_MS) return 'expiring';
  return 'connected';
}

/** The view of one connection. */
export function toConnectionView(
  record: ConnectionRecord,
  providerName: string,
  now: number,
  renewsByClient = false,
): ConnectionView {
  return {
    id: record.id,
    providerId: record.providerId,
    providerName,
    auth: record.auth,
    // Stored labels are cleaned on the way in; a file written by an older build may not be.
    label: providerText(record.label, 120) || providerText(providerName, 120),
    status: deriveStatus(record, now),
    scopes: [...record.scopes],
    expiresAt: record.expiresAt,
    createdAt: record.createdAt,
    lastTestedAt: record.lastTest?.at ?? null,
    lastTest: record.lastTest ? { ...record.lastTest } : null,
    lastError: record.lastError ? { ...record.lastError } : null,
    // A client-credentials connection renews by asking again with the app's ID and secret.
    canRefresh: record.auth === 'oauth2' && (record.hasRefreshToken || renewsByClient),
    ...(record.lastVerifiedAt === undefined ? {} : { lastVerifiedAt: record.lastVerifiedAt }),
    ...(record.lastCheck === undefined ? {} : { lastCheck: viewOfCheck(record.lastCheck) }),
  };
}

/** A copy of a stored check, its sentence cleaned: a file written elsewhere may hold anything. */
function viewOfCheck(check: LastCheck): LastCheck {
  return {
    ...check,
    error: check.error ? { code: check.error.code, message: providerText(check.error.message, 600) } : null,
  };
}

/** Client ID a built-in provider ships with (the Sandbox's public client), if any. */
export type DefaultClientIds = Readonly<Record<string, string>>;

/** The view of one provider, with what is still missing before Connect can work. */
export function toProviderView(
  provider: ProviderRecord,
  client: ClientRecord | undefined,
  authorizer: Authorizer | undefined,
  defaults: DefaultClientIds,
): ProviderView {
  const def = provider.definition;
  const oauth = def.auth === 'oauth2';
  const clientId = client?.clientId || defaults[def.id] || null;
  return {
    id: def.id,
    name: def.name,
    auth: def.auth,
    builtIn: provider.builtIn,
    family: provider.family,
    documented: provider.documented,
    note: provider.note,
    definition: { ...def },
    // Only the browser sign-in comes back to a redirect URI; the other grants register none.
    redirectUri:
      oauth && authorizer && (def.grant ?? 'authorization_code') === 'authorization_code'
        ? authorizer.describeRedirectUri(def)
        : null,
    clientId: oauth ? clientId : null,
    hasClientSecret: oauth && client?.hasClientSecret === true,
    needs: !oauth ? null : !clientId ? 'client_id' : needsSecret(def, client) ? 'client_secret' : null,
    warnings: providerWarnings(def),
  };
}

/** A client-credentials provider signs in with its secret alone: without one, Connect cannot work. */
function needsSecret(def: ProviderDefinition, client: ClientRecord | undefined): boolean {
  return def.grant === 'client_credentials' && client?.hasClientSecret !== true;
}

/**
 * What a definition turned off that Patchbay's guarantees assume, in sentences for people.
 *
 * `pkce: false` stays possible for providers that reject PKCE, but it is never silent: without
 * it a stolen authorization code can be exchanged by whoever holds it.
 */
export function providerWarnings(def: ProviderDefinition): string[] {
  if (def.auth !== 'oauth2' || def.pkce !== false) return [];
  return [
    `PKCE is off for ${def.name} ("pkce": false), so an intercepted sign-in code could be used by someone else. Keep it off only if ${def.name} refuses PKCE.`,
  ];
}
