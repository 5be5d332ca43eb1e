import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../../../main/core/model/errors';
import type { ConnectionSecret } from '../../../main/core/model/types';
import { CHUNK_BYTES, createKeytarVault, type KeytarLike, splitUtf8 } from '../../../main/core/storage/vault';

/** An in-memory keychain with Windows' per-entry size limit, to check the chunking logic. */
function memoryKeytar(limitBytes = 2560): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (s: string, a: string) => `${s}\u0000${a}`;
  return {
    entries,
    async getPassword(s, a) {
      return entries.get(key(s, a)) ?? null;
    },
    async setPassword(s, a, p) {
      if (Buffer.byteLength(p) > limitBytes) throw new Error('The stub credential is too large');
      entries.set(key(s, a), p);
    },
    async deletePassword(s, a) {
      return entries.delete(key(s, a));
    },
    async findCredentials(s) {
      return [...entries]
        .filter(([k]) => k.startsWith(`${s}\u0000`))
        .map(([k, password]) => ({ account: k.split('\u0000')[1]!, password }));
    },
  };
}

const big = (n: number): ConnectionSecret => ({
  kind: 'oauth2',
  accessToken: 'a'.repeat(n),
  refreshToken: 'r'.repeat(n),
  idToken: 'é'.repeat(n),
  expiresAt: 1,
});

describe('splitUtf8', () => {
  it('never cuts a multi-byte character and respects the byte limit', () => {
    const text = 'aé😀'.repeat(500);
    const parts = splitUtf8(text, 100);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(100);
  });
});

describe('createKeytarVault chunking', () => {
  it('stores small secrets in one entry', async () => {
    const kt = memoryKeytar();
    const vault = createKeytarVault('svc', kt);
    await vault.setConnectionSecret('c1', { kind: 'apiKey', apiKey: 'key-1' });
    expect([...kt.entries.keys()]).toEqual(['svc\u0000connection:c1']);
    expect(await vault.getConnectionSecret('c1')).toEqual({ kind: 'apiKey', apiKey: 'key-1' });
  });

  it('splits large token sets below the limit and reassembles them', async () => {
    const kt = memoryKeytar();
    const vault = createKeytarVault('svc', kt);
    await vault.setConnectionSecret('c1', big(3000));
    const accounts = [...kt.entries.keys()].map((k) => k.split('\u0000')[1]);
    expect(accounts.filter((a) => a?.startsWith('connection:c1#')).length).toBeGreaterThan(3);
    for (const value of kt.entries.values()) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(await vault.getConnectionSecret('c1')).toEqual(big(3000));
  });

  it('leaves no stale chunks when a value shrinks, and deletes all chunks', async () => {
    const kt = memoryKeytar();
    const vault = createKeytarVault('svc', kt);
    await vault.setConnectionSecret('c1', big(4000));
    await vault.setConnectionSecret('c2', big(2000));
    await vault.setConnectionSecret('c1', big(1000));
    const c1 = () => [...kt.entries.keys()].filter((k) => k.includes('connection:c1'));
    const manifest = JSON.parse(kt.entries.get('svc\u0000connection:c1')!) as { patchbayChunks: number };
    const chunkIndexes = c1()
      .filter((k) => k.includes('#'))
      .map((k) => Number(k.split('#')[1]))
      .sort((a, b) => a - b);
    expect(chunkIndexes).toEqual(Array.from({ length: manifest.patchbayChunks }, (_, i) => i));
    expect(manifest.patchbayChunks).toBeLessThan(4);
    expect(await vault.getConnectionSecret('c1')).toEqual(big(1000));
    await vault.setConnectionSecret('c1', { kind: 'apiKey', apiKey: 'small' });
    expect(c1()).toEqual(['svc\u0000connection:c1']);
    await vault.deleteConnectionSecret('c2');
    expect([...kt.entries.keys()].some((k) => k.includes('connection:c2'))).toBe(false);
    expect(await vault.getConnectionSecret('c2')).toBeNull();
  });

  it('skips the stale-chunk probe only for a brand-new id, and still reads back what it saved', async () => {
    const kt = memoryKeytar();
    let deletes = 0;
    const counting: KeytarLike = { ...kt, deletePassword: async (s, a) => ((deletes += 1), kt.deletePassword(s, a)) };
    const vault = createKeytarVault('svc', counting);
    await vault.setConnectionSecret('n1', { kind: 'apiKey', apiKey: 'key-1' }, { isNew: true });
    await vault.setConnectionSecret('n2', big(3000), { isNew: true });
    expect(deletes).toBe(0);
    expect(await vault.getConnectionSecret('n1')).toEqual({ kind: 'apiKey', apiKey: 'key-1' });
    expect(await vault.getConnectionSecret('n2')).toEqual(big(3000));
    await vault.setConnectionSecret('n2', { kind: 'apiKey', apiKey: 'key-2' });
    expect(deletes).toBeGreaterThan(1); // An existing id is probed: its old chunks are removed.
    expect([...kt.entries.keys()].filter((k) => k.includes('connection:n2#'))).toEqual([]);
  });

  it('reports a damaged entry instead of returning garbage', async () => {
    const kt = memoryKeytar();
    const vault = createKeytarVault('svc', kt);
    await vault.setConnectionSecret('c1', big(3000));
    kt.entries.set('svc\u0000connection:c1#1', 'tampered');
    await expect(vault.getConnectionSecret('c1')).rejects.toMatchObject({ code: 'internal' });
  });

  it('turns any keytar failure into keychain_unavailable with the fix', async () => {
    const failing: KeytarLike = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      deletePassword: () => Promise.reject(new Error('locked')),
      findCredentials: () => Promise.reject(new Error('locked')),
    };
    const vault = createKeytarVault('svc', failing);
    const error = await vault.setClientSecret('p', 'client-secret-value').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatchbayError);
    expect((error as PatchbayError).code).toBe('keychain_unavailable');
    expect((error as PatchbayError).message).toContain('Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect((error as PatchbayError).message).toContain('GNOME Keyring');
    expect((error as PatchbayError).message).toContain('Nothing was saved.');
    await expect(vault.getConnectionSecret('c')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    await expect(vault.deleteConnectionSecret('c')).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it('keeps fields it does not know about', async () => {
    const vault = createKeytarVault('svc', memoryKeytar());
    const secret = { kind: 'oauth2', accessToken: 'a', issuedAt: 5 } as unknown as ConnectionSecret;
    await vault.setConnectionSecret('c1', secret);
    expect(await vault.getConnectionSecret('c1')).toEqual(secret);
  });

  it('keeps client secrets under their own account', async () => {
    const kt = memoryKeytar();
    const vault = createKeytarVault('svc', kt);
    await vault.setClientSecret('acme', 'cs-1');
    expect(kt.entries.get('svc\u0000client-secret:acme')).toBe('cs-1');
    expect(await vault.getClientSecret('acme')).toBe('cs-1');
    await vault.deleteClientSecret('acme');
    expect(await vault.getClientSecret('acme')).toBeNull();
  });
});
