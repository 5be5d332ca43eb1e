/**
 * The keychain entries' names, loading keytar, and reading one entry ahead of the vault.
 *
 * A command that hands out one connection's credential (`patchbay token`, `exec`, `request`)
 * spends most of its life loading the engine's modules (main-thread work) and then waiting for
 * the keychain (a D-Bus round trip to the Secret Service, or the macOS/Windows equivalent, done
 * on a libuv worker thread). Started first, the keychain read runs while the modules load, so the
 * command pays for the longer of the two instead of both.
 *
 * The early read is only a head start on the read the vault would make anyway: the vault claims
 * it once, for the same service and entry, within a few seconds; a write or delete of that entry
 * throws it away first, so a claimed value is never older than the last change this process made.
 * Nothing else can see it, and an unclaimed read is simply dropped with the process.
 *
 * This module imports nothing heavy, so it can run before the engine is loaded.
 */
import fs from 'node:fs';
import { pickConnection } from '../model/connection-ref';
import { resolveConfig, settingsFileIn } from '../model/config';

/** The part of keytar the vault uses (injectable for tests). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  /** Part of keytar's API; deliberately never called by the vault (it decrypts every entry). */
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** Account names of the entries (the vault's layout; tests and diagnostics agree with it). */
export const connectionAccount = (id: string) => `connection:${id}`;
export const chunkAccount = (id: string, index: number) => `connection:${id}#${index}`;
export const clientSecretAccount = (providerId: string) => `client-secret:${providerId}`;

let keytarPromise: Promise<KeytarLike> | null = null;
/** Load keytar on first use, so importing the vault never fails where keytar cannot load. */
export function loadKeytar(): Promise<KeytarLike> {
  keytarPromise ??= import('keytar').then(
    (mod) => (mod as { default?: KeytarLike }).default ?? (mod as unknown as KeytarLike),
  );
  return keytarPromise;
}

/** A head start older than this is not used: the vault reads the entry again. */
const PREFETCH_MAX_AGE_MS = 5_000;
/** Settings files larger than this are left to the engine (which bounds and validates them). */
const MAX_GUESS_BYTES = 4 * 1024 * 1024;

interface Prefetch {
  key: string;
  startedAt: number;
  value: Promise<string | null>;
}
let waiting: Prefetch | null = null;

const keyOf = (service: string, account: string) => `${service}\u0000${account}`;

/**
 * Start reading `account` of `service` now; the vault's next read of it takes the result. Returns
 * the read itself for a caller that wants to know when it is done (it never rejects).
 */
export function prefetchEntry(service: string, account: string, now = Date.now()): Promise<unknown> {
  const value = loadKeytar().then((k) => k.getPassword(service, account));
  // Nobody may ever claim it: a failure must not become an unhandled rejection. The claimer
  // still sees the failure through `value` itself.
  const settled = value.catch(() => undefined);
  waiting = { key: keyOf(service, account), startedAt: now, value };
  return settled;
}

/**
 * The head start for `account`, at most once; null when there is none, it is for another entry,
 * or it is too old. Whatever is waiting is forgotten either way.
 */
export function claimPrefetched(service: string, account: string, now = Date.now()): Promise<string | null> | null {
  const found = waiting;
  waiting = null;
  if (!found || found.key !== keyOf(service, account) || now - found.startedAt > PREFETCH_MAX_AGE_MS) return null;
  return found.value;
}

/** Forget a head start for `account`: the entry is about to change. */
export function dropPrefetched(service: string, account: string): void {
  if (waiting?.key === keyOf(service, account)) waiting = null;
}

/**
 * Start reading the keychain entry of the connection `ref` names (an ID, or a provider ID with
 * exactly one connection), found in the settings file as it is on disk right now.
 *
 * A guess made before the engine has validated the file: when the file is missing, unreadable,
 * too large or names no such connection, nothing is started and the engine reports the problem
 * as usual.
 */
export function prefetchConnectionSecret(env: Record<string, string | undefined>, ref: string): void {
  try {
    const config = resolveConfig(env);
    const file = settingsFileIn(config.home);
    if (fs.statSync(file).size > MAX_GUESS_BYTES) return;
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { connections?: unknown };
    if (!Array.isArray(doc.connections)) return;
    const records = doc.connections.filter(
      (c): c is { id: string; providerId: string } =>
        typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.providerId === 'string',
    );
    const picked = pickConnection(records, ref);
    if (picked.kind === 'one') void prefetchEntry(config.keychainService, connectionAccount(picked.connection.id));
  } catch {
    // Only a head start: the engine reads, validates and reports on its own.
  }
}
