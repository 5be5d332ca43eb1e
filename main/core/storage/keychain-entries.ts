/**
 * The keychain entries' names and loading keytar: the vault's layout, in a module without the
 * vault's schemas so tests and the bench can name entries without loading them.
 */
import { createRequire } from 'node:module';

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

const requireFromHere = createRequire(import.meta.url);
let keytarPromise: Promise<KeytarLike> | null = null;
/**
 * Load keytar on first use, so importing the vault never fails where keytar cannot load (the
 * failure arrives as this promise's rejection). With require, not import(): keytar is CommonJS,
 * and importing it from ESM makes Node start its CommonJS export scanner first, at every start.
 */
export function loadKeytar(): Promise<KeytarLike> {
  keytarPromise ??= new Promise<KeytarLike>((resolve) => resolve(requireFromHere('keytar') as KeytarLike));
  return keytarPromise;
}
