import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../../../main/core/model/errors';
import {
  exportProviders,
  MAX_IMPORT_DEFINITIONS,
  parseProviderDefinition,
  parseProviderImport,
} from '../../../main/core/providers/provider-schema';

const oauth = {
  id: 'acme',
  name: 'Acme',
  authorizationUrl: 'https://acme.example/oauth/authorize',
  tokenUrl: 'https://acme.example/oauth/token',
};
const apiKey = {
  id: 'keyed',
  name: 'Keyed',
  auth: 'apiKey',
  apiKeyHeader: 'Api-Token',
  testUrl: 'https://api.keyed.example/me',
};

function failure(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PatchbayError);
    return error as PatchbayError;
  }
  throw new Error('expected a PatchbayError, got success');
}

describe('parseProviderDefinition', () => {
  it('applies the documented OAuth defaults', () => {
    const def = parseProviderDefinition(oauth);
    expect(def).toMatchObject({
      auth: 'oauth2',
      pkce: true,
      pkceMethodName: 'S256',
      tokenAuthMethod: 'client_secret_post',
      tokenRequestFormat: 'form',
      scopeSeparator: ' ',
      revocationStyle: 'none',
      scopes: [],
    });
    expect(parseProviderDefinition({ ...oauth, revocationUrl: 'https://acme.example/revoke' }).revocationStyle).toBe(
      'rfc7009',
    );
  });

  it('keeps explicit values over defaults', () => {
    const def = parseProviderDefinition({
      ...oauth,
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      tokenRequestFormat: 'json',
      scopeSeparator: ',',
    });
    expect(def).toMatchObject({
      pkce: false,
      tokenAuthMethod: 'client_secret_basic',
      tokenRequestFormat: 'json',
      scopeSeparator: ',',
    });
  });

  it('accepts API-key definitions and defaults the prefix to empty', () => {
    expect(parseProviderDefinition(apiKey)).toMatchObject({
      auth: 'apiKey',
      apiKeyHeader: 'Api-Token',
      apiKeyPrefix: '',
    });
  });

  it.each([
    [{ name: 'No id', authorizationUrl: oauth.authorizationUrl, tokenUrl: oauth.tokenUrl }, 'id', /ID is missing/],
    [{ ...oauth, name: '   ' }, 'name', /Name is empty/],
    [{ id: 'acme', name: 'Acme', tokenUrl: oauth.tokenUrl }, 'authorizationUrl', /Authorization URL is missing/],
    [{ id: 'acme', name: 'Acme', authorizationUrl: oauth.authorizationUrl }, 'tokenUrl', /Token URL is missing/],
    [{ ...apiKey, apiKeyHeader: undefined }, 'apiKeyHeader', /API key header is missing/],
    [{ ...apiKey, testUrl: undefined }, 'testUrl', /Test URL is missing/],
    [{ ...oauth, revocationStyle: 'rfc7009' }, 'revocationUrl', /Revocation URL is missing/],
  ])('names the missing field (%#)', (input, field, message) => {
    const error = failure(() => parseProviderDefinition(input));
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('rejects a plain-http token URL on a public host, naming the field and the fix', () => {
    const error = failure(() => parseProviderDefinition({ ...oauth, tokenUrl: 'http://acme.example/oauth/token' }));
    expect(error.field).toBe('tokenUrl');
    expect(error.message).toBe(
      'Token URL must start with https:// (plain http:// is only allowed for 127.0.0.1). Change it to https://acme.example/oauth/token.',
    );
  });

  it.each(['http://127.0.0.1:8080/token', 'http://localhost/token', 'http://[::1]:9/token'])(
    'allows http on loopback %s',
    (url) => {
      expect(parseProviderDefinition({ ...oauth, tokenUrl: url }).tokenUrl).toBe(url);
    },
  );

  it.each([
    ['authorizationUrl', 'not a url'],
    ['testUrl', 'ftp://acme.example/me'],
    ['revocationUrl', 'http://10.0.0.1/revoke'],
    ['issuer', 'http://acme.example'],
    ['docsUrl', 'javascript:alert(1)'],
  ])('rejects a bad %s', (field, value) => {
    const error = failure(() => parseProviderDefinition({ ...oauth, [field]: value }));
    expect(error.field).toBe(field);
    expect(error.code).toBe('invalid_input');
  });

  it('allows private-use schemes only for the redirect URI', () => {
    expect(parseProviderDefinition({ ...oauth, redirectUri: 'patchbay://oauth/callback' }).redirectUri).toBe(
      'patchbay://oauth/callback',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, redirectUri: 'javascript:alert(1)' })).field).toBe(
      'redirectUri',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, redirectUri: 'http://evil.example/cb' })).field).toBe(
      'redirectUri',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, testUrl: 'patchbay://x' })).field).toBe('testUrl');
  });

  it('rejects unknown keys with a spelling hint', () => {
    const error = failure(() => parseProviderDefinition({ ...oauth, tokenURL: 'https://x.example' }));
    expect(error.field).toBe('tokenURL');
    expect(error.message).toBe('Unknown field "tokenURL". Did you mean "tokenUrl"?');
    expect(failure(() => parseProviderDefinition({ ...oauth, scope: ['a'] })).message).toBe(
      'Unknown field "scope". Did you mean "scopes"?',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, tokenUri: 'x' })).message).toBe(
      'Unknown field "tokenUri". Did you mean "tokenUrl"?',
    );
    // Nothing close: no guess, and never the list of every field.
    expect(failure(() => parseProviderDefinition({ ...oauth, colour: 'red' })).message).toBe(
      'Unknown field "colour". Remove it: a provider definition has no such field.',
    );
  });

  it('reports every problem at once, one per field, the first as the error', () => {
    const error = failure(() =>
      parseProviderDefinition({ id: 'Bad Id', name: ' ', auth: 'oauth2', tokenUrl: 'not a url', tokenURL: 'x' }),
    );
    const fields = (error.issues ?? []).map((i) => i.field).sort();
    expect(fields).toEqual(['authorizationUrl', 'id', 'name', 'tokenURL', 'tokenUrl']);
    expect(error.field).toBe(error.issues?.[0]?.field);
    expect(error.issues?.find((i) => i.field === 'name')?.message).toBe(
      'Name is empty. Give the provider a name people will recognise.',
    );
    expect(error.toBridge().issues).toHaveLength(5);
    // A value of the wrong type stops zod early unless the cross-field checks are told to run anyway.
    const typed = failure(() => parseProviderDefinition({ id: 'ok-id', name: 5, auth: 'oauth2' }));
    expect((typed.issues ?? []).map((i) => i.field).sort()).toEqual(['authorizationUrl', 'name', 'tokenUrl']);
  });

  it.each([
    ['id', 'Acme'],
    ['id', ''],
    ['id', 'a'.repeat(64)],
    ['id', 'has space'],
    ['apiKeyHeader', 'Api Token'],
    ['apiKeyHeader', 'X-Key:'],
    ['pkceMethodName', 'plain'],
    ['tokenAuthMethod', 'private_key_jwt'],
    ['auth', 'basic'],
    ['loopbackPort', 70000],
    ['pkce', 'yes'],
  ])('rejects %s = %j', (field, value) => {
    expect(failure(() => parseProviderDefinition({ ...oauth, [field]: value })).field).toBe(field);
  });

  it('words range errors for people', () => {
    expect(failure(() => parseProviderDefinition({ ...oauth, loopbackPort: 0 })).message).toBe(
      'Loopback port must be from 1 to 65535.',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, scopes: Array(101).fill('a') })).message).toBe(
      'Scopes has too many entries.',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, pkce: 'yes' })).message).toBe(
      'PKCE must be true or false.',
    );
  });

  it('validates scopes item by item', () => {
    expect(failure(() => parseProviderDefinition({ ...oauth, scopes: ['read', 'write all'] })).field).toBe('scopes.1');
    expect(failure(() => parseProviderDefinition({ ...oauth, scopes: ['read', ''] })).field).toBe('scopes.1');
    expect(failure(() => parseProviderDefinition({ ...oauth, scopes: 'read write' })).message).toMatch(
      /Scopes must be a list/,
    );
  });

  it('refuses extra authorize params that the engine controls', () => {
    const error = failure(() =>
      parseProviderDefinition({ ...oauth, extraAuthorizeParams: { prompt: 'consent', state: 'fixed' } }),
    );
    expect(error.field).toBe('extraAuthorizeParams.state');
    expect(
      parseProviderDefinition({ ...oauth, extraAuthorizeParams: { prompt: 'consent' } }).extraAuthorizeParams,
    ).toEqual({ prompt: 'consent' });
  });

  it('defaults the grant to authorization_code and writes grant fields in export order', () => {
    expect(parseProviderDefinition(oauth).grant).toBe('authorization_code');
    expect(parseProviderDefinition(apiKey)).not.toHaveProperty('grant');
    const device = parseProviderDefinition({
      id: 'tv',
      name: 'TV',
      grant: 'device_code',
      tokenUrl: 'https://tv.example/token',
      deviceAuthorizationUrl: 'https://tv.example/device',
    });
    expect(Object.keys(device).slice(0, 6)).toEqual([
      'id',
      'name',
      'auth',
      'grant',
      'tokenUrl',
      'deviceAuthorizationUrl',
    ]);
    expect(device.authorizationUrl).toBeUndefined();
  });

  it('needs a device authorization URL for grant device_code, and says where to find it', () => {
    const error = failure(() =>
      parseProviderDefinition({ id: 'tv', name: 'TV', grant: 'device_code', tokenUrl: 'https://tv.example/token' }),
    );
    expect(error.field).toBe('deviceAuthorizationUrl');
    expect(error.message).toMatch(/^Device authorization endpoint is missing\. Grant "device_code" needs/);
    expect(
      failure(() =>
        parseProviderDefinition({ ...oauth, grant: 'device_code', deviceAuthorizationUrl: 'http://tv.example/device' }),
      ).message,
    ).toMatch(/^Device authorization endpoint must start with https:\/\//);
    expect(
      failure(() => parseProviderDefinition({ ...oauth, deviceAuthorizationUrl: 'javascript:alert(1)' })).field,
    ).toBe('deviceAuthorizationUrl');
  });

  it('lets client credentials go without an authorization URL but not without a token URL or a secret method', () => {
    const machine = { id: 'bot', name: 'Bot', grant: 'client_credentials' };
    expect(parseProviderDefinition({ ...machine, tokenUrl: 'https://bot.example/token' }).grant).toBe(
      'client_credentials',
    );
    const noToken = failure(() => parseProviderDefinition(machine));
    expect(noToken.field).toBe('tokenUrl');
    expect(noToken.message).toMatch(/^Token URL is missing\. Client credentials get every token/);
    const none = failure(() =>
      parseProviderDefinition({ ...machine, tokenUrl: 'https://bot.example/token', tokenAuthMethod: 'none' }),
    );
    expect(none.field).toBe('tokenAuthMethod');
    expect(none.message).toMatch(/client_secret_basic/);
  });

  it('still needs the authorization URL for the default grant, and refuses unknown grants and grants on API keys', () => {
    expect(failure(() => parseProviderDefinition({ id: 'a', name: 'A', tokenUrl: oauth.tokenUrl })).field).toBe(
      'authorizationUrl',
    );
    expect(failure(() => parseProviderDefinition({ ...oauth, grant: 'password' })).message).toBe(
      'Grant must be one of: "authorization_code", "client_credentials", "device_code".',
    );
    const onKey = failure(() => parseProviderDefinition({ ...apiKey, grant: 'device_code' }));
    expect(onKey.field).toBe('grant');
    expect(onKey.message).toMatch(/only applies to OAuth 2\.0 providers/);
  });

  it('rejects non-objects', () => {
    expect(failure(() => parseProviderDefinition([oauth])).code).toBe('invalid_input');
    expect(failure(() => parseProviderDefinition('acme')).code).toBe('invalid_input');
  });
});

describe('parseProviderImport / exportProviders', () => {
  it('accepts one object or an array', () => {
    expect(parseProviderImport(JSON.stringify(oauth))).toHaveLength(1);
    expect(parseProviderImport(JSON.stringify([oauth, apiKey])).map((d) => d.id)).toEqual(['acme', 'keyed']);
  });

  it('prefixes the field with the index of the bad item', () => {
    const bad = { ...oauth, id: 'third', tokenUrl: 'http://acme.example/token' };
    const error = failure(() => parseProviderImport(JSON.stringify([oauth, apiKey, bad])));
    expect(error.field).toBe('[2].tokenUrl');
    expect(error.message).toMatch(/^Token URL must start with https:\/\//);
  });

  it('reports invalid JSON with its line and column on the "file" field', () => {
    const error = failure(() => parseProviderImport('[\n  {"id": "acme",}\n]'));
    expect(error.field).toBe('file');
    expect(error.message).toMatch(/line 2, column \d+/);
  });

  it('rejects duplicate ids, empty lists, oversize files and too many definitions', () => {
    expect(failure(() => parseProviderImport(JSON.stringify([oauth, { ...oauth, name: 'Again' }]))).field).toBe(
      '[1].id',
    );
    expect(failure(() => parseProviderImport('[]')).field).toBe('file');
    expect(failure(() => parseProviderImport(`${JSON.stringify(oauth)}${' '.repeat(1024 * 1024)}`)).message).toMatch(
      /larger than 1 MB/,
    );
    const many = Array.from({ length: MAX_IMPORT_DEFINITIONS + 1 }, (_, i) => ({ ...oauth, id: `p${i}` }));
    expect(failure(() => parseProviderImport(JSON.stringify(many))).message).toMatch(/at most 500/);
  });

  it('round-trips: what export writes, import reads back unchanged', () => {
    const defs = parseProviderImport(
      JSON.stringify([
        {
          ...oauth,
          scopes: ['a', 'b'],
          extraAuthorizeParams: { audience: 'x' },
          revocationUrl: 'https://acme.example/revoke',
          loopbackPort: 4000,
        },
        apiKey,
        {
          ...oauth,
          id: 'local',
          tokenUrl: 'http://127.0.0.1:9/token',
          redirectUri: 'patchbay://oauth/callback',
          pkce: false,
        },
      ]),
    );
    const text = exportProviders(defs);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseProviderImport(text)).toEqual(defs);
    expect(exportProviders(parseProviderImport(text))).toBe(text);
  });

  it('refuses to export an invalid definition', () => {
    expect(
      failure(() => exportProviders([{ ...oauth, auth: 'oauth2', tokenUrl: 'http://public.example/t' }])).field,
    ).toBe('[0].tokenUrl');
  });
});

describe('import = export (property)', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  // Host labels without hyphens: a label like "xn--" is not a valid host (punycode), so it would
  // make the generator produce invalid definitions for a property about valid ones.
  const hostLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/);
  const httpsUrl = fc.tuple(hostLabel, word).map(([host, p]) => `https://${host}.example/${p}`);
  const definition = fc.record(
    {
      id: word,
      name: fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((s) => s.trim().length > 0)
        .map((s) => s.trim()),
      authorizationUrl: httpsUrl,
      tokenUrl: fc.oneof(
        httpsUrl,
        fc.integer({ min: 1, max: 65535 }).map((p) => `http://127.0.0.1:${p}/token`),
      ),
      revocationUrl: httpsUrl,
      scopes: fc.array(fc.stringMatching(/^[A-Za-z0-9:._/-]{1,20}$/), { maxLength: 5 }),
      scopeSeparator: fc.constantFrom(' ', ','),
      pkce: fc.boolean(),
      tokenAuthMethod: fc.constantFrom('client_secret_post', 'client_secret_basic', 'none'),
      tokenRequestFormat: fc.constantFrom('form', 'json'),
      extraAuthorizeParams: fc.dictionary(fc.stringMatching(/^x[a-z_]{0,10}$/), fc.string({ maxLength: 20 }), {
        maxKeys: 3,
      }),
      loopbackPort: fc.integer({ min: 1, max: 65535 }),
      testUrl: httpsUrl,
      labelPath: fc.constantFrom('email', 'data.name', 'user.profile.login'),
    },
    { requiredKeys: ['id', 'name', 'authorizationUrl', 'tokenUrl'] },
  );

  it('exports any valid list into text that imports back identically', () => {
    fc.assert(
      fc.property(fc.uniqueArray(definition, { minLength: 1, maxLength: 5, selector: (d) => d.id }), (defs) => {
        const parsed = parseProviderImport(JSON.stringify(defs));
        expect(parseProviderImport(exportProviders(parsed))).toEqual(parsed);
      }),
    );
  });
});
