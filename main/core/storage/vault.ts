/**
 * The secret vault on the operating system keychain (keytar).
 *
 * Token sets, API keys and client secrets live only here, one entry per secret under one
 * service name. Windows limits a credential to 2,560 bytes and a token set with an ID token is
 * often larger, so long values are split into chunks with a small manifest in the main entry.
 * When the keychain cannot be reached the caller gets `keychain_unavailable` with the fix: never
 * a silent fallback to a plaintext file.
 */
import { createRequire } from 'node:module';
import { z } from '../model/zod';
import type { ConnectionSecret, SecretVault } from '../model/types';
import { PatchbayError } from '../model/errors';
import { redactText } from './redact';

/** Largest value stored in one entry, in UTF-8 bytes (below Windows' 2,560-byte limit). */
export const CHUNK_BYTES = 2000;
const KEYCHAIN_TIMEOUT_MS = 30_000;

const optionalString = z.optional(z.string());
const secretSchema = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('oauth2'),
    accessToken: z.string(),
    refreshToken: optionalString,
    tokenType: optionalString,
    expiresAt: z.optional(z.number()),
    scope: optionalString,
    idToken: optionalString,
  }),
  z.looseObject({ kind: z.literal('apiKey'), apiKey: z.string() }),
]);
const manifestSchema = z.object({
  patchbayChunks: z.number().check(z.int(), z.gte(1), z.lte(1000)),
  sha256: z.string(),
});

/** The part of keytar the vault uses (injectable for tests). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  /** Part of keytar's API; deliberately never called by the vault (it decrypts every entry). */
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** Account names of the entries (exported so tests and diagnostics agree with the vault). */
export const connectionAccount = (id: string) => `connection:${id}`;
export const chunkAccount = (id: string, index: number) => `connection:${id}#${index}`;
export const clientSecretAccount = (providerId: string) => `client-secret:${providerId}`;

const requireFromHere = createRequire(import.meta.url);
let keytarPromise: Promise<KeytarLike> | null = null;
/**
 * Load keytar on first use, so importing the vault never fails where keytar cannot load (the
 * failure arrives as this promise's rejection). With require, not import(): keytar is CommonJS,
 * and importing it from ESM makes Node start its CommonJS export scanner first, at every start.
 */
function loadKeytar(): Promise<KeytarLike> {
  keytarPromise ??= new Promise<KeytarLike>((resolve) => resolve(requireFromHere('keytar') as KeytarLike));
  return keytarPromise;
}

/** What the failed keychain call was doing, so the sentence says what did (not) happen. */
export type KeychainAction = 'read' | 'write' | 'delete';

const AFTERMATH: Record<KeychainAction, string> = {
  read: 'Nothing was changed; try again once the keychain is unlocked.',
  write: 'Nothing was saved.',
  delete: 'Nothing was removed; try again once the keychain is unlocked.',
};

/** The error every keychain failure becomes, with the fix in plain words. */
export function keychainUnavailable(cause: unknown, action: KeychainAction = 'write'): PatchbayError {
  const raw = cause instanceof Error ? cause.message : String(cause);
  const reason = redactText(raw.split('\n')[0] ?? '').slice(0, 200) || 'no reason given';
  return new PatchbayError(
    'keychain_unavailable',
    `Patchbay could not open your system keychain (${reason}). On Linux, install and unlock a Secret Service such as GNOME Keyring; on macOS/Windows make sure you are signed in to your user account. ${AFTERMATH[action]}`,
    { cause },
  );
}

/** Split text into pieces of at most `max` UTF-8 bytes without cutting a character. */
export function splitUtf8(text: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > max && current) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current || parts.length === 0) parts.push(current);
  return parts;
}

/**
 * The digest that ties a chunked secret's parts to its manifest. node:crypto is loaded only here:
 * most secrets fit one entry, and loading it costs every `patchbay token` or `exec` ~10 ms.
 */
async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A SecretVault on keytar under one service name.
 *
 * Entries: `connection:<id>` (a ConnectionSecret as JSON, or a chunk manifest with the parts in
 * `connection:<id>#0..n`), and `client-secret:<providerId>`. Every keytar failure becomes
 * PatchbayError `keychain_unavailable`.
 */
export function createKeytarVault(service: string, keytar?: KeytarLike): SecretVault {
  async function call<T>(op: (k: KeytarLike) => Promise<T>, action: KeychainAction): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const k = keytar ?? (await loadKeytar());
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the keychain did not answer within 30 seconds; it may be locked')),
          KEYCHAIN_TIMEOUT_MS,
        );
      });
      return await Promise.race([op(k), timeout]);
    } catch (error) {
      throw error instanceof PatchbayError ? error : keychainUnavailable(error, action);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Delete chunk entries of a connection from index `from` on (all of them for 0).
   *
   * Chunks are always written as a contiguous run #0..n-1, so deleting upwards until the keychain
   * reports nothing deleted removes every stale part. Never list the service (findCredentials):
   * that would decrypt every other connection's secret into this process.
   */
  async function deleteChunks(id: string, from: number): Promise<void> {
    for (let index = from; ; index += 1) {
      const deleted = await call((k) => k.deletePassword(service, chunkAccount(id, index)), 'delete');
      if (!deleted) return;
    }
  }

  function damaged(cause?: unknown): PatchbayError {
    return new PatchbayError(
      'internal',
      'The saved credential for this connection is damaged in the keychain. Disconnect it and connect again.',
      { cause },
    );
  }

  /** Read and reassemble one connection's secret; throws `damaged` when parts do not match. */
  async function readConnection(id: string): Promise<ConnectionSecret | null> {
    const main = await call((k) => k.getPassword(service, connectionAccount(id)), 'read');
    if (main === null) return null;
    let text = main;
    let parsed: unknown;
    try {
      parsed = JSON.parse(main);
    } catch (error) {
      throw damaged(error);
    }
    const manifest = manifestSchema.safeParse(parsed);
    if (manifest.success) {
      const parts: string[] = [];
      for (let i = 0; i < manifest.data.patchbayChunks; i += 1) {
        const part = await call((k) => k.getPassword(service, chunkAccount(id, i)), 'read');
        if (part === null) throw damaged();
        parts.push(part);
      }
      text = parts.join('');
      if ((await sha256(text)) !== manifest.data.sha256) throw damaged();
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw damaged(error);
      }
    }
    const secret = secretSchema.safeParse(parsed);
    if (!secret.success) throw damaged();
    return secret.data as ConnectionSecret;
  }

  return {
    async getConnectionSecret(id) {
      try {
        return await readConnection(id);
      } catch (error) {
        if (!(error instanceof PatchbayError) || error.code !== 'internal') throw error;
        // Another process may be between writing the parts and the manifest: look once more.
        await new Promise((resolve) => setTimeout(resolve, 250));
        return readConnection(id);
      }
    },

    async setConnectionSecret(id, secret, options) {
      const text = JSON.stringify(secretSchema.parse(secret));
      // Stale chunks can only sit under an id that was saved before; a brand-new id (a connect)
      // has none, so the probe (a keychain round trip that finds nothing) is skipped for it.
      const stale = options?.isNew !== true;
      if (Buffer.byteLength(text) <= CHUNK_BYTES) {
        await call((k) => k.setPassword(service, connectionAccount(id), text), 'write');
        if (stale) await deleteChunks(id, 0);
        return;
      }
      const parts = splitUtf8(text, CHUNK_BYTES);
      // Chunks first, manifest last: a reader never sees a manifest pointing at missing parts.
      for (const [i, part] of parts.entries())
        await call((k) => k.setPassword(service, chunkAccount(id, i), part), 'write');
      const manifest = JSON.stringify({ patchbayChunks: parts.length, sha256: await sha256(text) });
      await call((k) => k.setPassword(service, connectionAccount(id), manifest), 'write');
      if (stale) await deleteChunks(id, parts.length);
    },

    async deleteConnectionSecret(id) {
      await call((k) => k.deletePassword(service, connectionAccount(id)), 'delete');
      await deleteChunks(id, 0);
    },

    async getClientSecret(providerId) {
      return call((k) => k.getPassword(service, clientSecretAccount(providerId)), 'read');
    },

    async setClientSecret(providerId, secret) {
      if (Buffer.byteLength(secret) > CHUNK_BYTES) {
        throw new PatchbayError(
          'invalid_input',
          'That client secret is longer than 2,000 bytes, which no provider issues. Check that you pasted only the secret.',
          { field: 'clientSecret' },
        );
      }
      await call((k) => k.setPassword(service, clientSecretAccount(providerId), secret), 'write');
    },

    async deleteClientSecret(providerId) {
      await call((k) => k.deletePassword(service, clientSecretAccount(providerId)), 'delete');
    },
  };
}
