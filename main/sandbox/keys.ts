/**
 * The Sandbox's signing keys (JWKS) and cookie keys, generated once and kept on disk.
 *
 * Keys must outlive the process: ID tokens and signed cookies issued by one Sandbox process are
 * checked by the next one. The file is created exactly once even when two processes start at
 * the same moment (write to a private temporary file, then hard-link it into place, which fails
 * if another process won), and it is readable only by its owner (0600).
 */
import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/** What `${home}/sandbox/keys.json` holds. */
export interface SandboxKeys {
  version: 1;
  jwks: { keys: Array<Record<string, unknown>> };
  cookieKeys: string[];
}

async function newKeys(): Promise<SandboxKeys> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    version: 1,
    jwks: { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookieKeys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
  };
}

function isSandboxKeys(value: unknown): value is SandboxKeys {
  const v = value as SandboxKeys | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.version === 1 &&
    Array.isArray(v.jwks?.keys) &&
    v.jwks.keys.length > 0 &&
    Array.isArray(v.cookieKeys) &&
    v.cookieKeys.length > 0
  );
}

async function readKeys(file: string): Promise<SandboxKeys | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return isSandboxKeys(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Load the Sandbox keys from `dir/keys.json`, creating them on first use.
 *
 * An unreadable or invalid file is replaced (the Sandbox is test infrastructure: new keys only
 * mean existing Sandbox sessions have to sign in again).
 */
export async function loadOrCreateKeys(dir: string): Promise<SandboxKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'keys.json');
  const existing = await readKeys(file);
  if (existing) return existing;

  const keys = await newKeys();
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
  try {
    await link(tmp, file);
    await chmod(file, 0o600);
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeys(file);
    if (winner) return winner;
    // The existing file is broken: replace it with ours.
    await unlink(file).catch(() => undefined);
    await link(tmp, file);
    return keys;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
