import { describe, expect, it } from 'vitest';
import {
  CURRENT_SCHEMA_VERSION,
  findSecretKey,
  migrateSettings,
  settingsSchema,
} from '../../../main/core/storage/settings-schema';

describe('settings migrations', () => {
  it('upgrades a v0 document (no version, no preferences) to the current version', () => {
    const { data, migrated } = migrateSettings({ connections: [] });
    expect(migrated).toBe(true);
    expect(data).toEqual({
      schemaVersion: CURRENT_SCHEMA_VERSION,
      providers: [],
      clients: {},
      connections: [],
      preferences: { theme: 'system' },
    });
    expect(settingsSchema.safeParse(data).success).toBe(true);
  });

  it('keeps existing values while migrating', () => {
    const { data } = migrateSettings({ preferences: { theme: 'dark' }, clients: { acme: { clientId: 'x' } } });
    expect(data.preferences).toEqual({ theme: 'dark' });
    expect(data.clients).toEqual({ acme: { clientId: 'x' } });
  });

  it('leaves a current document untouched and refuses nonsense versions', () => {
    const doc = {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      providers: [],
      clients: {},
      connections: [],
      preferences: { theme: 'light' },
    };
    expect(migrateSettings(doc)).toEqual({ data: doc, migrated: false });
    expect(() => migrateSettings({ schemaVersion: 'one' })).toThrow(/schemaVersion/);
  });
});

describe('settingsSchema', () => {
  const base = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    providers: [],
    clients: {},
    connections: [],
    preferences: { theme: 'system' },
  };
  it('validates providers with the import rules and rejects duplicates', () => {
    const good = { id: 'acme', name: 'Acme', authorizationUrl: 'https://a.example/a', tokenUrl: 'https://a.example/t' };
    const parsed = settingsSchema.parse({ ...base, providers: [good] });
    expect(parsed.providers[0]).toMatchObject({ pkce: true, auth: 'oauth2' });
    expect(
      settingsSchema.safeParse({ ...base, providers: [{ ...good, tokenUrl: 'http://a.example/t' }] }).success,
    ).toBe(false);
    expect(settingsSchema.safeParse({ ...base, providers: [good, good] }).success).toBe(false);
  });

  it('keeps fields added by newer versions', () => {
    const parsed = settingsSchema.parse({
      ...base,
      futureThing: 1,
      clients: { a: { clientId: 'x', hasClientSecret: true } },
    });
    expect(parsed).toMatchObject({ futureThing: 1, clients: { a: { hasClientSecret: true } } });
  });
});

describe('findSecretKey', () => {
  it('finds secret-named string fields anywhere', () => {
    expect(findSecretKey({ connections: [{ id: 'x', accessToken: 't' }] })).toBe('connections[0].accessToken');
    expect(findSecretKey({ clients: { a: { client_secret: 's' } } })).toBe('clients.a.client_secret');
    expect(findSecretKey({ connections: [{ id: 'x', hasRefreshToken: true, state: 'ok' }] })).toBeNull();
  });
});
