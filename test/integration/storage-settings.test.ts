/**
 * The settings store on real files, with real concurrent processes and the real keyring.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import keytar from 'keytar';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, openSettings } from '../../main/core/storage/settings';
import type { ConnectionRecord } from '../../main/core/model/types';
import { createKeytarVault } from '../../main/core/storage/vault';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-settings-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const record = (id: string, extra: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  id,
  providerId: 'sandbox',
  auth: 'oauth2',
  label: `Account ${id}`,
  scopes: ['openid'],
  expiresAt: null,
  createdAt: '2026-11-21T00:00:00.000Z',
  state: 'ok',
  hasRefreshToken: true,
  lastTest: null,
  lastError: null,
  ...extra,
});

function runChild(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('settings across processes', () => {
  it('loses no update when two processes each add 50 connections at once', async () => {
    const script = path.join(home, 'writer.mts');
    fs.writeFileSync(
      script,
      `
      import { openSettings } from ${JSON.stringify(path.join(REPO_ROOT, 'main/core/storage/settings.ts'))};
      const [home, tag] = process.argv.slice(2);
      const store = openSettings({ home });
      for (let i = 0; i < 50; i += 1) {
        await store.update((data) => {
          // A slow mutator widens the read-modify-write window, so a missing lock would lose updates.
          const until = Date.now() + 4;
          while (Date.now() < until) { /* spin */ }
          data.connections.push({ id: tag + '-' + i, providerId: 'sandbox', auth: 'oauth2', label: tag, scopes: [], expiresAt: null,
            createdAt: new Date().toISOString(), state: 'ok', hasRefreshToken: false, lastTest: null, lastError: null });
        });
      }
      console.log('done', tag);
    `,
    );
    openSettings({ home }); // create the folder and file first, as the app would
    const outputs = await Promise.all([runChild(script, [home, 'a']), runChild(script, [home, 'b'])]);
    expect(outputs.map((o) => o.trim()).sort()).toEqual(['done a', 'done b']);
    const ids = openSettings({ home })
      .read()
      .connections.map((c) => c.id);
    expect(ids).toHaveLength(100);
    const expected = ['a', 'b'].flatMap((t) => Array.from({ length: 50 }, (_, i) => `${t}-${i}`));
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(fs.readdirSync(home).filter((f) => f.includes('corrupt') || f.endsWith('.lock'))).toEqual([]);
  });

  it('reads what another store instance wrote (no stale cache)', async () => {
    const a = openSettings({ home });
    const b = openSettings({ home });
    await b.update((d) => d.connections.push(record('from-b')));
    expect(a.read().connections.map((c) => c.id)).toEqual(['from-b']);
    await a.update((d) => d.connections.push(record('from-a')));
    expect(b.read().connections.map((c) => c.id)).toEqual(['from-b', 'from-a']);
  });
});

describe('damaged and old files', () => {
  it('moves a corrupt JSON file aside, starts fresh and says so', () => {
    const file = path.join(home, 'settings.json');
    fs.writeFileSync(file, '{"schemaVersion": 1, "connections": [');
    const store = openSettings({ home, now: () => new Date('2026-11-21T17:05:09.123Z') });
    const moved = path.join(home, 'settings.corrupt-2026-11-21T170509.123Z.json');
    expect(fs.readFileSync(moved, 'utf8')).toBe('{"schemaVersion": 1, "connections": [');
    expect(store.notice).toContain('settings.corrupt-2026-11-21T170509.123Z.json');
    expect(store.notice).toMatch(/^Your settings file could not be read/);
    expect(store.read().connections).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(openSettings({ home }).notice).toBeNull();
  });

  it('moves a schema-invalid file aside without overwriting an earlier one', () => {
    const now = () => new Date('2026-11-21T17:05:09.123Z');
    for (const bad of [
      { schemaVersion: 1, connections: 'oops', providers: [], clients: {}, preferences: {} },
      {
        schemaVersion: 1,
        connections: [],
        providers: [{ id: 'x', name: 'X', authorizationUrl: 'http://evil.example', tokenUrl: 'https://t.example' }],
        clients: {},
        preferences: {},
      },
    ]) {
      fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify(bad));
      const store = openSettings({ home, now });
      expect(store.notice).toMatch(/is not valid/);
    }
    expect(
      fs
        .readdirSync(home)
        .filter((f) => f.startsWith('settings.corrupt-'))
        .sort(),
    ).toEqual(['settings.corrupt-2026-11-21T170509.123Z-2.json', 'settings.corrupt-2026-11-21T170509.123Z.json']);
  });

  it('migrates a v0 file (no version, no preferences) and keeps its connections', () => {
    const file = path.join(home, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ connections: [record('old-1')] }));
    const store = openSettings({ home });
    expect(store.notice).toBeNull();
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(onDisk).toMatchObject({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      preferences: { theme: 'system' },
      providers: [],
      clients: {},
    });
    expect(onDisk.connections.map((c: ConnectionRecord) => c.id)).toEqual(['old-1']);
  });

  it('rejects an update that would make the file invalid and writes nothing', async () => {
    const store = openSettings({ home });
    await store.update((d) => d.connections.push(record('ok')));
    const before = fs.readFileSync(store.path, 'utf8');
    await expect(
      store.update((d) => {
        (d.connections[0] as unknown as Record<string, unknown>).state = 'bogus';
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(fs.readFileSync(store.path, 'utf8')).toBe(before);
  });
});

describe('backends', () => {
  it('works through a conf instance passed in (as electron-store is) and through a factory', async () => {
    const conf = new Conf<Record<string, unknown>>({ cwd: home, configName: 'settings' });
    const store = openSettings({ home, backend: conf });
    await store.update((d) => d.connections.push(record('via-instance')));
    expect((conf.store.connections as ConnectionRecord[]).map((c) => c.id)).toEqual(['via-instance']);
    fs.writeFileSync(path.join(home, 'settings.json'), 'garbage');
    const viaFactory = openSettings({ home, backend: ({ cwd, configName }) => new Conf({ cwd, configName }) });
    expect(viaFactory.notice).toContain('settings.corrupt-');
    await viaFactory.update((d) => d.connections.push(record('via-factory')));
    expect(viaFactory.read().connections.map((c) => c.id)).toEqual(['via-factory']);
  });

  it('refuses a backend that writes somewhere else', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-other-'));
    expect(() => openSettings({ home, backend: () => new Conf({ cwd: other, configName: 'settings' }) })).toThrow(
      /writes to/,
    );
    fs.rmSync(other, { recursive: true, force: true });
  });
});

describe('no secrets in settings', () => {
  const service = `PatchbayTest-${randomUUID()}`;
  afterAll(async () => {
    for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
  });

  it('keeps token values in the keychain and out of the settings file', async () => {
    const vault = createKeytarVault(service);
    const store = openSettings({ home });
    const secrets = {
      accessToken: `at-${randomUUID()}`,
      refreshToken: `rt-${randomUUID()}`,
      apiKey: `key-${randomUUID()}`,
      clientSecret: `cs-${randomUUID()}`,
    };
    await vault.setConnectionSecret('conn-oauth', {
      kind: 'oauth2',
      accessToken: secrets.accessToken,
      refreshToken: secrets.refreshToken,
      expiresAt: Date.now() + 60_000,
    });
    await vault.setConnectionSecret('conn-key', { kind: 'apiKey', apiKey: secrets.apiKey });
    await vault.setClientSecret('acme', secrets.clientSecret);
    await store.update((d) => {
      d.connections.push(
        record('conn-oauth', { expiresAt: new Date(Date.now() + 60_000).toISOString() }),
        record('conn-key', { auth: 'apiKey', hasRefreshToken: false }),
      );
      d.clients.acme = { clientId: 'public-client-id' };
    });
    const text = fs.readFileSync(store.path, 'utf8');
    expect(text).toContain('conn-oauth');
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    expect((await vault.getConnectionSecret('conn-oauth'))?.kind).toBe('oauth2');
  });

  it('refuses to write a secret-named field into the settings', async () => {
    const store = openSettings({ home });
    await expect(
      store.update((d) => {
        (d.connections as unknown as object[]).push({ ...record('leak'), accessToken: 'leaked-token-1' });
      }),
    ).rejects.toThrow(/Refusing to write a secret/);
    expect(fs.existsSync(store.path) ? fs.readFileSync(store.path, 'utf8') : '').not.toContain('leaked-token-1');
  });
});
