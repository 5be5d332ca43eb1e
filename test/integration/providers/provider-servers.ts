/**
 * Servers shaped like the documented providers (docs/providers.md), and catalog definitions pointed
 * at them: the engine is tested with the catalog's own settings, only the host differs.
 */
import { builtInProviders } from '../../../main/core/providers/catalog';
import { resolveConfig } from '../../../main/core/model/config';
import type { ProviderDefinition } from '../../../preload/contract';
import { startApiKeyServer, type SimpleServer } from './api-key-server';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server';

/** LiveChat: `/` authorize, form + client_secret_post at POST /v2/token, DELETE /v2/token to revoke,
 * /v2/info, errors on /ooops, comma-separated scopes, string expires_in, region-prefixed tokens. */
export function startLiveChatLikeServer(extra: Partial<OAuthServerOptions> = {}): Promise<OAuthServer> {
  return startOAuthServer({
    clientId: 'livechat-client-id',
    clientSecret: 'livechat-secret-0a9b',
    clientAuth: 'client_secret_post',
    format: 'form',
    paths: { authorize: '/', token: '/v2/token', revoke: '/v2/token', me: '/v2/info', errorPage: '/ooops' },
    commaScopes: true,
    expiresIn: '28800',
    tokenPrefix: 'dal:',
    revokeStyle: 'delete',
    meEmail: 'agent@livechat.test',
    ...extra,
  });
}

/** A catalog definition with every https://<host> of the provider replaced by `base`. */
export function catalogDefinition(
  id: string,
  base: string,
  change: Partial<ProviderDefinition> = {},
): ProviderDefinition {
  const found = builtInProviders(resolveConfig({})).find((p) => p.definition.id === id);
  if (!found) throw new Error(`no catalog provider ${id}`);
  const rewrite = (value: string | undefined) =>
    value === undefined ? undefined : value.replace(/^https:\/\/[^/]+/, base);
  const def: ProviderDefinition = { ...found.definition, id: `${id}-local`, name: `${found.definition.name} (local)` };
  for (const key of ['authorizationUrl', 'tokenUrl', 'revocationUrl', 'testUrl', 'errorPageUrl'] as const) {
    const next = rewrite(def[key]);
    if (next === undefined) delete def[key];
    else def[key] = next;
  }
  return { ...def, ...change };
}

/** Landbot: `Authorization: Token <key>` on /v1/channels/ (Bearer is refused). */
export function startLandbotLikeServer(key: string): Promise<SimpleServer> {
  return startApiKeyServer({
    header: 'authorization',
    scheme: 'Token ',
    key,
    path: '/v1/channels/',
    answer: { channels: [{ name: 'Main' }] },
  });
}

/** WebinarGeek: `Api-Token: <key>` on /api/v2/webinars. */
export function startWebinarGeekLikeServer(key: string): Promise<SimpleServer> {
  return startApiKeyServer({
    header: 'api-token',
    scheme: '',
    key,
    path: '/api/v2/webinars',
    answer: [{ title: 'Launch' }],
  });
}
