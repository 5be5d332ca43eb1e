/**
 * The provider editor's form -> definition step for the three ways to get a token: the grant is
 * written for OAuth providers only, and fields a grant does not use (the sign-in page, its return
 * port) are left out rather than sent empty or stale.
 */
import { describe, expect, it } from 'vitest';
import { toDefinition } from '../../../renderer/components/provider-editor';

const base = { id: 'acme', name: 'Acme', tokenUrl: 'https://acme.example/token' };

describe('provider editor: grant', () => {
  it('writes the chosen grant and drops the browser-only fields for a device-code provider', () => {
    const def = toDefinition(
      {
        ...base,
        auth: 'oauth2',
        grant: 'device_code',
        authorizationUrl: 'https://acme.example/authorize',
        loopbackPort: '47616',
        deviceAuthorizationUrl: 'https://acme.example/device',
      },
      null,
    );
    expect(def).toMatchObject({ grant: 'device_code', deviceAuthorizationUrl: 'https://acme.example/device' });
    expect(def).not.toHaveProperty('authorizationUrl');
    expect(def).not.toHaveProperty('loopbackPort');
  });

  it('keeps the browser sign-in fields for the default grant, and no device URL when left empty', () => {
    const def = toDefinition(
      { ...base, auth: 'oauth2', grant: 'authorization_code', authorizationUrl: 'https://acme.example/authorize' },
      null,
    );
    expect(def).toMatchObject({ grant: 'authorization_code', authorizationUrl: 'https://acme.example/authorize' });
    expect(def).not.toHaveProperty('deviceAuthorizationUrl');
  });

  it('never writes a grant for an API-key provider, even one edited from an OAuth definition', () => {
    const def = toDefinition(
      {
        ...base,
        auth: 'apiKey',
        grant: 'client_credentials',
        apiKeyHeader: 'Api-Token',
        testUrl: 'https://a.example/me',
      },
      { id: 'acme', name: 'Acme', auth: 'oauth2', grant: 'client_credentials' },
    );
    expect(def).not.toHaveProperty('grant');
  });
});
