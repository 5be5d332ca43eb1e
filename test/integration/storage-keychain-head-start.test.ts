/**
 * The keychain head start (core/storage/keychain-entries.ts) against the real Secret Service.
 *
 * A read started before the engine loads may only ever stand in for the very read the vault was
 * about to make. Each test here is a way it could hand out something else: a secret changed
 * since (by this process, or by another one while the head start sat unclaimed), another
 * connection's entry, a guess from a settings file that names no such connection.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { settingsFileIn } from '../../main/core/model/config';
import {
  claimPrefetched,
  connectionAccount,
  prefetchConnectionSecret,
  prefetchEntry,
} from '../../main/core/storage/keychain-entries';
import { createKeytarVault } from '../../main/core/storage/vault';

const service = `PatchbayTest-${randomUUID()}`;
const vault = createKeytarVault(service);
const apiKey = (value: string) => ({ kind: 'apiKey' as const, apiKey: value });

afterAll(async () => {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

/** Another process's write: straight to the keychain, behind this process's back. */
const writeBehindOurBack = (id: string, value: string) =>
  keytar.setPassword(service, connectionAccount(id), JSON.stringify(apiKey(value)));

describe('keychain head start', () => {
  it('is what the next read of that entry returns, once', async () => {
    await vault.setConnectionSecret('once', apiKey('first'));
    await prefetchEntry(service, connectionAccount('once'));
    // Changed after the head start read it: the claimed read is the older value (a read made a
    // moment earlier, as without a head start), but only for that one read.
    await writeBehindOurBack('once', 'second');
    expect(await vault.getConnectionSecret('once')).toEqual(apiKey('first'));
    expect(await vault.getConnectionSecret('once')).toEqual(apiKey('second'));
  });

  it('is thrown away when this process saves or deletes the entry', async () => {
    await vault.setConnectionSecret('saved', apiKey('old'));
    await prefetchEntry(service, connectionAccount('saved'));
    await vault.setConnectionSecret('saved', apiKey('rotated'));
    expect(await vault.getConnectionSecret('saved')).toEqual(apiKey('rotated'));

    await prefetchEntry(service, connectionAccount('saved'));
    await vault.deleteConnectionSecret('saved');
    expect(await vault.getConnectionSecret('saved')).toBeNull();
  });

  it('never stands in for another connection, and is gone once another is read', async () => {
    await vault.setConnectionSecret('a', apiKey('key-a'));
    await vault.setConnectionSecret('b', apiKey('key-b'));
    await prefetchEntry(service, connectionAccount('a'));
    expect(await vault.getConnectionSecret('b')).toEqual(apiKey('key-b'));
    await writeBehindOurBack('a', 'key-a-new');
    expect(await vault.getConnectionSecret('a')).toEqual(apiKey('key-a-new'));
  });

  it('is not used when it is older than a few seconds', async () => {
    await vault.setConnectionSecret('stale', apiKey('then'));
    await prefetchEntry(service, connectionAccount('stale'), Date.now() - 60_000);
    await writeBehindOurBack('stale', 'now');
    expect(await vault.getConnectionSecret('stale')).toEqual(apiKey('now'));
  });

  it('is never taken by a vault that was given its own keytar', async () => {
    await vault.setConnectionSecret('own', apiKey('real-keychain'));
    void prefetchEntry(service, connectionAccount('own'));
    const calls: string[] = [];
    const own = createKeytarVault(service, {
      getPassword: async (_s, account) => (calls.push(account), JSON.stringify(apiKey('own-keytar'))),
      setPassword: async () => undefined,
      deletePassword: async () => false,
      findCredentials: async () => [],
    });
    expect(await own.getConnectionSecret('own')).toEqual(apiKey('own-keytar'));
    expect(calls).toEqual([connectionAccount('own')]);
    void claimPrefetched(service, connectionAccount('own'));
  });

  describe('guessing the connection from the settings file', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-head-start-'));
    afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
    const env = { PATCHBAY_HOME: home, PATCHBAY_KEYCHAIN_SERVICE: service };
    const writeSettings = (text: string) => fs.writeFileSync(settingsFileIn(home), text);
    const records = [
      { id: 'landbot-1', providerId: 'landbot' },
      { id: 'sandbox-1', providerId: 'sandbox' },
      { id: 'sandbox-2', providerId: 'sandbox' },
    ];

    it('starts the read for an ID, or a provider with exactly one connection', async () => {
      writeSettings(JSON.stringify({ connections: records }));
      prefetchConnectionSecret(env, 'landbot');
      expect(claimPrefetched(service, connectionAccount('landbot-1'))).not.toBeNull();
      prefetchConnectionSecret(env, 'sandbox-2');
      expect(claimPrefetched(service, connectionAccount('sandbox-2'))).not.toBeNull();
    });

    it('starts nothing for an ambiguous, unknown or hostile reference, or a damaged file', async () => {
      writeSettings(JSON.stringify({ connections: records }));
      for (const ref of ['sandbox', 'nobody', '', '__proto__', 'constructor']) {
        prefetchConnectionSecret(env, ref);
        for (const { id } of records) expect(claimPrefetched(service, connectionAccount(id))).toBeNull();
      }
      for (const text of [
        '{not json',
        'null',
        '[]',
        '{"connections":{"id":"landbot-1"}}',
        '{"connections":[null,7]}',
      ]) {
        writeSettings(text);
        expect(() => prefetchConnectionSecret(env, 'landbot-1')).not.toThrow();
        expect(claimPrefetched(service, connectionAccount('landbot-1'))).toBeNull();
      }
      fs.rmSync(settingsFileIn(home));
      expect(() => prefetchConnectionSecret(env, 'landbot-1')).not.toThrow();
      expect(claimPrefetched(service, connectionAccount('landbot-1'))).toBeNull();
    });
  });
});
