/**
 * "Acme": the OAuth provider most integration tests connect to, one definition for an
 * oauth-server.ts instance, set up either in-process (a harness core) or through the real CLI.
 *
 * The set-up is the same in every such test; what differs is in the test itself (server options,
 * a field of the definition, the client secret each test makes up so a leak points at its test).
 */
import { expect } from 'vitest';
import type { ProviderDefinition } from '../../../preload/contract';
import type { Harness } from './harness';
import { hostileEnv, type HostileEnv } from './hostile';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server';

/** The client ID every Acme server is started with. */
export const ACME_CLIENT_ID = 'acme-client';

/** Acme's definition for a server at `base`; `extra` overrides or removes (undefined) fields. */
export function acmeDefinition(base: string, extra: Record<string, unknown> = {}): ProviderDefinition {
  const def: Record<string, unknown> = {
    id: 'acme',
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    revocationUrl: `${base}/revoke`,
    testUrl: `${base}/me`,
    labelPath: 'name',
    scopes: ['read'],
    ...extra,
  };
  for (const key of Object.keys(def)) if (def[key] === undefined) delete def[key];
  return def as unknown as ProviderDefinition;
}

/** Save Acme and its client ID and secret in a harness core. */
export async function acmeInHarness(
  harness: Harness,
  server: OAuthServer,
  clientSecret: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await harness.core.saveProvider(acmeDefinition(server.base, extra));
  await harness.core.setClientCredentials({ providerId: 'acme', clientId: ACME_CLIENT_ID, clientSecret });
}

/**
 * Import Acme and set its client ID (and secret, unless null: a public client) through the CLI,
 * as a person would; each step must succeed.
 */
export async function acmeThroughCli(
  env: HostileEnv,
  server: OAuthServer,
  clientSecret: string | null,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const imported = await env.cli([
    'providers',
    'import',
    await env.file('acme.json', acmeDefinition(server.base, extra)),
  ]);
  expect(imported.code, imported.stderr).toBe(0);
  const creds =
    clientSecret === null
      ? await env.cli(['credentials', 'set', 'acme', '--client-id', ACME_CLIENT_ID])
      : await env.cli(
          ['credentials', 'set', 'acme', '--client-id', ACME_CLIENT_ID, '--client-secret-stdin'],
          `${clientSecret}\n`,
        );
  expect(creds.code, creds.stderr).toBe(0);
}

/** What `acmeServerAndCli` sets up: an Acme server (rotating refresh tokens) and a CLI environment. */
export interface AcmeSetup {
  clientSecret: string;
  server?: Partial<OAuthServerOptions>;
  definition?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Start an Acme server, make a fresh CLI environment (home and keychain service) and set Acme up
 * in it through the CLI; `cleanups` gets what closes both. A server started with client
 * authentication "none" is a public client: no secret is stored.
 */
export async function acmeServerAndCli(
  cleanups: Array<() => Promise<void>>,
  setup: AcmeSetup,
): Promise<{ server: OAuthServer; env: HostileEnv }> {
  const server = await startOAuthServer({
    clientId: ACME_CLIENT_ID,
    clientSecret: setup.clientSecret,
    rotateRefresh: true,
    ...setup.server,
  });
  cleanups.push(() => server.close());
  const env = await hostileEnv(setup.env);
  cleanups.push(env.cleanup);
  const publicClient = setup.server?.clientAuth === 'none';
  await acmeThroughCli(env, server, publicClient ? null : setup.clientSecret, setup.definition);
  return { server, env };
}
