/**
 * The vault against the real Secret Service (run inside test/with-keyring.sh).
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionSecret } from '../../main/core/model/types';
import { CHUNK_BYTES, createKeytarVault } from '../../main/core/storage/vault';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const service = `PatchbayTest-${randomUUID()}`;
const vault = createKeytarVault(service);

afterAll(async () => {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

const accountsFor = async (id: string) =>
  (await keytar.findCredentials(service)).filter(
    (c) => c.account === `connection:${id}` || c.account.startsWith(`connection:${id}#`),
  );

/** A realistic large token set: long JWTs with random (incompressible) content, ~10 KB in all. */
function bigTokenSet(bytes: number): ConnectionSecret {
  const chunk = () => randomBytes(Math.floor(bytes / 4)).toString('base64url');
  return {
    kind: 'oauth2',
    accessToken: `eyJ${chunk()}`,
    refreshToken: `rt-${chunk()}`,
    idToken: `eyJ${chunk()}`,
    tokenType: 'Bearer',
    expiresAt: Date.now() + 3_600_000,
    scope: 'openid email',
  };
}

describe('keytar vault on the real keyring', () => {
  it('round-trips an API key and a client secret', async () => {
    await vault.setConnectionSecret('small', { kind: 'apiKey', apiKey: 'landbot-key-123' });
    expect(await vault.getConnectionSecret('small')).toEqual({ kind: 'apiKey', apiKey: 'landbot-key-123' });
    expect(await accountsFor('small')).toHaveLength(1);
    await vault.setClientSecret('acme', 'client-secret-xyz');
    expect(await vault.getClientSecret('acme')).toBe('client-secret-xyz');
    expect(await keytar.getPassword(service, 'client-secret:acme')).toBe('client-secret-xyz');
    await vault.deleteClientSecret('acme');
    expect(await vault.getClientSecret('acme')).toBeNull();
    expect(await vault.getConnectionSecret('missing')).toBeNull();
  });

  it('splits a 10 KB token set into entries under 2,000 bytes and reassembles it', async () => {
    const secret = bigTokenSet(10_000);
    expect(Buffer.byteLength(JSON.stringify(secret))).toBeGreaterThan(10_000);
    await vault.setConnectionSecret('big', secret);
    const entries = await accountsFor('big');
    expect(entries.length).toBeGreaterThanOrEqual(6);
    for (const e of entries) expect(Buffer.byteLength(e.password)).toBeLessThanOrEqual(CHUNK_BYTES);
    // The main entry holds a manifest, not the token.
    const main = entries.find((e) => e.account === 'connection:big');
    expect(main?.password).toMatch(/^\{"patchbayChunks":\d+,"sha256":"[0-9a-f]{64}"\}$/);
    expect(await vault.getConnectionSecret('big')).toEqual(secret);
  });

  it('leaves no stale chunk when a value shrinks, and delete removes every entry', async () => {
    await vault.setConnectionSecret('shrink', bigTokenSet(12_000));
    const before = (await accountsFor('shrink')).length;
    const smaller = bigTokenSet(4_000);
    await vault.setConnectionSecret('shrink', smaller);
    const after = await accountsFor('shrink');
    expect(after.length).toBeLessThan(before);
    const manifest = JSON.parse(after.find((e) => e.account === 'connection:shrink')!.password) as {
      patchbayChunks: number;
    };
    expect(after.map((e) => e.account).sort()).toEqual(
      [
        'connection:shrink',
        ...Array.from({ length: manifest.patchbayChunks }, (_, i) => `connection:shrink#${i}`),
      ].sort(),
    );
    expect(await vault.getConnectionSecret('shrink')).toEqual(smaller);

    await vault.setConnectionSecret('shrink', { kind: 'apiKey', apiKey: 'tiny-key' });
    expect((await accountsFor('shrink')).map((e) => e.account)).toEqual(['connection:shrink']);

    await vault.setConnectionSecret('shrink', bigTokenSet(8_000));
    await vault.deleteConnectionSecret('shrink');
    expect(await accountsFor('shrink')).toEqual([]);
    expect(await vault.getConnectionSecret('shrink')).toBeNull();
  });

  it('does not touch the entries of other connections', async () => {
    await vault.setConnectionSecret('one', bigTokenSet(6_000));
    await vault.setConnectionSecret('one-two', bigTokenSet(6_000));
    const keep = await vault.getConnectionSecret('one-two');
    await vault.deleteConnectionSecret('one');
    expect(await vault.getConnectionSecret('one-two')).toEqual(keep);
  });

  it('reports keychain_unavailable in a process without a Secret Service', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-nokeyring-'));
    const script = path.join(dir, 'write.mts');
    fs.writeFileSync(
      script,
      [
        `import { createKeytarVault } from ${JSON.stringify(path.join(REPO_ROOT, 'main/core/storage/vault.ts'))};`,
        `try { await createKeytarVault(${JSON.stringify(service)}).setConnectionSecret('c', { kind: 'apiKey', apiKey: 'no-keyring-key' }); console.log('SAVED'); }`,
        `catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
      ].join('\n'),
    );
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const result = JSON.parse(output.trim()) as { code: string; message: string };
    expect(result.code).toBe('keychain_unavailable');
    expect(result.message).toMatch(
      /^Patchbay could not open your system keychain \(.+\)\. On Linux, install and unlock a Secret Service/,
    );
    expect(result.message).not.toContain('no-keyring-key');
    expect(await vault.getConnectionSecret('c')).toBeNull();
  });
});
