/**
 * Hostile definition files and misleading answers, through the real CLI.
 *
 * A re-import that moves a provider's endpoints to another origin must not carry the existing
 * connection's tokens or the client secret there; what an import changes is shown; `pkce: false`
 * is warned about; reserved authorize parameters are matched whatever their case; and each of
 * the misleading messages an adversarial run found now has the right code, names the field and
 * says what to do.
 */
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectThroughCli, hostileEnv, startRecorder, type HostileEnv } from './providers/hostile';
import { acmeDefinition, acmeServerAndCli } from './providers/acme';
import { startOAuthServer, type OAuthServer, type OAuthServerOptions } from './providers/oauth-server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const CLIENT_SECRET = 'import-client-secret-4c1d8e22';

const definition = acmeDefinition;

async function connectedProvider(
  options: Partial<OAuthServerOptions> = {},
): Promise<{ server: OAuthServer; env: HostileEnv; id: string }> {
  const { server, env } = await acmeServerAndCli(cleanups, { clientSecret: CLIENT_SECRET, server: options });
  const run = await connectThroughCli(env.env, 'acme');
  expect(run.result.code, run.result.stderr).toBe(0);
  return { server, env, id: String((run.events.at(-1)?.connection as { id: string }).id) };
}

function lastError(stdout: string): { code: string; message: string; field?: string } {
  const lines = stdout.trim().split('\n');
  const last = JSON.parse(lines.at(-1) ?? '{}') as {
    error?: { code: string; message: string; field?: string };
    code?: string;
    message?: string;
    field?: string;
  };
  return (
    last.error ?? {
      code: String(last.code),
      message: String(last.message),
      ...(last.field ? { field: last.field } : {}),
    }
  );
}

/** A connected Acme, a recorder on another origin, and a definition file moving Acme's endpoints there. */
async function movedAway() {
  const connected = await connectedProvider();
  const elsewhere = await startRecorder();
  cleanups.push(() => elsewhere.close());
  const moved = await connected.env.file('moved.json', {
    ...definition(connected.server.base),
    tokenUrl: `${elsewhere.base}/token`,
    testUrl: `${elsewhere.base}/me`,
    revocationUrl: `${elsewhere.base}/revoke`,
  });
  return { ...connected, elsewhere, moved };
}

describe('re-importing a definition that moves endpoints to another origin', () => {
  it(
    'is refused without confirmation, naming the old and new hosts; nothing is sent to the new origin',
    { timeout: 120_000 },
    async () => {
      const { server, env, id, elsewhere, moved } = await movedAway();
      const refused = await env.cli(['providers', 'import', moved, '--json']);
      expect(refused.code).toBe(1);
      const error = lastError(refused.stdout);
      expect(error.code).toBe('invalid_input');
      expect(error.field).toBe('tokenUrl');
      expect(error.message).toContain(new URL(server.base).host);
      expect(error.message).toContain(new URL(elsewhere.base).host);
      expect(error.message).toContain('--allow-origin-change');
      // The existing connection still uses the old origin, and the new one hears nothing.
      expect((await env.cli(['test', id, '--json'])).code).toBe(0);
      expect((await env.cli(['refresh', id, '--json'])).code).toBe(0);
      expect(elsewhere.requests).toEqual([]);
    },
  );

  it(
    'once confirmed: the change is shown, the connection needs a new sign-in, the client secret is gone, and nothing reaches the new origin',
    { timeout: 120_000 },
    async () => {
      const { server, env, id, elsewhere, moved } = await movedAway();
      const accepted = await env.cli(['providers', 'import', moved, '--allow-origin-change']);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(/tokenUrl/);
      expect(accepted.stdout).toContain(`${server.base}/token`);
      expect(accepted.stdout).toContain(`${elsewhere.base}/token`);
      expect(accepted.stdout + accepted.stderr).toMatch(/sign in again|reconnect/i);

      const status = JSON.parse((await env.cli(['status', '--json'])).stdout) as Array<{ id: string; status: string }>;
      expect(status.find((c) => c.id === id)?.status).toBe('needs_reconnect');
      const providers = JSON.parse((await env.cli(['providers', '--json'])).stdout) as Array<{
        id: string;
        hasClientSecret: boolean;
      }>;
      expect(providers.find((p) => p.id === 'acme')?.hasClientSecret).toBe(false);
      expect((await env.keychain()).map((k) => k.account)).toEqual([]);

      await env.cli(['test', id, '--json']);
      await env.cli(['refresh', id, '--json']);
      await env.cli(['disconnect', id, '--json']);
      const sent = JSON.stringify(elsewhere.requests);
      for (const secret of [...server.accessTokens, ...server.refreshTokens, CLIENT_SECRET])
        expect(sent).not.toContain(secret);
      expect(elsewhere.requests).toEqual([]);
    },
  );

  it('an update shows what it changes before it is applied', { timeout: 60_000 }, async () => {
    const env = await hostileEnv();
    cleanups.push(env.cleanup);
    const base = 'https://acme.example';
    expect((await env.cli(['providers', 'import', await env.file('a.json', definition(base))])).code).toBe(0);
    const update = await env.cli([
      'providers',
      'import',
      await env.file('b.json', definition(base, { name: 'Acme CRM', scopes: ['read', 'write'] })),
    ]);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/name: "Acme" → "Acme CRM"/);
    expect(update.stdout).toMatch(/scopes: \["read"\] → \["read","write"\]/);
    const json = await env.cli([
      'providers',
      'import',
      await env.file('c.json', definition(base, { name: 'Acme 3', scopes: ['read', 'write'] })),
      '--json',
    ]);
    const out = JSON.parse(json.stdout) as {
      imported: Array<{ id: string; action: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
    };
    expect(out.imported[0]?.changes).toEqual([{ field: 'name', from: 'Acme CRM', to: 'Acme 3' }]);
  });
});

describe('honest guarantees', () => {
  it(
    'pkce: false is accepted for providers that reject PKCE, but warned about where it is set and shown',
    { timeout: 60_000 },
    async () => {
      const env = await hostileEnv();
      cleanups.push(env.cleanup);
      const imported = await env.cli([
        'providers',
        'import',
        await env.file('nopkce.json', definition('https://acme.example', { pkce: false })),
      ]);
      expect(imported.code).toBe(0);
      expect(imported.stderr).toMatch(/PKCE is off for Acme/);
      const list = await env.cli(['providers']);
      expect(list.stdout).toMatch(/acme .*PKCE off/);
      expect(await readFile(path.join(env.home, 'settings.json'), 'utf8')).toContain('"pkce": false');
    },
  );

  for (const key of ['Redirect_URI', 'STATE', 'Code_Challenge', 'SCOPE']) {
    it(`a reserved authorize parameter spelt "${key}" is refused, naming the field`, { timeout: 60_000 }, async () => {
      const env = await hostileEnv();
      cleanups.push(env.cleanup);
      const file = await env.file(
        'reserved.json',
        definition('https://acme.example', { extraAuthorizeParams: { [key]: 'https://evil.example/cb' } }),
      );
      const result = await env.cli(['providers', 'import', file, '--json']);
      expect(result.code).toBe(1);
      expect(lastError(result.stdout)).toMatchObject({ code: 'invalid_input', field: `extraAuthorizeParams.${key}` });
    });
  }
});

describe('wrong or unclear messages', () => {
  for (const [what, query] of [
    ['an empty code', (state: string) => `?code=&state=${state}`],
    ['a duplicated code', (state: string) => `?code=a1&code=b2&state=${state}`],
  ] as const) {
    it(
      `${what} in the callback: provider_error naming "code", and no token request`,
      { timeout: 120_000 },
      async () => {
        const server = await startOAuthServer({ clientId: 'acme-client', clientSecret: CLIENT_SECRET });
        cleanups.push(() => server.close());
        const env = await hostileEnv();
        cleanups.push(env.cleanup);
        expect(
          (await env.cli(['providers', 'import', await env.file('acme.json', definition(server.base))])).code,
        ).toBe(0);
        expect(
          (
            await env.cli(
              ['credentials', 'set', 'acme', '--client-id', 'acme-client', '--client-secret-stdin'],
              `${CLIENT_SECRET}\n`,
            )
          ).code,
        ).toBe(0);
        const run = await connectThroughCli(env.env, 'acme', {
          async beforeBrowser(authorizeUrl) {
            const redirect = String(authorizeUrl.searchParams.get('redirect_uri'));
            await fetch(`${redirect}${query(String(authorizeUrl.searchParams.get('state')))}`).then((r) => r.text());
          },
        });
        expect(run.result.code).toBe(1);
        const error = lastError(run.result.stdout);
        expect(error).toMatchObject({ code: 'provider_error', field: 'code' });
        expect(error.message).not.toMatch(/token answer/);
        expect(error.message).toMatch(/Run "patchbay connect acme"/);
        expect(server.counts.token).toBe(0);
      },
    );
  }

  it('a redirect from the token endpoint is named as a redirect of the Token URL', { timeout: 120_000 }, async () => {
    const server = await startOAuthServer({
      clientId: 'acme-client',
      clientSecret: CLIENT_SECRET,
      tokenRedirect: 'http://127.0.0.1:9/elsewhere',
    });
    cleanups.push(() => server.close());
    const env = await hostileEnv();
    cleanups.push(env.cleanup);
    expect((await env.cli(['providers', 'import', await env.file('acme.json', definition(server.base))])).code).toBe(0);
    expect(
      (
        await env.cli(
          ['credentials', 'set', 'acme', '--client-id', 'acme-client', '--client-secret-stdin'],
          `${CLIENT_SECRET}\n`,
        )
      ).code,
    ).toBe(0);
    const run = await connectThroughCli(env.env, 'acme');
    const error = lastError(run.result.stdout);
    expect(error).toMatchObject({ code: 'provider_error', field: 'tokenUrl' });
    expect(error.message).toMatch(/redirect/i);
    expect(error.message).not.toMatch(/empty/);
  });

  for (const key of ['token', 'password', 'api_key']) {
    it(
      `an extraAuthorizeParams key named "${key}" is refused as invalid_input naming the field`,
      { timeout: 60_000 },
      async () => {
        const env = await hostileEnv();
        cleanups.push(env.cleanup);
        const file = await env.file(
          'secretish.json',
          definition('https://acme.example', { extraAuthorizeParams: { [key]: 'x' } }),
        );
        const result = await env.cli(['providers', 'import', file, '--json']);
        expect(result.code).toBe(1);
        const error = lastError(result.stdout);
        expect(error).toMatchObject({ code: 'invalid_input', field: `extraAuthorizeParams.${key}` });
        expect(error.message).toMatch(/Remove it/);
      },
    );
  }

  it('a 600 MB import file is refused as too large without being read', { timeout: 60_000 }, async () => {
    // The CLI reports its own peak memory on exit: reading the file would take it past 600 MB.
    const rssFile = path.join(os.tmpdir(), `patchbay-rss-${process.pid}-${Date.now()}`);
    cleanups.push(() => rm(rssFile, { force: true }));
    const probe = `import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
    const env = await hostileEnv({ NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(probe)}` });
    cleanups.push(env.cleanup);
    const file = await env.file('huge.json', '');
    const handle = await open(file, 'r+');
    await handle.truncate(600 * 1024 * 1024);
    await handle.close();
    const result = await env.cli(['providers', 'import', file, '--json']);
    const peakKb = Number(await readFile(rssFile, 'utf8'));
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(300 * 1024);
    expect(result.code).toBe(1);
    expect(lastError(result.stdout)).toMatchObject({ code: 'invalid_input', field: 'file' });
    expect(lastError(result.stdout).message).toMatch(/larger than 1 MB/);
    await rm(file);
  });

  it(
    'without a keychain, test, refresh and disconnect do not claim "Nothing was saved"',
    { timeout: 120_000 },
    async () => {
      const { env, id } = await connectedProvider();
      const runtime = await mkdtemp(path.join(os.tmpdir(), 'patchbay-nodbus-'));
      cleanups.push(() => rm(runtime, { recursive: true, force: true }));
      const noKeychain: NodeJS.ProcessEnv = { ...env.env, XDG_RUNTIME_DIR: runtime };
      delete noKeychain.DBUS_SESSION_BUS_ADDRESS;
      delete noKeychain.DISPLAY;
      const { runCli } = await import('../helpers/cli');
      for (const command of ['test', 'refresh', 'disconnect']) {
        const result = await runCli([command, id, '--json'], noKeychain);
        expect(result.code).toBe(1);
        const error = lastError(result.stdout);
        expect(error.code).toBe('keychain_unavailable');
        expect(error.message).not.toMatch(/Nothing was saved/);
        expect(error.message).toMatch(/Nothing was changed/);
      }
      expect(JSON.parse((await env.cli(['status', '--json'])).stdout)).toHaveLength(1);
    },
  );

  it(
    'status --json on a settings file that had to be moved aside fails loudly instead of printing []',
    { timeout: 60_000 },
    async () => {
      const env = await hostileEnv();
      cleanups.push(env.cleanup);
      await writeFile(path.join(env.home, 'settings.json'), '{"schemaVersion": 1, "connections": [ {"id": ');
      const result = await env.cli(['status', '--json']);
      expect(result.code).toBe(1);
      const error = lastError(result.stdout);
      expect(error).toMatchObject({ code: 'invalid_input', field: 'settings' });
      expect(error.message).toMatch(/settings\.corrupt-.*\.json/);
    },
  );
});
