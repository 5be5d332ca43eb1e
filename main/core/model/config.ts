/**
 * Where Patchbay keeps its files and which keychain service and Sandbox port it uses.
 *
 * Every host (Electron, web, CLI) and every test resolves the same four values from the
 * environment, so a test can point a whole process at a throwaway folder and keychain service
 * with two variables and nothing else.
 */
import os from 'node:os';
import path from 'node:path';
import { PatchbayError } from './errors';

/** The resolved locations and ports one Patchbay process uses. */
export interface PatchbayConfig {
  /** Settings, locks, traces and Sandbox state live here (PATCHBAY_HOME). */
  home: string;
  /** keytar service name (PATCHBAY_KEYCHAIN_SERVICE). */
  keychainService: string;
  /** Stable loopback port of the built-in Sandbox provider (PATCHBAY_SANDBOX_PORT). */
  sandboxPort: number;
  /** `http://127.0.0.1:<sandboxPort>`: the Sandbox's issuer identifier and base URL. */
  sandboxIssuer: string;
}

/** Default keytar service name. */
export const DEFAULT_KEYCHAIN_SERVICE = 'Patchbay';
/** Default Sandbox port: fixed so that connections made in one process work in another. */
export const DEFAULT_SANDBOX_PORT = 47615;

type Env = Record<string, string | undefined>;

/**
 * The operating system's per-user configuration folder for Patchbay.
 *
 * Follows each platform's convention (XDG on Linux), the same folder Electron's `userData` uses,
 * so the CLI and the desktop app share one settings file.
 */
export function defaultHome(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const homeDir = env.HOME && env.HOME.length > 0 ? env.HOME : os.homedir();
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Application Support', 'Patchbay');
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA.length > 0 ? env.APPDATA : path.join(homeDir, 'AppData', 'Roaming');
    return path.join(appData, 'Patchbay');
  }
  const xdg =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  return path.join(xdg, 'Patchbay');
}

function parsePort(raw: string): number {
  const trimmed = raw.trim();
  const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PatchbayError(
      'invalid_input',
      `PATCHBAY_SANDBOX_PORT is "${raw}", which is not a port number. Set it to a whole number from 1 to 65535, or remove it to use ${DEFAULT_SANDBOX_PORT}.`,
      { field: 'PATCHBAY_SANDBOX_PORT' },
    );
  }
  return port;
}

/**
 * Resolve the configuration from environment variables, with the documented defaults.
 *
 * Empty variables count as unset, so `PATCHBAY_HOME= patchbay status` behaves like no override.
 * A relative PATCHBAY_HOME is resolved against the current folder so that child processes
 * started elsewhere still agree on it.
 */
export function resolveConfig(env: Env = process.env): PatchbayConfig {
  const rawHome = env.PATCHBAY_HOME?.trim();
  const home = rawHome ? path.resolve(rawHome) : defaultHome(env);
  const rawService = env.PATCHBAY_KEYCHAIN_SERVICE?.trim();
  const keychainService = rawService ? rawService : DEFAULT_KEYCHAIN_SERVICE;
  const rawPort = env.PATCHBAY_SANDBOX_PORT;
  const sandboxPort = rawPort !== undefined && rawPort.trim() !== '' ? parsePort(rawPort) : DEFAULT_SANDBOX_PORT;
  return { home, keychainService, sandboxPort, sandboxIssuer: `http://127.0.0.1:${sandboxPort}` };
}
