/**
 * Crash windows of a connect, and locks left behind by killed processes, with real CLI children.
 *
 * A `patchbay connect` process is SIGKILLed between the keychain write and the settings write
 * (the provider's "who am I" answer is held back, so the record waits for it) and in the middle
 * of a chunked keychain write. What it left must not stay behind as live tokens nobody can see
 * or disconnect: the next start finds it and revokes or deletes it. A `patchbay refresh` killed
 * while holding its lock must not make the next command wait in silence.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, firstJsonLine, spawnCli } from '../helpers/cli';
import { followRedirects } from './providers/browser';
import { connectThroughCli, type HostileEnv } from './providers/hostile';
import { acmeServerAndCli } from './providers/acme';
import type { OAuthServer, OAuthServerOptions } from './providers/oauth-server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const CLIENT_SECRET = 'crash-connect-secret-9d2e';

async function setup(options: Partial<OAuthServerOptions> = {}): Promise<{ server: OAuthServer; env: HostileEnv }> {
  return acmeServerAndCli(cleanups, { clientSecret: CLIENT_SECRET, server: options });
}

async function waitFor<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 30_000, everyMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Start a connect, play the browser, and SIGKILL the child once `killWhen` sees the keychain state it wants. */
async function killedConnect(env: HostileEnv, killWhen: (accounts: string[]) => boolean): Promise<string> {
  const child = spawnCli(['connect', 'acme', '--no-open', '--json'], env.env);
  child.stdin.end();
  const done = collect(child);
  const first = await firstJsonLine(child);
  void followRedirects(new URL(String(first.url))).catch(() => undefined);
  await waitFor(async () => (killWhen((await env.keychain()).map((c) => c.account)) ? true : null), 'the crash point');
  child.kill('SIGKILL');
  const result = await done;
  expect(child.signalCode).toBe('SIGKILL');
  return result.stdout;
}

describe('connect killed between the keychain write and the settings write', () => {
  it(
    'the next start revokes and deletes the orphaned token set; status and the keychain agree',
    { timeout: 150_000 },
    async () => {
      let open: () => void = () => undefined;
      const { server, env } = await setup({ meGate: new Promise<void>((resolve) => (open = resolve)) });
      cleanups.push(async () => open());
      const stdout = await killedConnect(env, (accounts) => accounts.some((a) => a.startsWith('connection:')));
      expect(stdout).not.toContain('"connected"');
      const orphan = (await env.keychain()).find((c) => c.account.startsWith('connection:'));
      expect(orphan).toBeDefined();
      const orphanTokens = JSON.parse(String(orphan?.password)) as { accessToken: string };
      expect(server.accessTokens.has(orphanTokens.accessToken)).toBe(true);
      open();

      // The person tries again: the new start cleans up what the killed one left.
      const again = await connectThroughCli(env.env, 'acme');
      expect(again.result.code, again.result.stderr).toBe(0);
      const id = String((again.events.at(-1)?.connection as { id: string }).id);
      const accounts = (await env.keychain()).map((c) => c.account).filter((a) => a.startsWith('connection:'));
      expect(accounts).toEqual([`connection:${id}`]);
      expect(server.accessTokens.has(orphanTokens.accessToken)).toBe(false);
      const status = JSON.parse((await env.cli(['status', '--json'])).stdout) as Array<{ id: string }>;
      expect(status.map((c) => c.id)).toEqual([id]);
    },
  );
});

describe('connect killed right after the token exchange, before the token set is saved', () => {
  // The provider has issued tokens and the child is about to save them: killed the moment the
  // token answer is sent (nothing written yet), or the moment its pending note appears (the
  // keychain write is under way). Wherever it lands, the next start leaves nothing half-saved:
  // the keychain holds exactly the connections `status` lists, and a token set that did reach the
  // keychain is revoked at the provider rather than left live and unreachable.
  const points = {
    'the token answer is sent': async (server: OAuthServer) => (server.counts.token >= 1 ? true : null),
    'its pending note appears': async (_server: OAuthServer, home: string) =>
      (await readdir(path.join(home, 'pending-connects')).catch(() => [])).some((f) => f.endsWith('.json'))
        ? true
        : null,
  };
  for (const [point, landed] of Object.entries(points)) {
    it(
      `killed as soon as ${point}: the next start leaves keychain and status in agreement`,
      {
        timeout: 150_000,
      },
      async () => {
        let open: () => void = () => undefined;
        const { server, env } = await setup({ meGate: new Promise<void>((resolve) => (open = resolve)) });
        cleanups.push(async () => open());
        const child = spawnCli(['connect', 'acme', '--no-open', '--json'], env.env);
        child.stdin.end();
        const done = collect(child);
        const first = await firstJsonLine(child);
        void followRedirects(new URL(String(first.url))).catch(() => undefined);
        await waitFor(() => landed(server, String(env.env.PATCHBAY_HOME)), point, 30_000, 1);
        child.kill('SIGKILL');
        const killed = await done;
        expect(child.signalCode).toBe('SIGKILL');
        expect(killed.stdout).not.toContain('"connected"');
        const issued = [...server.accessTokens];
        expect(issued).toHaveLength(1);
        const leftInKeychain = (await env.keychain()).some((c) => c.password.includes(issued[0]!));
        open();

        const again = await connectThroughCli(env.env, 'acme');
        expect(again.result.code, again.result.stderr).toBe(0);
        const id = String((again.events.at(-1)?.connection as { id: string }).id);
        const accounts = (await env.keychain()).map((c) => c.account).filter((a) => a.startsWith('connection:'));
        expect(accounts).toEqual([`connection:${id}`]);
        const status = JSON.parse((await env.cli(['status', '--json'])).stdout) as Array<{ id: string }>;
        expect(status.map((c) => c.id)).toEqual([id]);
        expect(await readdir(path.join(String(env.env.PATCHBAY_HOME), 'pending-connects')).catch(() => [])).toEqual([]);
        // What the killed process had saved is revoked; what it never saved was never stored anywhere.
        if (leftInKeychain) expect(server.accessTokens.has(issued[0]!)).toBe(false);
        expect((await env.keychain()).some((c) => c.password.includes(issued[0]!))).toBe(false);
      },
    );
  }
});

describe('connect killed in the middle of a chunked keychain write', () => {
  it('leaves no orphaned chunk after the next start', { timeout: 150_000 }, async () => {
    let open: () => void = () => undefined;
    const { env } = await setup({
      tokenExtra: { access_token: `at-${'y'.repeat(24_000)}` },
      meGate: new Promise<void>((resolve) => (open = resolve)),
    });
    cleanups.push(async () => open());
    await killedConnect(env, (accounts) => accounts.some((a) => a.includes('#')));
    expect((await env.keychain()).length).toBeGreaterThan(0);
    open();
    const sweep = await env.cli(
      ['credentials', 'set', 'acme', '--client-id', 'acme-client', '--client-secret-stdin'],
      `${CLIENT_SECRET}\n`,
    );
    expect(sweep.code, sweep.stderr).toBe(0);
    expect((await env.keychain()).map((c) => c.account)).toEqual(['client-secret:acme']);
  });
});

describe('a lock left by a killed process', () => {
  it("a dead holder's refresh lock is taken over within a few seconds", { timeout: 150_000 }, async () => {
    const { server, env } = await setup();
    const run = await connectThroughCli(env.env, 'acme');
    const id = String((run.events.at(-1)?.connection as { id: string }).id);
    server.options.refreshDelayMs = 120_000;
    const holder = spawnCli(['refresh', id, '--json'], env.env);
    holder.stdin.end();
    const held = collect(holder);
    await waitFor(
      async () => (server.counts.refresh >= 1 ? true : null),
      'the first refresh to reach the provider',
      30_000,
      20,
    );
    holder.kill('SIGKILL');
    await held;
    server.options.refreshDelayMs = 0;
    // What a command costs on this (loaded) machine without any lock to wait for.
    const baselineStart = Date.now();
    await env.cli(['status', '--json']);
    const baseline = Date.now() - baselineStart;
    const started = Date.now();
    const next = await env.cli(['refresh', id, '--json']);
    const elapsed = Date.now() - started;
    expect(next.code, next.stdout + next.stderr).toBe(0);
    // Waiting for staleness alone would add 10 s.
    expect(elapsed - baseline).toBeLessThan(5_000);
  });

  it('a live holder: after a second the waiting command says what it waits for', { timeout: 150_000 }, async () => {
    const { server, env } = await setup();
    const run = await connectThroughCli(env.env, 'acme');
    const id = String((run.events.at(-1)?.connection as { id: string }).id);
    server.options.refreshDelayMs = 4_000;
    const holder = spawnCli(['refresh', id], env.env);
    holder.stdin.end();
    const held = collect(holder);
    await waitFor(
      async () => (server.counts.refresh >= 1 ? true : null),
      'the first refresh to reach the provider',
      30_000,
      20,
    );
    server.options.refreshDelayMs = 0;
    const next = await env.cli(['refresh', id]);
    expect((await held).code).toBe(0);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/Waiting for another Patchbay process/);
    expect(next.stderr).toContain(`pid ${holder.pid}`);
    expect(next.stderr).toMatch(/refresh/);
  });
});
