/**
 * oidc-provider storage adapter that keeps the Sandbox's state in small JSON files.
 *
 * The Sandbox must survive restarts and be usable from another process (a connection made by
 * `patchbay connect` is refreshed later by `patchbay refresh`), so grants, codes, tokens,
 * sessions and interactions live under `${home}/sandbox/store/<Model>/`. One file per record,
 * written to a temporary name and renamed, so a reader never sees half a file and two processes
 * never corrupt each other. File names are a SHA-256 of the record id, and for tokens and codes
 * the id itself (which *is* the token value) is not written at all: the files under
 * PATCHBAY_HOME never contain a usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models whose id is a bearer value (token or code): never written to disk. */
const SECRET_ID_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
  'RegistrationAccessToken',
  'InitialAccessToken',
  'PushedAuthorizationRequest',
]);

/** Models that belong to a grant and go when the grant is revoked. */
const GRANT_MEMBERS = [
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
];

const SWEEP_EVERY_MS = 60_000;

interface StoredRecord {
  /** Epoch milliseconds, or null for records without an expiry. */
  expiresAt: number | null;
  payload: AdapterPayload;
}

function fileNameFor(id: string): string {
  return `${createHash('sha256').update(id).digest('hex')}.json`;
}

/** Write a file atomically (temporary name + rename) and readable only by its owner. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  try {
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

async function readRecord(file: string, now: number): Promise<StoredRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let record: StoredRecord;
  try {
    record = JSON.parse(text) as StoredRecord;
  } catch {
    return undefined;
  }
  if (record.expiresAt !== null && record.expiresAt <= now) {
    await unlink(file).catch(() => undefined);
    return undefined;
  }
  return record;
}

/**
 * Build the adapter factory oidc-provider calls once per model name.
 *
 * `root` is `${home}/sandbox/store`; `now` is injectable so expiry can be tested without waiting.
 */
export function createFileAdapterFactory(root: string, now: () => number = Date.now): (model: string) => Adapter {
  const lastSweep = new Map<string, number>();
  /**
   * Device code ids by user code, in memory only. The id is the secret device code, so it is not on
   * disk; yet oidc-provider finds a device code by its user code (the person types it) and saves it
   * back under its id. A code lives ten minutes and is typed on the Sandbox that issued it, so the
   * process that wrote it is the one that looks it up.
   */
  const deviceCodeIds = new Map<string, string>();

  const dirFor = (model: string) => path.join(root, model);

  async function listRecords(model: string): Promise<Array<{ file: string; record: StoredRecord }>> {
    const dir = dirFor(model);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    const out: Array<{ file: string; record: StoredRecord }> = [];
    const at = now();
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      const record = await readRecord(file, at);
      if (record) out.push({ file, record });
    }
    return out;
  }

  async function sweep(model: string): Promise<void> {
    const last = lastSweep.get(model) ?? 0;
    if (now() - last < SWEEP_EVERY_MS) return;
    lastSweep.set(model, now());
    await listRecords(model); // reading removes expired records
  }

  return (model: string): Adapter => {
    const secretIds = SECRET_ID_MODELS.has(model);
    const fileOf = (id: string) => path.join(dirFor(model), fileNameFor(id));

    async function find(id: string): Promise<AdapterPayload | undefined> {
      const record = await readRecord(fileOf(id), now());
      if (!record) return undefined;
      return secretIds ? { ...record.payload, jti: id } : record.payload;
    }

    return {
      async upsert(id, payload, expiresIn) {
        await mkdir(dirFor(model), { recursive: true, mode: 0o700 });
        const stored: AdapterPayload = { ...payload };
        if (secretIds) delete stored.jti;
        const record: StoredRecord = {
          expiresAt: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : null,
          payload: stored,
        };
        await writeFileAtomic(fileOf(id), JSON.stringify(record));
        if (model === 'DeviceCode' && typeof payload.userCode === 'string') deviceCodeIds.set(payload.userCode, id);
        await sweep(model);
      },
      find,
      async findByUid(uid) {
        const match = (await listRecords(model)).find(({ record }) => record.payload.uid === uid);
        return match?.record.payload;
      },
      async findByUserCode(userCode) {
        const id = deviceCodeIds.get(userCode);
        // Without its id a device code could not be saved back; a code issued by another process is unknown here.
        if (secretIds) return id === undefined ? undefined : find(id);
        const match = (await listRecords(model)).find(({ record }) => record.payload.userCode === userCode);
        return match?.record.payload;
      },
      async consume(id) {
        const file = fileOf(id);
        const record = await readRecord(file, now());
        if (!record) return;
        record.payload.consumed = Math.floor(now() / 1000);
        await writeFileAtomic(file, JSON.stringify(record));
      },
      async destroy(id) {
        await unlink(fileOf(id)).catch(() => undefined);
      },
      async revokeByGrantId(grantId) {
        for (const member of GRANT_MEMBERS) {
          for (const { file, record } of await listRecords(member)) {
            if (record.payload.grantId === grantId) await unlink(file).catch(() => undefined);
          }
        }
      },
    };
  };
}
