/**
 * The built-in catalog, judged by what people and the engine do with it, not by restating it.
 *
 * A person can export every built-in and import it back unchanged; each entry is one a person
 * could have typed (the import schema accepts it as is). Through a real core (settings in a
 * temporary folder, an in-memory vault, a recording authorizer and a fetch that answers like the
 * provider, so nothing leaves the machine): an API-key provider asks for the key and sends it the
 * way its docs say; an OAuth provider asks for a client ID first, then opens a sign-in URL with
 * its PKCE spelling and extra parameters, posts the code in its token format, and survives its
 * documented token-answer quirks. Every family lists its documented method first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderDefinition, ProviderView } from '../../../preload/contract';
import { builtInProviders } from '../../../main/core/providers/catalog';
import { resolveConfig } from '../../../main/core/model/config';
import { createCore } from '../../../main/core/facade/create-core';
import type { PatchbayError } from '../../../main/core/model/errors';
import type { Authorizer, ConnectionSecret, SecretVault } from '../../../main/core/model/types';
import { buildAuthorizationRequest } from '../../../main/core/oauth/authorization-code';
import {
  exportProviders,
  parseProviderDefinition,
  parseProviderImport,
} from '../../../main/core/providers/provider-schema';
import { openSettings } from '../../../main/core/storage/settings';

const config = resolveConfig({ PATCHBAY_HOME: '/tmp/patchbay-catalog-test', PATCHBAY_SANDBOX_PORT: '50123' });
const catalog = builtInProviders(config);
const definitions = catalog.map((p) => p.definition);
/** OAuth providers people set up themselves (the Sandbox's ship their client IDs). */
const oauthIds = definitions.filter((d) => d.auth === 'oauth2' && !d.id.startsWith('sandbox')).map((d) => d.id);
const apiKeyIds = definitions.filter((d) => d.auth === 'apiKey').map((d) => d.id);

/** A keychain in memory: the catalog's behaviour does not depend on where secrets live. */
function memoryVault(): SecretVault {
  const connections = new Map<string, ConnectionSecret>();
  const clients = new Map<string, string>();
  return {
    getConnectionSecret: async (id) => connections.get(id) ?? null,
    setConnectionSecret: async (id, secret) => void connections.set(id, secret),
    deleteConnectionSecret: async (id) => void connections.delete(id),
    getClientSecret: async (id) => clients.get(id) ?? null,
    setClientSecret: async (id, secret) => void clients.set(id, secret),
    deleteClientSecret: async (id) => void clients.delete(id),
  };
}

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** A browser stand-in: records the sign-in URL and comes back with a code and the same state. */
function recordingAuthorizer(opened: URL[]): Authorizer {
  return {
    mode: 'browser',
    describeRedirectUri: () => 'http://127.0.0.1:50999/callback',
    prepare: async () => ({
      redirectUri: 'http://127.0.0.1:50999/callback',
      authorize: async (url) => {
        opened.push(url);
        return new URL(`http://127.0.0.1:50999/callback?code=code-123&state=${url.searchParams.get('state')}`);
      },
      dispose: async () => undefined,
    }),
  };
}

let home: string;
let requests: Seen[];
let opened: URL[];
/** What the stand-in provider answers a token request with (LiveChat-style quirks by default). */
let tokenAnswer: Record<string, unknown>;

function makeCore() {
  const fetchStub: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body === undefined || init.body === null ? '' : String(init.body);
    requests.push({ url, method: init?.method ?? 'GET', headers, body });
    const json = url.includes('token') ? tokenAnswer : { name: 'Ada', email: 'ada@example.com' };
    return new Response(JSON.stringify(json), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return createCore({
    home,
    keychainService: 'PatchbayCatalogTest',
    settings: openSettings({ home }),
    vault: memoryVault(),
    authorizers: [recordingAuthorizer(opened)],
    fetch: fetchStub,
    sandboxPort: 50123,
  });
}

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-catalog-'));
  requests = [];
  opened = [];
  tokenAnswer = {
    access_token: 'at-1',
    refresh_token: 'rt-1',
    expires_in: '3600',
    scope: 'chats--all:ro,agents--my:rw',
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as PatchbayError,
  );

describe('the catalog as data a person could have typed', () => {
  it('every built-in passes the import schema unchanged, and ids are unique', () => {
    for (const def of definitions) expect(parseProviderDefinition(def), def.id).toEqual(def);
    expect(new Set(definitions.map((d) => d.id)).size).toBe(definitions.length);
  });

  it('exporting every built-in and importing the file gives the same definitions back', () => {
    expect(parseProviderImport(exportProviders(definitions))).toEqual(definitions);
  });

  it('lists each family with its documented method first, and explains every other method', async () => {
    const views = await makeCore().listProviders();
    const builtIns = views.filter((v) => v.builtIn);
    expect(builtIns.map((v) => v.id).sort()).toEqual(definitions.map((d) => d.id).sort());
    const firstOfFamily = new Map<string, ProviderView>();
    for (const v of builtIns) if (!firstOfFamily.has(v.family)) firstOfFamily.set(v.family, v);
    for (const v of builtIns) {
      if (firstOfFamily.get(v.family) === v) expect(v.documented, v.id).toBe(true);
      else expect(v.note, `${v.id} needs a note saying why it is not the documented way`).toMatch(/\w+ \w+ \w+/);
    }
  });
});

describe('API-key providers: what connecting does', () => {
  it('asks for the key before any request, naming the field', async () => {
    const core = makeCore();
    for (const id of apiKeyIds) {
      const error = await failure(core.connect({ providerId: id }));
      expect(error, id).toMatchObject({ code: 'invalid_input', field: 'apiKey' });
    }
    expect(requests).toEqual([]);
    expect(opened).toEqual([]);
  });

  it.each([
    ['landbot', 'authorization', 'Token key-abc'],
    ['respondio', 'authorization', 'Bearer key-abc'],
    ['webinargeek', 'api-token', 'key-abc'],
    ['livestorm', 'authorization', 'key-abc'],
  ])('%s: the key goes to the test URL in the documented header (%s: %s)', async (id, header, value) => {
    const view = await makeCore().connect({ providerId: id, apiKey: '  key-abc  ' });
    expect(view.status).toBe('connected');
    const def = definitions.find((d) => d.id === id)!;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url: def.testUrl, method: 'GET' });
    expect(requests[0]!.headers[header]).toBe(value);
  });
});

describe('OAuth providers: what connecting does', () => {
  it('asks for a client ID first (except the Sandbox, which ships one) and opens nothing', async () => {
    const core = makeCore();
    const views = await core.listProviders();
    for (const id of oauthIds) {
      expect(views.find((v) => v.id === id)?.needs, id).toBe('client_id');
      expect(await failure(core.connect({ providerId: id })), id).toMatchObject({
        code: 'invalid_input',
        field: 'clientId',
      });
    }
    expect(views.find((v) => v.id === 'sandbox')?.needs).toBeNull();
    expect(views.find((v) => v.id === 'sandbox-device')?.needs).toBeNull();
    // Client credentials: the ID ships, the secret is what the person still has to enter.
    expect(views.find((v) => v.id === 'sandbox-machine')?.needs).toBe('client_secret');
    for (const id of apiKeyIds) expect(views.find((v) => v.id === id)?.needs, id).toBeNull();
    expect(opened).toEqual([]);
    expect(requests).toEqual([]);
  });

  it.each(oauthIds)('%s: signs in with PKCE at its own sign-in URL and posts the code as its docs say', async (id) => {
    const core = makeCore();
    const def = definitions.find((d) => d.id === id)!;
    await core.setClientCredentials({ providerId: id, clientId: 'my-app', clientSecret: 'my-secret-123' });
    const view = await core.connect({ providerId: id });
    expect(view.status).toBe('connected');

    const url = opened[0]!;
    expect(`${url.origin}${url.pathname}`).toBe(def.authorizationUrl);
    expect(url.searchParams.get('client_id')).toBe('my-app');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // LiveChat documents the method name in lower case; everyone else gets RFC 7636's spelling.
    expect(url.searchParams.get('code_challenge_method')).toBe(id === 'livechat' ? 's256' : 'S256');

    const token = requests.find((r) => r.url === def.tokenUrl)!;
    expect(token.method).toBe('POST');
    const sent =
      def.tokenRequestFormat === 'json'
        ? (JSON.parse(token.body) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(token.body));
    expect(token.headers['content-type']).toContain(
      def.tokenRequestFormat === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    );
    // client_secret_post: the secret travels in the body, never in a Basic header.
    expect(sent).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-123',
      client_id: 'my-app',
      client_secret: 'my-secret-123',
    });
    expect(token.headers.authorization).toBeUndefined();

    // The documented answer quirks (string expires_in, comma-separated scopes, no token_type) are absorbed.
    expect(view.scopes).toEqual(['chats--all:ro', 'agents--my:rw']);
    expect(Date.parse(view.expiresAt!) - Date.now()).toBeGreaterThan(3_000_000);
  });

  it('the Sandbox asks for consent and offline access, so it hands out a refresh token', async () => {
    const sandbox = definitions.find((d) => d.id === 'sandbox') as ProviderDefinition;
    const { url } = await buildAuthorizationRequest(sandbox, 'patchbay-desktop', 'http://127.0.0.1:50999/callback');
    expect(url.origin).toBe('http://127.0.0.1:50123');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('lists each connection under the name of its provider: built-in, saved by hand, or gone', async () => {
    const custom = parseProviderDefinition({
      id: 'acme',
      name: 'Acme CRM',
      auth: 'apiKey',
      testUrl: 'https://api.acme.test/me',
      apiKeyHeader: 'X-Api-Key',
    });
    const record = (id: string, providerId: string) => ({
      id,
      providerId,
      auth: 'apiKey' as const,
      label: id,
      scopes: [],
      expiresAt: null,
      createdAt: new Date().toISOString(),
      state: 'ok' as const,
      hasRefreshToken: false,
      lastTest: null,
      lastError: null,
    });
    await openSettings({ home }).update((data) => {
      data.providers.push(custom);
      data.connections.push(
        record('c1', 'landbot'),
        record('c2', 'acme'),
        record('c3', 'vanished'),
        record('c4', 'landbot'),
      );
    });
    // A fresh core has no catalog built yet: the look-up validates only the providers in use.
    const views = await makeCore().listConnections();
    const landbot = catalog.find((p) => p.definition.id === 'landbot')!.definition;
    expect(views.map((v) => [v.id, v.providerName])).toEqual([
      ['c1', landbot.name],
      ['c2', 'Acme CRM'],
      ['c3', 'vanished'],
      ['c4', landbot.name],
    ]);
  });
});
