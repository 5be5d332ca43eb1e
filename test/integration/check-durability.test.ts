/**
 * What the checks' shortcuts must not cost: a key replaced in the keychain after the run read it
 * ahead still counts, and results are on disk while a run goes on and when it is stopped.
 *
 * The provider answers the first requests and then holds every later one, so a run is caught in
 * the middle: `patchbay check` (a real child process) is stopped politely (SIGTERM, what a cron
 * job's `timeout` sends) or killed outright (SIGKILL), and the settings file is read afterwards.
 * Real Secret Service: run inside test/with-keyring.sh.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckRunner } from '../../main/core/health/check-runner';
import type { ConnectionSecret, SecretVault } from '../../main/core/model/types';
import { openSettings } from '../../main/core/storage/settings';
import { collect, spawnCli } from '../helpers/cli';
import { makeHarness, type Harness } from './providers/harness';
import { checkProvider, startCheckServer, type CheckServer } from './providers/check-server';

let harness: Harness | null = null;
let server: CheckServer | null = null;
let held: Array<() => void> = [];
let child: ChildProcessWithoutNullStreams | null = null;
afterEach(async () => {
  child?.kill('SIGKILL');
  for (const release of held) release();
  held = [];
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
  child = null;
});

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}-key-abcdef`);

/** A server and one API-key connection per key (on `harness`); returns connection ids by key. */
async function seed(list: string[], options: Parameters<typeof makeHarness>[0] = {}): Promise<Map<string, string>> {
  server = await startCheckServer();
  harness = await makeHarness({ authorizers: [], ...options });
  await harness.core.saveProvider(checkProvider(server));
  const ids = new Map<string, string>();
  for (const key of list) ids.set(key, (await harness.core.connect({ providerId: 'acme-check', apiKey: key })).id);
  server.reset();
  return ids;
}

/** The harness's real keychain vault, telling the test when a connection's secret is first read. */
function spyVault(): { spy: SecretVault; firstRead: Map<string, () => void> } {
  const inner = (): SecretVault => harness!.vault;
  const firstRead = new Map<string, () => void>();
  const spy: SecretVault = {
    getConnectionSecret: async (id) => {
      const secret = await inner().getConnectionSecret(id);
      firstRead.get(id)?.();
      firstRead.delete(id);
      return secret;
    },
    setConnectionSecret: (...a) => inner().setConnectionSecret(...a),
    deleteConnectionSecret: (...a) => inner().deleteConnectionSecret(...a),
    getClientSecret: (...a) => inner().getClientSecret(...a),
    setClientSecret: (...a) => inner().setClientSecret(...a),
    deleteClientSecret: (...a) => inner().deleteClientSecret(...a),
  };
  return { spy, firstRead };
}

/** Wait for a condition, polling; fails with `what` after `ms`. */
async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Answer the first `n` requests; hold every later one until the test ends. */
function answerFirst(n: number): void {
  server!.answer = async (key) => {
    if (server!.hits.length > n) await new Promise<void>((resolve) => held.push(resolve));
    return { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
  };
}

/** Connection ids whose record holds a check made at or after `since`. */
function checkedSince(since: number): Set<string> {
  const data = openSettings({ home: harness!.home }).read();
  return new Set(data.connections.filter((c) => c.lastCheck && Date.parse(c.lastCheck.at) >= since).map((c) => c.id));
}

/** The ids of the connections whose requests the server answered (the first `n` hits). */
function answered(ids: Map<string, string>, n: number): Set<string> {
  return new Set(server!.hits.slice(0, n).map((hit) => ids.get(hit.key)!));
}

/**
 * `patchbay check --json` over 20 keys on a host that answers the first ten and holds the rest:
 * returns once ten are answered and four more sit in the host's four slots, so the ten results
 * are known to the run.
 */
async function runUntilTenAnswered() {
  const ids = await seed(keys(20));
  answerFirst(10);
  const since = Date.now() - 1000;
  const run = spawnCli(['check', '--json'], { ...process.env, ...harness!.env, NO_COLOR: '1' });
  child = run;
  const done = collect(run);
  await until('14 requests', () => server!.hits.length >= 14);
  return { ids, since, done, run };
}

describe('check results survive', { timeout: 120_000 }, () => {
  it('a stopped run (SIGTERM) keeps every result it had found, and exits 1 at once', async () => {
    const { ids, since, done, run } = await runUntilTenAnswered();
    const stoppedAt = Date.now();
    run.kill('SIGTERM');
    const result = await done;
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'cancelled' } });
    const recorded = checkedSince(since);
    expect([...answered(ids, 10)].filter((id) => !recorded.has(id))).toEqual([]);
    expect(recorded.size).toBe(10);
  });

  it('a run killed outright (SIGKILL) has already written what it found a moment before', async () => {
    const { ids, since, done, run } = await runUntilTenAnswered();
    // The run is still going (four requests held): its results reach the file on their own.
    await until('10 results on disk', () => checkedSince(since).size >= 10, 5_000);
    run.kill('SIGKILL');
    await done;
    expect(checkedSince(since)).toEqual(answered(ids, 10));
  });

  it('a key replaced after the run read it ahead is tested again with the new key', async () => {
    const { spy, firstRead } = spyVault();
    const list = keys(3);
    const ids = await seed(list, { vault: spy, checks: { concurrencyPerHost: 1 } });
    const second = ids.get(list[1]!)!;
    const replaced: ConnectionSecret = { kind: 'apiKey', apiKey: 'k1-new-key-123456' };
    const secondRead = new Promise<void>((resolve) => firstRead.set(second, resolve));
    server!.answer = async (key) => {
      // The first check's request waits until the second's key was read ahead, then replaced.
      if (key === list[0]) {
        await secondRead;
        await harness!.vault.setConnectionSecret(second, replaced);
      }
      if (key === list[1]) return { status: 401, body: { error: 'revoked' } };
      return { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
    };
    const results = await harness!.core.checkConnections();
    expect(results.map((r) => [r.id, r.status])).toEqual(list.map((k) => [ids.get(k), 'ok']));
    // The old key was sent once (read ahead), the new one after it: the stale path was taken.
    expect(server!.hits.filter((h) => h.key.startsWith('k1-')).map((h) => h.key)).toEqual([list[1], replaced.apiKey]);
  });

  it('a key replaced after the read-ahead is not tried again inside a window another check opened', async () => {
    const { spy, firstRead } = spyVault();
    const list = keys(3);
    const ids = await seed(list, { vault: spy, checks: { concurrencyPerHost: 2 } });
    const second = ids.get(list[1]!)!;
    const replaced: ConnectionSecret = { kind: 'apiKey', apiKey: 'k1-new-key-123456' };
    const secondRead = new Promise<void>((resolve) => firstRead.set(second, resolve));
    const keyReplaced = secondRead.then(() => harness!.vault.setConnectionSecret(second, replaced));
    const host = new URL(server!.base).host;
    const runner = () => (harness!.core as unknown as { checkRunner: CheckRunner | null }).checkRunner;
    let windowEnd = Number.POSITIVE_INFINITY;
    server!.answer = async (key, n) => {
      if (key === list[0] && n === 0) {
        windowEnd = Date.now() + 1000;
        return { status: 429, headers: { 'retry-after': '1' } };
      }
      if (key === list[1]) {
        // The old key's refusal arrives once the key was replaced and the host told to wait.
        await keyReplaced;
        await until('the host to be closed', () => (runner()?.gates.get(host).blockedUntil ?? 0) > Date.now());
        return { status: 401, body: { error: 'revoked' } };
      }
      return { status: 200, body: { name: `Account ${key.split('-')[0]}` } };
    };
    const results = await harness!.core.checkConnections();
    expect(results.map((r) => [r.id, r.status])).toEqual(list.map((k) => [ids.get(k), 'ok']));
    const first429 = server!.hits.findIndex((h) => h.key === list[0]);
    const stale = server!.hits.findIndex((h) => h.key === list[1]);
    const inWindow = server!.hits.filter((h, i) => i !== first429 && i !== stale && h.at < windowEnd);
    expect(inWindow).toEqual([]);
    expect(server!.hits.map((h) => h.key)).toContain(replaced.apiKey);
  });
});
