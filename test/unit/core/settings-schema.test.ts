import { describe, expect, it } from 'vitest';
import { parseProviderDefinition } from '../../../main/core/providers/provider-schema';
import {
  CURRENT_SCHEMA_VERSION,
  findSecretKey,
  migrateSettings,
  parseSettingsDocument,
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
    expect(settingsSchema().safeParse(data).success).toBe(true);
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
    const parsed = settingsSchema().parse({ ...base, providers: [good] });
    expect(parsed.providers[0]).toMatchObject({ pkce: true, auth: 'oauth2' });
    expect(
      settingsSchema().safeParse({ ...base, providers: [{ ...good, tokenUrl: 'http://a.example/t' }] }).success,
    ).toBe(false);
    expect(settingsSchema().safeParse({ ...base, providers: [good, good] }).success).toBe(false);
  });

  it('keeps fields added by newer versions', () => {
    const parsed = settingsSchema().parse({
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

describe('provider definitions that already passed (remembered by their JSON text)', () => {
  const doc = (provider: Record<string, unknown>) => ({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    providers: [provider],
    clients: {},
    connections: [],
    preferences: { theme: 'system' },
  });
  const acme = {
    id: 'acme-remembered',
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: 'https://acme.example/authorize',
    tokenUrl: 'https://acme.example/token',
    scopes: ['read'],
  };

  it('still refuses the same definition once one field is made invalid', () => {
    expect(parseSettingsDocument(doc(acme)).success).toBe(true);
    expect(parseSettingsDocument(doc(acme)).success).toBe(true);
    const broken = parseSettingsDocument(doc({ ...acme, tokenUrl: 'htt:s//acme.example/token' }));
    expect(broken.success).toBe(false);
    expect(broken.error?.issues[0]?.path).toEqual(['providers', 0]);
    expect(parseSettingsDocument(doc({ ...acme, scopes: 'read' })).success).toBe(false);
  });

  it('gives the result for the definition as it is now, with defaults, as a fresh copy', () => {
    const first = parseSettingsDocument(doc(acme));
    const again = parseSettingsDocument(doc({ ...acme, name: 'Acme Renamed' }));
    expect(again.data?.providers[0]).toMatchObject({ name: 'Acme Renamed', pkce: true, grant: 'authorization_code' });
    const provider = first.data!.providers[0]!;
    provider.name = 'changed by a caller';
    provider.scopes?.push('admin');
    expect(parseSettingsDocument(doc(acme)).data?.providers[0]).toMatchObject({ name: 'Acme', scopes: ['read'] });
    expect(parseSettingsDocument(doc(acme)).data?.providers[0]).toEqual(parseProviderDefinition(acme));
  });
});
