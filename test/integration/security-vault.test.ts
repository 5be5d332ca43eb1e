/**
 * Least exposure in the keychain: saving or removing one connection's secret must not read any
 * other secret. Reading every entry of the service (keytar's findCredentials returns the
 * passwords, decrypted) would pull every customer's tokens into this process on each connect and
 * each refresh, and makes every token write cost time in proportion to the number of connections.
 *
 * Real keytar on the real Secret Service (run in test/with-keyring.sh), wrapped to record which
 * calls the vault makes.
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSecret } from '../../main/core/model/types';
import { createKeytarVault, type KeytarLike } from '../../main/core/storage/vault';

const keytar = createRequire(import.meta.url)('keytar') as KeytarLike;
const service = `PatchbayTest-${randomBytes(6).toString('hex')}`;

afterEach(async () => {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

/** Real keytar that records every account whose secret came back to the caller. */
function recordingKeytar(): KeytarLike & { exposed: string[] } {
  const exposed: string[] = [];
  return {
    exposed,
    async getPassword(s, a) {
      const value = await keytar.getPassword(s, a);
      if (value !== null) exposed.push(a);
      return value;
    },
    setPassword: (s, a, p) => keytar.setPassword(s, a, p),
    deletePassword: (s, a) => keytar.deletePassword(s, a),
    async findCredentials(s) {
      const all = await keytar.findCredentials(s);
      exposed.push(...all.map((c) => c.account));
      return all;
    },
  };
}

const other: ConnectionSecret = {
  kind: 'oauth2',
  accessToken: 'other-customer-access-token-1',
  refreshToken: 'other-customer-refresh-1',
};
type OAuthSecret = Extract<ConnectionSecret, { kind: 'oauth2' }>;
const mine: OAuthSecret = { kind: 'oauth2', accessToken: 'my-access-token-2', refreshToken: 'my-refresh-2' };

describe('the vault reads no other secret when it writes or removes one', () => {
  it.each([
    ['a small token set', mine],
    ['a token set split into chunks', { ...mine, idToken: 'x'.repeat(5_000) }],
  ] as Array<[string, OAuthSecret]>)(
    'saving %s, saving it again, and removing it expose only that connection',
    async (_name, secret) => {
      const plain = createKeytarVault(service);
      for (let i = 0; i < 3; i += 1) await plain.setConnectionSecret(`other-${i}`, other);
      await plain.setClientSecret('acme', 'other-client-secret-3');
      const recording = recordingKeytar();
      const vault = createKeytarVault(service, recording);
      await vault.setConnectionSecret('mine', secret);
      await vault.setConnectionSecret('mine', { ...secret, accessToken: 'rotated-access-token-3' });
      await vault.deleteConnectionSecret('mine');
      const foreign = recording.exposed.filter((a) => a !== 'connection:mine' && !a.startsWith('connection:mine#'));
      expect(foreign).toEqual([]);
      expect(await plain.getConnectionSecret('other-0')).toEqual(other);
    },
  );
});
