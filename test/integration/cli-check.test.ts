/**
 * `patchbay check` as a real child process against loopback providers that count what they get:
 * exit codes 0/1/2, the exact JSON shape, the order of the human lines, at most 4 requests in
 * flight per host, no request inside a Retry-After window (seconds and HTTP date), one that
 * outlasts the wait is kept across runs, and backoff on 503. Connections are seeded in-process
 * on the same home and keychain (real Secret Service: run inside test/with-keyring.sh).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { runCli } from '../helpers/cli';
import { freePort } from '../helpers/ports';
import { revokeToken } from '../helpers/sandbox-client';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { makeHarness, type Harness } from './providers/harness';
import { checkProvider, startCheckServer, type CheckServer } from './providers/check-server';

let harness: Harness | null = null;
let server: CheckServer | null = null;
afterEach(async () => {
  await harness?.cleanup();
  await stopEmbeddedSandboxes();
  await server?.close();
  harness = null;
  server = null;
});

const RESULT_KEYS = ['id', 'providerId', 'label', 'status', 'httpStatus', 'latencyMs', 'checkedAt', 'error'];

interface Result {
  id: string;
  providerId: string;
  label: string;
  status: string;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: string;
  error: { code: string; message: string } | null;
}

/** A server, and one API-key connection to it per key; returns connection ids by key. */
async function seed(keys: string[]): Promise<Map<string, string>> {
  server = await startCheckServer();
  harness = await makeHarness({ authorizers: [] });
  await harness.core.saveProvider(checkProvider(server));
  const ids = new Map<string, string>();
  for (const key of keys) ids.set(key, (await harness.core.connect({ providerId: 'acme-check', apiKey: key })).id);
  server.reset();
  return ids;
}

function check(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return runCli(['check', ...args], { ...process.env, ...harness!.env, NO_COLOR: '1', ...extra });
}

function parse(stdout: string): Result[] {
  const results = JSON.parse(stdout) as Result[];
  for (const r of results) {
    expect(Object.keys(r)).toEqual(RESULT_KEYS);
    if (r.error) expect(Object.keys(r.error)).toEqual(['code', 'message']);
  }
  return results;
}

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}-key-abcdef`);

describe('patchbay check', { timeout: 120_000 }, () => {
  it('exits 0 when every connection works, with exactly the documented JSON, and records the check', async () => {
    const ids = await seed(keys(3));
    const out = await check(['--json']);
    expect(out.code).toBe(0);
    const results = parse(out.stdout);
    expect(results.map((r) => r.id)).toEqual([...ids.values()]);
    for (const r of results) {
      expect(r).toMatchObject({ providerId: 'acme-check', status: 'ok', httpStatus: 200, error: null });
      expect(Date.parse(r.checkedAt)).not.toBeNaN();
    }
    expect(server!.hits).toHaveLength(3);
    const views = await harness!.core.listConnections();
    for (const v of views) {
      expect(v.lastVerifiedAt).toBe(results.find((r) => r.id === v.id)?.checkedAt);
      expect(v.lastCheck).toMatchObject({ status: 'ok', httpStatus: 200, error: null });
    }
  });

  it('exits 1 for a key the provider revoked, lists it first, and marks it needs_reconnect', async () => {
    const ids = await seed(keys(3));
    const revoked = [...ids.keys()][1]!;
    server!.answer = (key) =>
      key === revoked
        ? { status: 401, body: { error: 'revoked' } }
        : { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
    const human = await check([]);
    expect(human.code).toBe(1);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${ids.get(revoked)}: .* needs you to connect it again: `));
    expect(lines[0]).toContain('Acme Check did not accept this API key.');
    expect(lines.slice(1).every((l) => / works \(HTTP 200, \d+ ms\)\.$/.test(l))).toBe(true);
    const json = parse((await check(['--json'])).stdout);
    expect(json.find((r) => r.id === ids.get(revoked))).toMatchObject({
      status: 'needs_reconnect',
      httpStatus: 401,
      error: { code: 'invalid_client' },
    });
    const view = (await harness!.core.listConnections()).find((v) => v.id === ids.get(revoked));
    expect(view?.status).toBe('needs_reconnect');
  });

  it('checks only the connections named, by id or by provider', async () => {
    const ids = await seed(keys(3));
    const first = [...ids.values()][0]!;
    const out = await check([first, '--json']);
    expect(out.code).toBe(0);
    expect(parse(out.stdout).map((r) => r.id)).toEqual([first]);
    expect(server!.hits).toHaveLength(1);
  });

  it('exits 2 for a wrong command line and sends nothing', async () => {
    await seed(keys(2));
    const unknown = await check(['no-such-connection']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No connection called "no-such-connection" exists');
    const unknownJson = await check(['no-such-connection', '--json']);
    expect(unknownJson.code).toBe(2);
    expect(JSON.parse(unknownJson.stdout)).toMatchObject({ error: { code: 'invalid_input', field: 'connection' } });
    // Two connections to one provider: naming the provider is ambiguous.
    expect((await check(['acme-check'])).code).toBe(2);
    expect((await check(['--bogus'])).code).toBe(2);
    for (const bad of ['0', '65', 'four', '-1']) expect((await check(['--concurrency', bad])).code).toBe(2);
    expect(server!.hits).toEqual([]);
  });

  it('never has more than 4 requests in flight to one host (or what --concurrency says)', async () => {
    await seed(keys(12));
    server!.latencyMs = 50;
    const out = await check(['--json']);
    expect(out.code).toBe(0);
    expect(server!.hits).toHaveLength(12);
    expect(server!.peak).toBe(4);
    server!.reset();
    expect((await check(['--concurrency', '2'])).code).toBe(0);
    expect(server!.peak).toBe(2);
  });

  for (const form of ['seconds', 'HTTP date'] as const) {
    it(`sends nothing inside a Retry-After window (${form}), then checks everything`, async () => {
      await seed(keys(6));
      const wave: Array<() => void> = [];
      let windowEnd = 0;
      server!.answer = async (key) => {
        if (windowEnd === 0) {
          // Hold the first four (the per-host limit) until all have arrived, then answer them 429.
          const released = new Promise<void>((resolve) => wave.push(resolve));
          if (wave.length === 4) {
            windowEnd = form === 'seconds' ? Date.now() + 2000 : Math.floor((Date.now() + 3000) / 1000) * 1000;
            for (const release of wave) release();
          }
          await released;
          const retryAfter = form === 'seconds' ? '2' : new Date(windowEnd).toUTCString();
          return { status: 429, headers: { 'retry-after': retryAfter } };
        }
        return { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
      };
      const out = await check(['--json']);
      expect(out.code).toBe(0);
      expect(parse(out.stdout).every((r) => r.status === 'ok')).toBe(true);
      const after = server!.hits.slice(4);
      expect(after.filter((h) => h.at < windowEnd)).toEqual([]);
      expect(after).toHaveLength(6);
    });
  }

  it('does not wait out a long Retry-After: says when to retry, and the next run asks nothing either', async () => {
    await seed(keys(6));
    server!.answer = () => ({ status: 429, headers: { 'retry-after': '3600' } });
    const first = await check(['--json']);
    expect(first.code).toBe(1);
    const results = parse(first.stdout);
    expect(results.every((r) => r.status === 'rate_limited' && r.error?.code === 'rate_limited')).toBe(true);
    expect(server!.hits).toHaveLength(4);
    const notAsked = results.filter((r) => r.httpStatus === null);
    expect(notAsked).toHaveLength(2);
    expect(notAsked[0]!.error!.message).toMatch(/Check again after \d{4}-\d\d-\d\dT/);
    const second = await check([]);
    expect(second.code).toBe(1);
    expect(second.stdout).toContain('was not checked (the provider asked to wait)');
    expect(server!.hits).toHaveLength(4);
  });

  it('backs off and tries again on 503, and gives up with the error after the retries', async () => {
    const ids = await seed(['flaky-key-abcdef', 'down-key-abcdef', 'fine-key-abcdef']);
    server!.answer = (key, n) =>
      key === 'down-key-abcdef' || (key === 'flaky-key-abcdef' && n < 2)
        ? { status: 503 }
        : { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
    const out = await check(['--json']);
    expect(out.code).toBe(1);
    const results = parse(out.stdout);
    expect(results.find((r) => r.id === ids.get('flaky-key-abcdef'))?.status).toBe('ok');
    expect(results.find((r) => r.id === ids.get('down-key-abcdef'))).toMatchObject({
      status: 'error',
      httpStatus: 503,
      error: { code: 'provider_error' },
    });
    const times = (key: string) => server!.hits.filter((h) => h.key === key).map((h) => h.at);
    expect(times('flaky-key-abcdef')).toHaveLength(3);
    const down = times('down-key-abcdef');
    expect(down).toHaveLength(4);
    // Equal jitter: retry n waits at least half of 500 ms × 2^n (a millisecond of timer slack allowed).
    const gaps = down.slice(1).map((t, i) => t - down[i]!);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(250 * 2 ** i - 2));
    expect(times('fine-key-abcdef')).toHaveLength(1);
  });

  it('finds a Sandbox grant revoked at the provider: needs_reconnect, exit 1, the command to fix it', async () => {
    const sandboxPort = await freePort();
    const signIn = createLoopbackAuthorizer({
      openUrl: async (url) => {
        await (await fetch(await completeSandboxSignIn(url))).arrayBuffer();
      },
    });
    harness = await makeHarness({ authorizers: [signIn], sandboxPort });
    const env = { PATCHBAY_SANDBOX_PORT: String(sandboxPort) };
    const view = await harness.core.connect({ providerId: 'sandbox' });
    const working = await check(['--json'], env);
    expect(working.code).toBe(0);
    expect(parse(working.stdout)).toMatchObject([
      { id: view.id, providerId: 'sandbox', status: 'ok', httpStatus: 200 },
    ]);

    // The person removes Patchbay's access at the provider: the grant and its tokens are gone.
    const secret = await harness.vault.getConnectionSecret(view.id);
    if (secret?.kind !== 'oauth2' || !secret.refreshToken) throw new Error('expected OAuth tokens');
    const issuer = `http://127.0.0.1:${sandboxPort}`;
    await revokeToken(issuer, secret.refreshToken, 'refresh_token');
    await revokeToken(issuer, secret.accessToken, 'access_token');

    const broken = await check(['--json'], env);
    expect(broken.code).toBe(1);
    const [result] = parse(broken.stdout);
    expect(result).toMatchObject({ id: view.id, status: 'needs_reconnect', error: { code: 'invalid_grant' } });
    expect(result!.error!.message).toContain(`Run "patchbay connect sandbox --reconnect ${view.id}"`);
    const human = await check([], env);
    expect(human.stdout).toMatch(new RegExp(`^${view.id}: .* needs you to connect it again: `));
    const after = (await harness.core.listConnections())[0]!;
    expect(after.status).toBe('needs_reconnect');
    expect(after.lastCheck?.status).toBe('needs_reconnect');
    expect(after.lastVerifiedAt).toBe(parse(working.stdout)[0]!.checkedAt);
  });
});
