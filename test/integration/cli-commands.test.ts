/**
 * The CLI's other commands as real child processes: providers (list and import), credentials,
 * API-key connect against a small local server, usage errors and exit codes, `status` without
 * any keychain, and no secret in any output or file. Run inside test/with-keyring.sh.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { type CliEnv, type CliResult, cliEnv, jsonLines, runCli } from '../helpers/cli';

const envs: CliEnv[] = [];
afterEach(async () => {
  while (envs.length > 0) await envs.pop()?.cleanup();
});
async function setup(): Promise<CliEnv> {
  const env = await cliEnv();
  envs.push(env);
  return env;
}

async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

const GOOD_KEY = `key-${randomBytes(12).toString('hex')}`;
let apiServer: Server;
let apiBase: string;

beforeAll(async () => {
  apiServer = createServer((req, res) => {
    if (req.url === '/me' && req.headers.authorization === `Token ${GOOD_KEY}`) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Jane at Acme' }));
    } else {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    }
  });
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => apiServer.close(resolve));
});

async function importAcmeKey(env: CliEnv): Promise<CliResult> {
  const file = path.join(env.home, 'acme.json');
  await writeFile(
    file,
    JSON.stringify({
      id: 'acme-key',
      name: 'Acme Key',
      auth: 'apiKey',
      apiKeyHeader: 'Authorization',
      apiKeyPrefix: 'Token ',
      testUrl: `${apiBase}/me`,
      labelPath: 'name',
    }),
  );
  return runCli(['providers', 'import', file, '--json'], env.env);
}

describe('patchbay providers', { timeout: 120_000 }, () => {
  it('lists the built-in providers as JSON and as sentences', async () => {
    const { env } = await setup();
    const json = await runCli(['providers', '--json'], env);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as Array<{ id: string; auth: string; needs: string | null }>;
    expect(list.find((p) => p.id === 'sandbox')).toMatchObject({ auth: 'oauth2', needs: null });
    expect(list.find((p) => p.id === 'landbot')).toMatchObject({ auth: 'apiKey' });
    const human = await runCli(['providers'], env);
    expect(human.stdout).toMatch(/^sandbox\s+Sandbox \(OAuth 2\.0\): ready$/m);
    expect(human.stdout).toContain('patchbay credentials set livechat --client-id <id>');
  });

  it('imports a file (upsert by id) and reports each provider', async () => {
    const env = await setup();
    const first = await importAcmeKey(env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      imported: [{ id: 'acme-key', name: 'Acme Key', action: 'added', changes: [] }],
    });
    const file = path.join(env.home, 'two.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          id: 'acme-key',
          name: 'Acme Key Renamed',
          auth: 'apiKey',
          apiKeyHeader: 'Authorization',
          testUrl: `${apiBase}/me`,
        },
        {
          id: 'acme-oauth',
          name: 'Acme OAuth',
          authorizationUrl: 'https://acme.example/oauth/authorize',
          tokenUrl: 'https://acme.example/oauth/token',
        },
      ]),
    );
    const second = await runCli(['providers', 'import', file], env.env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Updated provider acme-key (Acme Key Renamed).');
    expect(second.stdout).toContain('Added provider acme-oauth (Acme OAuth).');
    const ids = (JSON.parse((await runCli(['providers', '--json'], env.env)).stdout) as Array<{ id: string }>).map(
      (p) => p.id,
    );
    expect(ids.filter((id) => id.startsWith('acme'))).toEqual(['acme-key', 'acme-oauth']);
  });

  it('rejects a definition with a bad URL with invalid_input naming the field, and imports nothing', async () => {
    const env = await setup();
    const file = path.join(env.home, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        id: 'broken',
        name: 'Broken',
        authorizationUrl: 'https://broken.example/auth',
        tokenUrl: 'http://broken.example/token',
      }),
    );
    const json = await runCli(['providers', 'import', file, '--json'], env.env);
    expect(json.code).toBe(1);
    const { error } = JSON.parse(json.stdout) as { error: { code: string; field: string; message: string } };
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('tokenUrl');
    expect(error.message).toContain('https://');
    const human = await runCli(['providers', 'import', file], env.env);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain('Token URL');
    const ids = (JSON.parse((await runCli(['providers', '--json'], env.env)).stdout) as Array<{ id: string }>).map(
      (p) => p.id,
    );
    expect(ids).not.toContain('broken');
  });

  it('reports a missing file as not_found', async () => {
    const { env } = await setup();
    const result = await runCli(['providers', 'import', '/nonexistent/providers.json', '--json'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('patchbay credentials set', { timeout: 120_000 }, () => {
  it('needs --client-id (usage error naming the flag, exit 2)', async () => {
    const { env } = await setup();
    const json = await runCli(['credentials', 'set', 'livechat', '--json'], env);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'invalid_input', field: '--client-id' } });
    const human = await runCli(['credentials', 'set', 'livechat'], env);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('--client-id');
  });

  it('saves the client ID in settings and the secret from stdin in the keychain only', async () => {
    const env = await setup();
    const secret = `secret-${randomBytes(12).toString('hex')}`;
    const result = await runCli(
      ['credentials', 'set', 'livechat', '--client-id', 'my-app-id', '--client-secret-stdin', '--json'],
      env.env,
      `${secret}\n`,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ providerId: 'livechat', clientId: 'my-app-id', hasClientSecret: true });
    const providers = JSON.parse((await runCli(['providers', '--json'], env.env)).stdout) as Array<{
      id: string;
      clientId: string;
      needs: unknown;
    }>;
    expect(providers.find((p) => p.id === 'livechat')).toMatchObject({ clientId: 'my-app-id', needs: null });
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(await allText(env.home)).not.toContain(secret);
  });

  it('refuses an empty secret on stdin', async () => {
    const { env } = await setup();
    const result = await runCli(
      ['credentials', 'set', 'livechat', '--client-id', 'x', '--client-secret-stdin', '--json'],
      env,
      '',
    );
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { field: '--client-secret-stdin' } });
  });
});

describe('patchbay connect with an API key', { timeout: 120_000 }, () => {
  it('tests the key from stdin, saves it, and never prints or writes it', async () => {
    const env = await setup();
    expect((await importAcmeKey(env)).code).toBe(0);
    const result = await runCli(['connect', 'acme-key', '--api-key-stdin', '--json'], env.env, GOOD_KEY);
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['connected']);
    expect(events[0]?.connection).toMatchObject({
      providerId: 'acme-key',
      label: 'Jane at Acme',
      status: 'connected',
      expiresAt: null,
    });

    const test = await runCli(['test', 'acme-key', '--json'], env.env);
    expect(test.code).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true, httpStatus: 200 });
    for (const r of [result, test]) expect(r.stdout + r.stderr).not.toContain(GOOD_KEY);
    expect(await allText(env.home)).not.toContain(GOOD_KEY);
  });

  it('saves nothing when the provider rejects the key', async () => {
    const env = await setup();
    await importAcmeKey(env);
    const result = await runCli(['connect', 'acme-key', '--api-key-stdin', '--json'], env.env, 'wrong-key-0000');
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)).toEqual([expect.objectContaining({ event: 'error', code: 'invalid_client' })]);
    expect(result.stdout + result.stderr).not.toContain('wrong-key-0000');
    expect(JSON.parse((await runCli(['status', '--json'], env.env)).stdout)).toEqual([]);
  });

  it('asks for --api-key-stdin instead of taking a key any other way', async () => {
    const env = await setup();
    await importAcmeKey(env);
    const result = await runCli(['connect', 'acme-key', '--json'], env.env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'invalid_input', field: '--api-key-stdin' } });
    const extra = await runCli(['connect', 'acme-key', GOOD_KEY], env.env);
    expect(extra.code).toBe(2);
  });

  it('shows status without opening the keychain at all', async () => {
    const env = await setup();
    await importAcmeKey(env);
    expect((await runCli(['connect', 'acme-key', '--api-key-stdin'], env.env, GOOD_KEY)).code).toBe(0);
    const noKeychain = { ...env.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const status = await runCli(['status', '--json'], noKeychain);
    expect(status.code).toBe(0);
    const list = JSON.parse(status.stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0] ?? {})).toEqual([
      'id',
      'providerId',
      'label',
      'status',
      'scopes',
      'expiresAt',
      'lastTestedAt',
      'lastError',
    ]);
    // The same broken keychain makes a command that needs it fail with keychain_unavailable.
    const test = await runCli(['test', 'acme-key', '--json'], noKeychain);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('keychain_unavailable');
  });
});

describe('patchbay usage', { timeout: 120_000 }, () => {
  it('exits 2 for an unknown option in a real process, naming the option', async () => {
    const { env } = await setup();
    const badFlag = await runCli(['status', '--verbose'], env);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--verbose');
  });

  it('reports an unknown provider or connection as not_found', async () => {
    const { env } = await setup();
    const [connect, refresh] = await Promise.all([
      runCli(['connect', 'nope', '--json'], env),
      runCli(['refresh', 'nope', '--json'], env),
    ]);
    expect(connect.code).toBe(1);
    expect(jsonLines(connect.stdout)).toEqual([expect.objectContaining({ event: 'error', code: 'not_found' })]);
    expect(refresh.code).toBe(1);
    expect(JSON.parse(refresh.stdout)).toMatchObject({ error: { code: 'not_found' } });
  });
});
