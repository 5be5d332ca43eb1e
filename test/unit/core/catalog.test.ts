import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInProviders, SANDBOX_CLIENT_ID } from '../../../main/core/providers/catalog';
import { resolveConfig } from '../../../main/core/model/config';
import { exportProviders, parseProviderDefinition, parseProviderImport } from '../../../main/core/providers/provider-schema';

const config = resolveConfig({ PATCHBAY_HOME: '/tmp/patchbay-catalog-test', PATCHBAY_SANDBOX_PORT: '50123' });
const catalog = builtInProviders(config);
const byId = new Map(catalog.map((p) => [p.definition.id, p]));

describe('builtInProviders', () => {
  it('lists every agreed provider id exactly once', () => {
    expect(catalog.map((p) => p.definition.id).sort()).toEqual([
      'landbot', 'landbot-oauth', 'livechat', 'livestorm', 'livestorm-oauth', 'respondio', 'respondio-oauth',
      'sandbox', 'webinargeek', 'webinargeek-oauth',
    ]);
  });

  it('holds only definitions that pass the import rules unchanged', () => {
    for (const p of catalog) {
      expect(parseProviderDefinition(p.definition)).toEqual(p.definition);
      expect(p.builtIn).toBe(true);
    }
    expect(parseProviderImport(exportProviders(catalog.map((p) => p.definition)))).toHaveLength(catalog.length);
  });

  it('puts the documented method first in every family', () => {
    const families = new Map<string, typeof catalog>();
    for (const p of catalog) families.set(p.family, [...(families.get(p.family) ?? []), p]);
    expect([...families.keys()]).toEqual(['sandbox', 'livechat', 'livestorm', 'landbot', 'respondio', 'webinargeek']);
    for (const [family, members] of families) {
      expect(members[0]?.documented, family).toBe(true);
      expect(members[0]?.definition.id).toBe(family);
      for (const other of members.slice(1)) {
        expect(other.documented).toBe(false);
        expect(other.note).toMatch(/./);
      }
    }
  });

  it('builds the Sandbox from the configured port as a public client', () => {
    const sandbox = byId.get('sandbox')!.definition;
    expect(SANDBOX_CLIENT_ID).toBe('patchbay-desktop');
    expect(sandbox).toMatchObject({
      issuer: 'http://127.0.0.1:50123', authorizationUrl: 'http://127.0.0.1:50123/auth', tokenUrl: 'http://127.0.0.1:50123/token',
      revocationUrl: 'http://127.0.0.1:50123/token/revocation', testUrl: 'http://127.0.0.1:50123/me', tokenAuthMethod: 'none',
      scopes: ['openid', 'profile', 'email', 'offline_access'], labelPath: 'name', extraAuthorizeParams: { prompt: 'consent' }, pkce: true,
    });
  });

  it('carries the documented provider facts', () => {
    expect(byId.get('livechat')!.definition).toMatchObject({
      auth: 'oauth2', authorizationUrl: 'https://accounts.livechat.com/', tokenUrl: 'https://accounts.livechat.com/v2/token',
      tokenRequestFormat: 'form', tokenAuthMethod: 'client_secret_post', pkceMethodName: 's256', revocationStyle: 'livechat-delete',
      revocationUrl: 'https://accounts.livechat.com/v2/token', testUrl: 'https://accounts.livechat.com/v2/info', scopeSeparator: ',',
      errorPageUrl: 'https://accounts.livechat.com/ooops',
    });
    expect(byId.get('landbot')!.definition).toMatchObject({ auth: 'apiKey', apiKeyHeader: 'Authorization', apiKeyPrefix: 'Token ', testUrl: 'https://api.landbot.io/v1/channels/' });
    expect(byId.get('respondio')!.definition).toMatchObject({ auth: 'apiKey', apiKeyHeader: 'Authorization', apiKeyPrefix: 'Bearer ' });
    expect(byId.get('respondio')!.note).toContain('Settings > Integration > Developer API');
    expect(byId.get('webinargeek')!.definition).toMatchObject({ auth: 'apiKey', apiKeyHeader: 'Api-Token', apiKeyPrefix: '' });
    expect(byId.get('livestorm')!.definition).toMatchObject({ auth: 'apiKey', testUrl: 'https://api.livestorm.co/v1/me' });
    expect(byId.get('livestorm-oauth')!.note).toContain('approved technology partners only');
    expect(byId.get('livestorm-oauth')!.definition.redirectUri).toBeUndefined();
    for (const id of ['landbot-oauth', 'respondio-oauth', 'webinargeek-oauth', 'livestorm-oauth']) {
      expect(byId.get(id)!.definition.name).toMatch(/ — OAuth 2\.0 with your own app$/);
    }
  });

  it('has a source comment on every value in catalog.ts', () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, '../../../main/core/providers/catalog.ts'), 'utf8');
    const valueLines = source.split('\n').filter((l) => /^\s+(issuer|scopes|authorizationUrl|tokenUrl|revocationUrl|revocationStyle|tokenRequestFormat|tokenAuthMethod|pkce|pkceMethodName|testUrl|labelPath|apiKeyHeader|apiKeyPrefix|scopeSeparator|errorPageUrl|loopbackPort|docsUrl|apiKeyHelpUrl):/.test(l));
    expect(valueLines.length).toBeGreaterThan(40);
    for (const line of valueLines) expect(line.includes('//'), line).toBe(true);
  });
});
