/**
 * One PATCHBAY_HOME with connections ready to be used by `request`, `token` and `exec`, run as
 * real CLI processes against local providers on the real keyring.
 *
 * - "acme": OAuth with rotating refresh tokens; its API lives on another origin (apiBaseUrl).
 * - "acme-short": like "acme", but its access tokens live `shortTtlSeconds` (default 62): due for
 *   refresh (60 s ahead of expiry) a moment after they are issued.
 * - "acme-key": an API key sent as `Api-Token: Key <key>`; no apiBaseUrl (the test URL's origin).
 * - "foreign": a server no provider owns; it must never see a request.
 * Every CLI run's output is kept (except `token`'s stdout, where the token belongs) for the
 * final "no secret anywhere else" scan.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import {
  type CliEnv,
  type CliResult,
  cliEnv,
  collect,
  firstJsonLine,
  jsonLines,
  runCli,
  spawnCli,
} from '../../helpers/cli';
import { SecretScan } from '../../helpers/secret-scan';
import { startApiKeyServer, type SimpleServer } from './api-key-server';
import { followRedirects } from './browser';
import { acmeDefinition } from './acme';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server';
import { startResourceServer, type ResourceServer } from './resource-server';

export const API_KEY = 'use-api-key-5c1e9a7d20b84f63';

export interface UseFixture {
  cli: CliEnv;
  service: string;
  oauth: OAuthServer;
  oauthShort: OAuthServer;
  api: ResourceServer;
  keyApi: ResourceServer;
  foreign: SimpleServer;
  scan: SecretScan;
  outputs: Array<{ where: string; text: string }>;
  /** Run the CLI; its stdout and stderr join the scanned outputs unless `tokenOut` (token's stdout). */
  run(args: string[], input?: string, options?: { tokenOut?: boolean }): Promise<CliResult>;
  /** Connect an OAuth provider through the CLI; returns the connection id. */
  connectOAuth(providerId: string): Promise<string>;
  close(): Promise<void>;
}

/** Start the servers, import the providers and connect "acme" and "acme-key". */
export async function startUseFixture(options: { shortTtlSeconds?: number } = {}): Promise<UseFixture> {
  const cli = await cliEnv();
  const oauthOptions: OAuthServerOptions = {
    clientId: 'acme-client',
    clientSecret: 'use-client-secret-8d2f61',
    rotateRefresh: true,
  };
  const oauth = await startOAuthServer(oauthOptions);
  const oauthShort = await startOAuthServer({
    ...oauthOptions,
    expiresIn: options.shortTtlSeconds ?? 62,
    meName: 'Short Lived',
  });
  const foreign = await startApiKeyServer({ header: 'authorization', scheme: '', key: 'never', path: '/' });
  const live = (token: string) => oauth.accessTokens.has(token) || oauthShort.accessTokens.has(token);
  const api = await startResourceServer({
    accepts: (v) => v.startsWith('Bearer ') && live(v.slice(7)),
    redirectTo: `${foreign.base}/`,
  });
  const keyApi = await startResourceServer({ credentialHeader: 'api-token', accepts: (v) => v === `Key ${API_KEY}` });
  const scan = new SecretScan();
  const outputs: UseFixture['outputs'] = [];
  const service = String(cli.env.PATCHBAY_KEYCHAIN_SERVICE);
  const fixture: UseFixture = {
    cli,
    service,
    oauth,
    oauthShort,
    api,
    keyApi,
    foreign,
    scan,
    outputs,
    async run(args, input = '', options = {}) {
      const result = await runCli(args, cli.env, input);
      outputs.push({ where: `patchbay ${args.join(' ')} (stderr)`, text: result.stderr });
      if (!options.tokenOut) outputs.push({ where: `patchbay ${args.join(' ')} (stdout)`, text: result.stdout });
      return result;
    },
    async connectOAuth(providerId) {
      const child = spawnCli(['connect', providerId, '--no-open', '--json'], cli.env);
      child.stdin.end();
      const done = collect(child);
      const first = await firstJsonLine(child);
      const callback = await followRedirects(new URL(String(first.url)));
      scan.add('authorization code', callback.searchParams.get('code'));
      const result = await done;
      outputs.push({ where: `patchbay connect ${providerId}`, text: result.stdout + result.stderr });
      expect(result.code, result.stderr).toBe(0);
      const id = String((jsonLines(result.stdout).at(-1)?.connection as { id: string }).id);
      await scan.addConnection(service, id);
      return id;
    },
    async close() {
      await Promise.all([oauth.close(), oauthShort.close(), api.close(), keyApi.close(), foreign.close()]);
      await cli.cleanup();
    },
  };
  const defs = path.join(cli.home, 'import-me.json');
  await writeFile(
    defs,
    JSON.stringify([
      acmeDefinition(oauth.base, { labelPath: undefined, scopes: undefined, apiBaseUrl: `${api.base}/v1` }),
      acmeDefinition(oauthShort.base, {
        id: 'acme-short',
        name: 'Acme Short',
        revocationUrl: undefined,
        labelPath: undefined,
        scopes: undefined,
        apiBaseUrl: `${api.base}/v1`,
      }),
      {
        id: 'acme-key',
        name: 'Acme Key',
        auth: 'apiKey',
        apiKeyHeader: 'Api-Token',
        apiKeyPrefix: 'Key ',
        testUrl: `${keyApi.base}/v1/me`,
      },
    ]),
  );
  expect((await fixture.run(['providers', 'import', defs])).code).toBe(0);
  expect(
    (
      await fixture.run(
        ['credentials', 'set', 'acme', '--client-id', 'acme-client', '--client-secret-stdin'],
        'use-client-secret-8d2f61\n',
      )
    ).code,
  ).toBe(0);
  expect(
    (
      await fixture.run(
        ['credentials', 'set', 'acme-short', '--client-id', 'acme-client', '--client-secret-stdin'],
        'use-client-secret-8d2f61\n',
      )
    ).code,
  ).toBe(0);
  scan.add('client secret', 'use-client-secret-8d2f61');
  scan.add('api key', API_KEY);
  return fixture;
}
