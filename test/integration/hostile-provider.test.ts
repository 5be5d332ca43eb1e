/**
 * A hostile provider on 127.0.0.1, attacked through the real CLI (one process per command).
 *
 * The provider echoes the request's credentials into the label field, puts terminal escape
 * sequences into names and labels, returns absurd numbers (expires_in 1e13 / 1e300), 110,000
 * scopes and a 900 KB access token, and someone on the machine sends forged callbacks to the
 * loopback listener. Each test states what a person must still be able to rely on.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_CHARS, ESCAPES, connectThroughCli, hostileEnv, type HostileEnv } from './providers/hostile';
import { acmeServerAndCli } from './providers/acme';
import type { OAuthServer, OAuthServerOptions } from './providers/oauth-server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const CLIENT_SECRET = 'acme-client-secret-7f3e9a51';
const YEAR_MS = 366 * 24 * 3600 * 1000;

/** A provider server, imported and given a client ID and secret through the CLI. */
async function provider(
  options: Partial<OAuthServerOptions> = {},
  extra: Record<string, unknown> = {},
  envExtra: NodeJS.ProcessEnv = {},
): Promise<{ server: OAuthServer; env: HostileEnv }> {
  return acmeServerAndCli(cleanups, { clientSecret: CLIENT_SECRET, server: options, definition: extra, env: envExtra });
}

async function settingsText(env: HostileEnv): Promise<string> {
  return readFile(path.join(env.home, 'settings.json'), 'utf8');
}

/** Every output channel and file a secret must not reach. */
async function everywhere(env: HostileEnv, outputs: string[]): Promise<string> {
  const status = await env.cli(['status']);
  const statusJson = await env.cli(['status', '--json']);
  return [await settingsText(env), status.stdout, status.stderr, statusJson.stdout, ...outputs].join('\n');
}

describe('labels never carry a secret', () => {
  it(
    'a "who am I" answer that echoes the Authorization header does not put the access token in the label, settings, status or test output',
    { timeout: 120_000 },
    async () => {
      const { server, env } = await provider({ meAnswer: (authorization) => ({ name: authorization }) });
      const run = await connectThroughCli(env.env, 'acme');
      expect(run.result.code, run.result.stderr).toBe(0);
      const connection = run.events.at(-1)?.connection as { id: string; label: string };
      const test = await env.cli(['test', connection.id]);
      const testJson = await env.cli(['test', connection.id, '--json']);
      const seen = await everywhere(env, [
        run.result.stdout,
        run.result.stderr,
        test.stdout,
        test.stderr,
        testJson.stdout,
      ]);
      expect(server.accessTokens.size).toBeGreaterThan(0);
      for (const token of [...server.accessTokens, ...server.refreshTokens, CLIENT_SECRET])
        expect(seen).not.toContain(token);
      expect(connection.label).toBe('Acme');
    },
  );

  it(
    'an API-key provider that echoes the key into the label does not get the key stored or shown',
    { timeout: 120_000 },
    async () => {
      const key = 'echoed-api-key-2b7d9c41e0';
      const echo = http.createServer((req, res) => {
        res
          .writeHead(req.headers['api-token'] === key ? 200 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ account: { name: `Key ${String(req.headers['api-token'])}` } }));
      });
      await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
      cleanups.push(() => new Promise((resolve) => echo.close(() => resolve())));
      const base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
      const env = await hostileEnv();
      cleanups.push(env.cleanup);
      const def = {
        id: 'echo-key',
        name: 'Echo',
        auth: 'apiKey',
        apiKeyHeader: 'Api-Token',
        testUrl: `${base}/me`,
        labelPath: 'account.name',
      };
      expect((await env.cli(['providers', 'import', await env.file('echo.json', def)])).code).toBe(0);
      const connect = await env.cli(['connect', 'echo-key', '--api-key-stdin'], `${key}\n`);
      expect(connect.code, connect.stderr).toBe(0);
      const test = await env.cli(['test', 'echo-key']);
      const seen = await everywhere(env, [connect.stdout, connect.stderr, test.stdout, test.stderr]);
      expect(seen).not.toContain(key);
    },
  );
});

describe('terminal injection', () => {
  it(
    'escape sequences and forged lines in a provider name and a label never reach the terminal or the settings file',
    { timeout: 120_000 },
    async () => {
      const { env } = await provider({ meAnswer: () => ({ name: `Ada${ESCAPES}` }) }, { name: `Acme${ESCAPES}` });
      const providers = await env.cli(['providers']);
      const child = await connectThroughCli(env.env, 'acme');
      expect(child.result.code, child.result.stderr).toBe(0);
      const id = String((child.events.at(-1)?.connection as { id: string }).id);
      const human = [
        providers,
        await env.cli(['status']),
        await env.cli(['test', id]),
        await env.cli(['refresh', id]),
        await env.cli(['disconnect', id]),
      ];
      for (const out of human) {
        const text = out.stdout + out.stderr;
        expect(text).not.toMatch(CONTROL_CHARS);
        expect(text.split('\n').some((line) => line.startsWith('FORGED'))).toBe(false);
      }
      const stored = JSON.parse(await settingsText(env)) as { providers: Array<{ name: string }> };
      expect(stored.providers[0]?.name).not.toMatch(CONTROL_CHARS);
      expect(stored.providers[0]?.name).toMatch(/^Acme/);
    },
  );

  it('a label with escape sequences is stored and shown without them', { timeout: 120_000 }, async () => {
    const { env } = await provider({ meAnswer: () => ({ name: `Ada${ESCAPES}` }) });
    const run = await connectThroughCli(env.env, 'acme');
    expect(run.result.code, run.result.stderr).toBe(0);
    const status = await env.cli(['status']);
    expect(status.stdout).not.toMatch(CONTROL_CHARS);
    const stored = JSON.parse(await settingsText(env)) as { connections: Array<{ label: string }> };
    expect(stored.connections[0]?.label).toMatch(/^Ada/);
    expect(stored.connections[0]?.label).not.toMatch(CONTROL_CHARS);
  });
});

describe('numbers from a provider are bounded', () => {
  it('expires_in 1e13 on connect: connected, expiry at most a year away', { timeout: 120_000 }, async () => {
    const { env } = await provider({ tokenExtra: { expires_in: 1e13 } });
    const run = await connectThroughCli(env.env, 'acme');
    expect(run.result.code, run.result.stdout + run.result.stderr).toBe(0);
    const connection = run.events.at(-1)?.connection as { expiresAt: string };
    expect(Date.parse(connection.expiresAt) - Date.now()).toBeLessThanOrEqual(YEAR_MS);
  });

  it('expires_in 1e300 on refresh: refreshed, expiry at most a year away', { timeout: 120_000 }, async () => {
    const { server, env } = await provider();
    const run = await connectThroughCli(env.env, 'acme');
    expect(run.result.code).toBe(0);
    server.options.tokenExtra = { expires_in: 1e300 };
    const refresh = await env.cli(['refresh', 'acme', '--json']);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    const { connection } = JSON.parse(refresh.stdout) as { connection: { expiresAt: string; status: string } };
    expect(connection.status).toBe('connected');
    expect(Date.parse(connection.expiresAt) - Date.now()).toBeLessThanOrEqual(YEAR_MS);
    const test = await env.cli(['test', 'acme', '--json']);
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true });
  });

  it(
    'a failure after a successful exchange (no keychain) revokes the issued tokens and says so',
    { timeout: 120_000 },
    async () => {
      const runtime = await mkdtemp(path.join(os.tmpdir(), 'patchbay-nodbus-'));
      cleanups.push(() => rm(runtime, { recursive: true, force: true }));
      const { server, env } = await provider({ clientAuth: 'none' }, { tokenAuthMethod: 'none' });
      const noKeychain: NodeJS.ProcessEnv = { ...env.env, XDG_RUNTIME_DIR: runtime };
      delete noKeychain.DBUS_SESSION_BUS_ADDRESS;
      delete noKeychain.DISPLAY;
      const run = await connectThroughCli(noKeychain, 'acme');
      expect(run.result.code).not.toBe(0);
      expect(server.counts.code).toBe(1);
      const last = run.events.at(-1) as { event: string; code: string; message: string };
      expect(last).toMatchObject({ event: 'error', code: 'keychain_unavailable' });
      expect(server.accessTokens.size).toBe(0);
      expect(server.refreshTokens.size).toBe(0);
      expect(server.revoked.length).toBeGreaterThanOrEqual(1);
      expect(last.message).toMatch(/revoked/i);
    },
  );
});

describe('a forged callback does not end the real sign-in', () => {
  it(
    'wrong-state and stray callbacks get an error page; the listener keeps waiting and the real callback connects',
    { timeout: 120_000 },
    async () => {
      const { server, env } = await provider();
      const pages: Array<{ status: number; body: string }> = [];
      const run = await connectThroughCli(env.env, 'acme', {
        async beforeBrowser(authorizeUrl) {
          const redirect = new URL(String(authorizeUrl.searchParams.get('redirect_uri')));
          for (const query of ['?code=forged&state=wrong', '?code=forged', '?error=access_denied&state=nope']) {
            const res = await fetch(`${redirect.href}${query}`);
            pages.push({ status: res.status, body: await res.text() });
          }
        },
      });
      expect(pages.map((p) => p.status)).toEqual([400, 400, 400]);
      for (const page of pages) expect(page.body).toMatch(/did not match|not the sign-in/i);
      expect(run.result.code, run.result.stdout + run.result.stderr).toBe(0);
      expect(run.events.at(-1)).toMatchObject({ event: 'connected' });
      expect(server.counts.code).toBe(1);
    },
  );
});

/** How long a plain connect takes in `env` on this machine right now (the yardstick for size tests). */
async function plainConnectMs(env: HostileEnv): Promise<number> {
  const started = Date.now();
  const run = await connectThroughCli(env.env, 'acme');
  expect(run.result.code, run.result.stderr).toBe(0);
  return Date.now() - started;
}

describe('what is stored per connection is bounded', () => {
  it(
    '110,000 scopes: connects quickly, keeps a bounded list, a small settings file, and says the list was cut',
    { timeout: 120_000 },
    async () => {
      // Short names keep the answer under the 1 MiB body limit, so it is the scope bound that is tested.
      const scopes = Array.from({ length: 110_000 }, (_, i) => `s${i}`).join(' ');
      const { server, env } = await provider();
      const baseline = await plainConnectMs(env);
      server.options.meName = 'Grace Hopper';
      server.options.tokenExtra = { scope: scopes };
      const started = Date.now();
      const run = await connectThroughCli(env.env, 'acme');
      const elapsed = Date.now() - started;
      expect(run.result.code, run.result.stderr).toBe(0);
      // Unbounded, this took 10 to 17 times a plain connect on the same machine.
      expect(elapsed / baseline).toBeLessThan(4);
      const connection = run.events.at(-1)?.connection as { scopes: string[] };
      expect(connection.scopes.length).toBeGreaterThan(0);
      expect(connection.scopes.length).toBeLessThanOrEqual(200);
      expect((await settingsText(env)).length).toBeLessThan(64 * 1024);
      const notice = run.events.find((e) => e.event === 'notice');
      expect(String(notice?.message)).toMatch(/110,?000 scopes/);
      expect(String(notice?.message)).toMatch(/kept the first/i);
    },
  );

  it(
    'a 900 KB access token is refused with a clear sentence, revoked, and nothing is stored',
    { timeout: 120_000 },
    async () => {
      const huge = `at-${'x'.repeat(900 * 1024)}`;
      const { server, env } = await provider();
      const baseline = await plainConnectMs(env);
      const kept = await env.keychain();
      const settingsBefore = JSON.parse(await settingsText(env)) as { connections: unknown[] };
      const refreshTokensBefore = server.refreshTokens.size;
      server.options.meName = 'Grace Hopper';
      server.options.tokenExtra = { access_token: huge };
      const started = Date.now();
      const run = await connectThroughCli(env.env, 'acme');
      // Unbounded, this took about a minute (dozens of plain connects) on the 2-core test machine.
      expect((Date.now() - started) / baseline).toBeLessThan(4);
      expect(run.result.code).not.toBe(0);
      const last = run.events.at(-1) as { event: string; code: string; message: string };
      expect(last).toMatchObject({ event: 'error', code: 'provider_error' });
      expect(last.message).toMatch(/access token/i);
      expect(last.message).toMatch(/revoked/i);
      expect(server.revoked.length).toBeGreaterThanOrEqual(1);
      expect(server.refreshTokens.size).toBe(refreshTokensBefore);
      expect(await env.keychain()).toEqual(kept);
      expect(JSON.parse(await settingsText(env))).toMatchObject({ connections: settingsBefore.connections });
    },
  );
});
