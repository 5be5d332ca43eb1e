/**
 * What the settings-store tests share: a connection record to save, a document with every part
 * the schema fills in or normalises, and a hand edit of the file that keeps its size and puts its
 * old times back (so only its content says it changed).
 */
import fs from 'node:fs';
import { expect } from 'vitest';
import type { ConnectionRecord, SettingsData } from '../../main/core/model/types';

/** A valid connection record for provider "acme", with `extra` over it. */
export const connectionRecord = (id: string, extra: Partial<ConnectionRecord> = {}): ConnectionRecord => ({
  id,
  providerId: 'acme',
  auth: 'oauth2',
  label: `Account ${id}`,
  scopes: ['read'],
  expiresAt: '2026-12-01T00:00:00.000Z',
  createdAt: '2026-11-30T00:00:00.000Z',
  state: 'ok',
  hasRefreshToken: true,
  lastTest: { ok: true, httpStatus: 200, latencyMs: 12, at: '2026-11-30T00:00:01.000Z' },
  lastError: null,
  ...extra,
});

/** Overwrite the file by hand with `edit(text)`, keeping its size and putting its old times back. */
export function editInPlace(file: string, edit: (text: string) => string): void {
  const before = fs.statSync(file);
  const text = fs.readFileSync(file, 'utf8');
  const changed = edit(text);
  expect(changed).not.toBe(text);
  expect(Buffer.byteLength(changed)).toBe(before.size);
  fs.writeFileSync(file, changed);
  fs.utimesSync(file, before.atimeMs / 1000, before.mtimeMs / 1000);
  // To the millisecond (what utimes can put back): a check by size and time would see no change.
  expect(Math.trunc(fs.statSync(file).mtimeMs)).toBe(Math.trunc(before.mtimeMs));
}

/** A provider definition as a person saves it (the check fills in pkce, grant and the rest). */
export const acmeProvider = {
  id: 'acme',
  name: 'Acme',
  auth: 'oauth2',
  authorizationUrl: 'https://acme.example/authorize',
  tokenUrl: 'https://acme.example/token',
  testUrl: 'https://acme.example/me',
  labelPath: 'name',
  scopes: ['read'],
} as SettingsData['providers'][number];

/** Fill a document with every part the schema fills in or normalises: a provider, network, checks. */
export function addRichDocument(data: SettingsData): void {
  data.providers.push({ ...acmeProvider });
  data.clients.acme = { clientId: 'acme-client' };
  data.network = { proxyUrl: null, noProxy: '', caFile: null, proxyUser: null, hasProxyPassword: false };
  data.connections.push(
    connectionRecord('acme-1'),
    connectionRecord('acme-2', {
      lastCheck: { at: '2026-11-30T01:00:00.000Z', status: 'ok', httpStatus: 200, latencyMs: 5, error: null },
    }),
  );
}
