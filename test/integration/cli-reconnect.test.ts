/**
 * A connection whose secret vanished from the keychain, seen from the CLI: the first command that
 * finds it missing marks it needs_reconnect for every later command, its messages name commands
 * (never buttons), and `connect --reconnect` replaces it in place (same id and label, new tokens).
 * Run inside test/with-keyring.sh (real Secret Service).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasActionSlot } from '../../preload/action-words';
import { type CliEnv, cliEnv, collect, firstJsonLine, jsonLines, runCli, spawnCli } from '../helpers/cli';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { createKeytarVault } from '../../main/core/storage/vault';
import { connectThroughCli, hostileEnv } from './providers/hostile';
import { acmeThroughCli } from './providers/acme';
import { startOAuthServer } from './providers/oauth-server';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';

const envs: CliEnv[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopEmbeddedSandboxes();
  while (envs.length > 0) await envs.pop()?.cleanup();
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** `connect sandbox --no-open --json [extra]`, signed in on the Sandbox's pages; resolves with the events. */
async function connectSandbox(env: NodeJS.ProcessEnv, extra: string[] = [], deny = false) {
  const child = spawnCli(['connect', 'sandbox', '--no-open', '--json', ...extra], env);
  child.stdin.end();
  const done = collect(child);
  const first = await firstJsonLine(child);
  expect(first.event).toBe('authorize');
  const callback = await completeSandboxSignIn(new URL(String(first.url)), { deny });
  await (await fetch(callback)).text();
  const result = await done;
  return { code: result.code, events: jsonLines(result.stdout), stderr: result.stderr };
}

/** Everything a person or script reads from the CLI: no button names and no unfilled slot. */
function expectCliWords(text: string): void {
  expect(text).not.toMatch(/\bClick\b|\bclick\b|Open Set up/);
  expect(hasActionSlot(text)).toBe(false);
}

describe('a connection whose keychain entry is gone', { timeout: 180_000 }, () => {
  it('is marked needs_reconnect by the first test, and connect --reconnect replaces it in place', async () => {
    const setup = await cliEnv();
    envs.push(setup);
    const { env } = setup;
    const connected = await connectSandbox(env);
    expect(connected.code).toBe(0);
    const original = connected.events[1]?.connection as { id: string; label: string };
    expect(original.label).toBe('Acme');

    // Another keyring, or a wiped one: the secret is gone, the settings still list the connection.
    const vault = createKeytarVault(String(env.PATCHBAY_KEYCHAIN_SERVICE));
    await vault.deleteConnectionSecret(original.id);

    const test = await runCli(['test', original.id, '--json'], env);
    expect(test.code).toBe(1);
    const tested = JSON.parse(test.stdout) as {
      ok: boolean;
      error: { code: string; message: string };
      connection: { status: string };
    };
    expect(tested.ok).toBe(false);
    expect(tested.connection.status).toBe('needs_reconnect');
    expect(tested.error.message).toContain(
      `Run "patchbay connect sandbox --reconnect ${original.id}" to sign in again.`,
    );
    expectCliWords(test.stdout);

    // Every later reader sees it at once, without touching the keychain.
    const status = await runCli(['status', '--json'], env);
    const listed = JSON.parse(status.stdout) as Array<{ id: string; status: string; lastError: { message: string } }>;
    expect(listed).toMatchObject([{ id: original.id, status: 'needs_reconnect' }]);
    expectCliWords(status.stdout);
    const human = await runCli(['status'], env);
    expect(human.stdout).toContain(`${original.id}: Acme (Sandbox), needs to be connected again`);
    expectCliWords(human.stdout);

    const reconnected = await connectSandbox(env, ['--reconnect', original.id]);
    expect(reconnected.code).toBe(0);
    expect(reconnected.events[1]?.connection).toMatchObject({
      id: original.id,
      label: 'Acme',
      status: 'connected',
      lastError: null,
    });
    const after = JSON.parse((await runCli(['status', '--json'], env)).stdout) as Array<{ id: string }>;
    expect(after.map((c) => c.id)).toEqual([original.id]);
    expect(await vault.getConnectionSecret(original.id)).toMatchObject({ kind: 'oauth2' });
    const retest = await runCli(['test', original.id, '--json'], env);
    expect(retest.code).toBe(0);
  });

  it('refresh marks it too, and a refused sign-in tells the terminal which command to run', async () => {
    const setup = await cliEnv();
    envs.push(setup);
    const { env } = setup;
    const connected = await connectSandbox(env);
    const id = (connected.events[1]?.connection as { id: string }).id;
    await createKeytarVault(String(env.PATCHBAY_KEYCHAIN_SERVICE)).deleteConnectionSecret(id);

    const refresh = await runCli(['refresh', id], env);
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toContain(`Run "patchbay connect sandbox --reconnect ${id}"`);
    expectCliWords(refresh.stderr);
    const listed = JSON.parse((await runCli(['status', '--json'], env)).stdout) as Array<{ status: string }>;
    expect(listed[0]?.status).toBe('needs_reconnect');

    const denied = await connectSandbox(env, ['--reconnect', id], true);
    expect(denied.code).toBe(1);
    const error = denied.events.at(-1) as { event: string; code: string; message: string };
    expect(error).toMatchObject({ event: 'error', code: 'access_denied' });
    expect(error.message).toBe(
      'You said no at Sandbox, so nothing was connected. Run "patchbay connect sandbox --reconnect ' +
        id +
        '" to try again.',
    );
    const wrong = await runCli(['connect', 'sandbox', '--reconnect', 'sandbox-nope', '--no-open', '--json'], env);
    expect(wrong.code).toBe(1);
    expect(jsonLines(wrong.stdout).at(-1)).toMatchObject({ event: 'error', code: 'not_found' });
  });
});

describe('signing in again as an account that is already connected', { timeout: 180_000 }, () => {
  it('is refused as duplicate_account, and the tokens issued for it are revoked, not left live', async () => {
    const secret = 'duplicate-account-secret-4b1c';
    const server = await startOAuthServer({ clientId: 'acme-client', clientSecret: secret });
    cleanups.push(() => server.close());
    const env = await hostileEnv();
    cleanups.push(env.cleanup);
    await acmeThroughCli(env, server, secret);
    const first = await connectThroughCli(env.env, 'acme');
    expect(first.result.code, first.result.stderr).toBe(0);
    const kept = [...server.accessTokens];
    expect(kept).toHaveLength(1);

    const again = await connectThroughCli(env.env, 'acme');
    expect(again.result.code).toBe(1);
    const error = again.events.at(-1) as { event: string; code: string; message: string };
    expect(error).toMatchObject({ event: 'error', code: 'duplicate_account' });
    expect(error.message).toContain('which is already connected, so Patchbay saved nothing new.');
    expect(error.message).toContain('The tokens Acme had just issued were revoked.');
    // Only the first connection's token is still live; the refused one was revoked at the provider.
    expect([...server.accessTokens]).toEqual(kept);
    expect(server.counts.revoke).toBeGreaterThan(0);
    const status = JSON.parse((await env.cli(['status', '--json'])).stdout) as unknown[];
    expect(status).toHaveLength(1);
    expect((await env.keychain()).filter((c) => c.account.startsWith('connection:'))).toHaveLength(1);
  });
});
