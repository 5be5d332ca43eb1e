/**
 * Shared pieces of `npm run bench`: timing, medians, child processes, throwaway homes, seeding.
 *
 * Every figure is measured in the same run on the same machine, so each is reported next to its
 * target and, where the target is relative (status vs `node -e 0`), against a baseline measured
 * moments apart. Nothing here asserts timings: the bench reports, the test suites pass or fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import type { ConnectionRecord } from '../../main/core/model/types';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Node 22 from the `node` devDependency (what `npm run` puts first on PATH). */
export const NODE = existsSync(path.join(ROOT, 'node_modules/.bin/node'))
  ? path.join(ROOT, 'node_modules/.bin/node')
  : process.execPath;
export const CLI = path.join(ROOT, 'dist/node/patchbay.js');

/**
 * Run this script again under test/with-keyring.sh (a throwaway Secret Service) unless it already
 * runs there, and exit with its status: a bench never touches the developer's own keychain.
 */
export function rerunInKeyring(): void {
  if (process.env.PATCHBAY_IN_KEYRING === '1') return;
  const again = spawnSync(
    path.join(ROOT, 'test/with-keyring.sh'),
    [process.execPath, '--import', 'tsx', ...process.argv.slice(1)],
    { stdio: 'inherit', cwd: ROOT },
  );
  process.exit(again.status ?? 1);
}

/** Progress lines go to stderr so `--json` keeps stdout to the one JSON object. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A fresh PATCHBAY_HOME and a unique keychain service, removed by `cleanup`. */
export async function benchHome(
  label: string,
): Promise<{ home: string; service: string; env: NodeJS.ProcessEnv; cleanup(): Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), `patchbay-bench-${label}-`));
  const service = `PatchbayBench-${randomBytes(6).toString('hex')}`;
  const env = { ...process.env, PATCHBAY_HOME: home, PATCHBAY_KEYCHAIN_SERVICE: service, NO_COLOR: '1' };
  return {
    home,
    service,
    env,
    async cleanup() {
      const keytar = (await import('keytar')).default;
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface ProcessRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a process to completion and time it from spawn to exit (wall clock). */
export function timedRun(command: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Write `count` connection records straight into a home's settings (one locked update). */
export async function seedConnections(home: string, count: number): Promise<void> {
  const now = Date.now();
  const providers = ['sandbox', 'livechat', 'landbot', 'webinargeek', 'respondio'];
  const records: ConnectionRecord[] = Array.from({ length: count }, (_, i) => {
    const providerId = providers[i % providers.length]!;
    const oauth = providerId === 'sandbox' || providerId === 'livechat';
    return {
      id: `${providerId}-${i.toString(16).padStart(8, '0')}`,
      providerId,
      auth: oauth ? 'oauth2' : 'apiKey',
      label: `Account ${i}`,
      scopes: oauth ? ['read', 'write'] : [],
      expiresAt: oauth ? new Date(now + ((i % 120) - 10) * 60_000).toISOString() : null,
      createdAt: new Date(now - i * 1000).toISOString(),
      state: i % 17 === 0 ? 'needs_reconnect' : 'ok',
      hasRefreshToken: oauth,
      lastTest:
        i % 3 === 0
          ? { ok: true, httpStatus: 200, latencyMs: 80 + (i % 50), at: new Date(now - 3_600_000).toISOString() }
          : null,
      lastError: null,
    };
  });
  await openSettings({ home }).update((data) => {
    data.connections.push(...records);
  });
}

/**
 * One connection a command can use without a refresh: an OAuth provider `providerId` with the
 * given URLs, its record, and a token set valid for an hour in the home's keychain service.
 */
export async function seedUsableConnection(
  box: { home: string; service: string },
  connection: { id: string; providerId: string; name: string; accessToken: string; base: string; testPath?: string },
): Promise<void> {
  const { id, providerId, name, accessToken, base, testPath } = connection;
  await createKeytarVault(box.service).setConnectionSecret(id, {
    kind: 'oauth2',
    accessToken,
    refreshToken: `${providerId}-refresh-unused`,
    expiresAt: Date.now() + 3_600_000,
  });
  await openSettings({ home: box.home }).update((data) => {
    data.providers.push({
      id: providerId,
      name,
      auth: 'oauth2',
      authorizationUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
      ...(testPath === undefined ? {} : { testUrl: `${base}${testPath}` }),
    });
    data.connections.push({
      id,
      providerId,
      auth: 'oauth2',
      label: name,
      scopes: [],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdAt: new Date().toISOString(),
      state: 'ok',
      hasRefreshToken: true,
      lastTest: null,
      lastError: null,
    });
  });
}
