/**
 * The bridge handler table: every contract channel has a handler, arguments are validated
 * before the core is called, and every failure comes back as a Result with a bridge error.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, CORE_METHODS, type Channel, type FlowEvent } from '../../preload/contract';
import { createBridgeHandlers, invokeChannel } from '../../main/core/facade/bridge';
import { PatchbayError } from '../../main/core/model/errors';
import type { PatchbayCore } from '../../main/core/model/types';

type Call = { method: string; args: unknown[] };

/** A recording core: each method logs its call and returns a marker naming itself. */
function recordingCore(calls: Call[], fail?: unknown): PatchbayCore {
  const rec =
    (method: string) =>
    async (...args: unknown[]): Promise<never> => {
      calls.push({ method, args });
      if (fail) throw fail;
      return { from: method } as never;
    };
  return {
    listProviders: rec('listProviders'),
    saveProvider: rec('saveProvider'),
    importProviders: rec('importProviders'),
    previewProviderImport: rec('previewProviderImport'),
    exportProviders: rec('exportProviders'),
    discoverProvider: rec('discoverProvider'),
    deleteProvider: rec('deleteProvider'),
    setClientCredentials: rec('setClientCredentials'),
    removeClientCredentials: rec('removeClientCredentials'),
    listConnections: rec('listConnections'),
    connect: async (input, hooks) => {
      calls.push({ method: 'connect', args: [input] });
      hooks?.onEvent?.({
        flowId: 'f1',
        providerId: input.providerId,
        stage: 'started',
        message: 'Starting',
        at: 'now',
      });
      if (fail) throw fail;
      return { from: 'connect' } as never;
    },
    cancelFlow: (providerId) => {
      calls.push({ method: 'cancelFlow', args: [providerId] });
      return true;
    },
    test: rec('test'),
    checkConnections: rec('checkConnections'),
    refresh: rec('refresh'),
    disconnect: rec('disconnect'),
    trace: rec('trace'),
    request: rec('request'),
    getNetworkSettings: rec('getNetworkSettings'),
    saveNetworkSettings: rec('saveNetworkSettings'),
    diagnose: rec('diagnose'),
    supportBundle: rec('supportBundle'),
    readSupportBundle: rec('readSupportBundle'),
    onChange: () => () => undefined,
    close: async () => undefined,
  };
}

const validArgs: { [C in Channel]: unknown[] } = {
  'app:info': [],
  'providers:list': [],
  'providers:save': [
    { id: 'acme', name: 'Acme', auth: 'apiKey', apiKeyHeader: 'X-Key', testUrl: 'https://api.acme.example/me' },
  ],
  'providers:import': ['[]'],
  'providers:preview': ['[]'],
  'providers:export': [['acme']],
  'providers:discover': ['https://login.acme.example', { id: 'acme', name: 'Acme' }],
  'providers:delete': ['acme'],
  'credentials:set': [{ providerId: 'acme', clientId: 'cid', clientSecret: 's' }],
  'credentials:remove': ['acme'],
  'connections:list': [],
  'connections:connect': [{ providerId: 'sandbox' }],
  'flows:cancel': ['sandbox'],
  'flows:useBrowser': ['sandbox'],
  'links:open': ['https://docs.example.com/'],
  'connections:test': ['c1'],
  'connections:check': [['c1', 'c2']],
  'connections:refresh': ['c1'],
  'connections:disconnect': ['c1'],
  'connections:trace': ['c1'],
  'connections:request': [
    { connectionId: 'c1', method: 'GET', path: '/me', headers: [['Accept', 'application/json']] },
  ],
  'network:get': [],
  'network:save': [{ proxyUrl: 'http://proxy.example.com:8080', noProxy: '', caFile: null }],
  'health:status': [],
  'health:checkNow': [],
  'connections:diagnose': ['c1'],
  'connections:bundle': ['c1'],
  'bundles:save': ['c1'],
  'bundles:read': ['{}'],
};

const ctx = {
  host: 'web' as const,
  version: '9.9.9',
  embeddedAuth: false,
  settingsNotice: () => 'moved aside',
  openLink: async () => ({ allowed: true, openInRenderer: true }),
  useBrowser: async () => true,
  health: {
    status: async () => ({ intervalMs: 1, settingProblem: null, checking: false, lastRunAt: null, nextCheckAt: null }),
    checkNow: async () => ({
      intervalMs: 1,
      settingProblem: null,
      checking: false,
      lastRunAt: null,
      nextCheckAt: null,
    }),
  },
};

describe('createBridgeHandlers', () => {
  it('has a handler for every contract channel and each one reaches the core', async () => {
    const calls: Call[] = [];
    const handlers = createBridgeHandlers(recordingCore(calls), ctx);
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) {
      const result = await handlers[channel](...validArgs[channel]);
      expect(result.ok, channel).toBe(true);
    }
    // app:info, flows:useBrowser, links:open, bundles:save and health:* are the host's; every other
    // channel calls the core method the contract names for it, once, in channel order (bundles:save
    // builds the bundle with the core's supportBundle, then the host saves it).
    const expected = CHANNELS.map((c) => (c === 'bundles:save' ? 'supportBundle' : CORE_METHODS[c])).filter(
      (m) => m !== null,
    );
    expect(calls.map((c) => c.method)).toEqual(expected);
    expect(calls).toHaveLength(CHANNELS.length - 5);
  });

  it('a host without a link policy opens nothing, and one without a sign-in window says so', async () => {
    const handlers = createBridgeHandlers(recordingCore([]), { host: 'web', version: '1', embeddedAuth: false });
    expect(await handlers['links:open']('https://docs.example.com/')).toEqual({
      ok: true,
      value: { allowed: false, openInRenderer: false },
    });
    expect(await handlers['flows:useBrowser']('sandbox')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'providerId' },
    });
    expect(await handlers['health:checkNow']()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('answers app:info from the host context', async () => {
    const handlers = createBridgeHandlers(recordingCore([]), ctx);
    expect(await handlers['app:info']()).toEqual({
      ok: true,
      value: {
        host: 'web',
        version: '9.9.9',
        embeddedAuth: false,
        settingsNotice: 'moved aside',
        keychainProblem: null,
      },
    });
  });

  it('passes parsed arguments through and forwards flow events', async () => {
    const calls: Call[] = [];
    const events: FlowEvent[] = [];
    const handlers = createBridgeHandlers(recordingCore(calls), { ...ctx, onFlowEvent: (e) => events.push(e) });
    await handlers['connections:connect']({ providerId: 'sandbox', mode: 'browser' });
    await handlers['providers:export']();
    expect(calls[0]).toEqual({ method: 'connect', args: [{ providerId: 'sandbox', mode: 'browser' }] });
    expect(calls[1]).toEqual({ method: 'exportProviders', args: [undefined] });
    expect(events.map((e) => e.stage)).toEqual(['started']);
  });

  const bad: Array<[Channel, unknown[], string]> = [
    ['providers:list', ['extra'], 'args[0]'],
    ['providers:delete', [], 'providerId'],
    ['providers:delete', [42], 'providerId'],
    ['providers:delete', [''], 'providerId'],
    ['providers:save', ['not an object'], 'definition'],
    // The definition's fields are checked by the provider schema before the core is called.
    [
      'providers:save',
      [{ id: 'acme', name: 'Acme', auth: 'apiKey', testUrl: 'https://acme.example/me', tokenURL: 'x' }],
      'tokenURL',
    ],
    ['providers:import', [{}], 'json'],
    ['providers:export', ['acme'], 'ids'],
    ['credentials:set', [{ providerId: 'acme' }], 'input.clientId'],
    ['credentials:set', [{ providerId: 'acme', clientId: 'x', token: 'y' }], 'input'],
    ['connections:connect', [{ providerId: 'sandbox', mode: 'telepathy' }], 'input.mode'],
    ['connections:connect', [null], 'input'],
    ['connections:test', ['c1', 'c2'], 'args[1]'],
    ['connections:trace', [{}], 'subject'],
    ['flows:useBrowser', [], 'providerId'],
    ['links:open', [''], 'url'],
    ['links:open', ['https://x.test/' + 'a'.repeat(2_100)], 'url'],
    ['connections:request', [{ connectionId: 'c1' }], 'input.path'],
    ['connections:request', [{ connectionId: 'c1', path: '/me', token: 'x' }], 'input'],
    ['connections:request', [{ connectionId: 'c1', path: '/me', headers: [['A']] }], 'input.headers.0'],
  ];
  it.each(bad)('%s rejects %j naming %s without calling the core', async (channel, args, field) => {
    const calls: Call[] = [];
    const handlers = createBridgeHandlers(recordingCore(calls), ctx);
    const result = await handlers[channel](...args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.field).toBe(field);
    expect(result.error.message).toContain(field);
    expect(calls).toEqual([]);
  });

  // zod/mini has no messages of its own ("Invalid input" for everything); main/core/model/zod.ts
  // installs the English ones these sentences are made of.
  it.each([
    ['providers:delete', [42], '"providerId" is not valid: expected string, received number.'],
    [
      'connections:connect',
      [{ providerId: 'sandbox', mode: 'telepathy' }],
      '"input.mode" is not valid: invalid option: expected one of "embedded"|"browser".',
    ],
    [
      'connections:connect',
      [{ providerId: 'sandbox', device: 'yes' }],
      '"input.device" is not valid: expected boolean, received string.',
    ],
    ['connections:trace', [''], '"subject" is not valid: too small: expected string to have >=1 characters.'],
  ] as Array<[Channel, unknown[], string]>)(
    '%s says what is wrong with %j in words',
    async (channel, args, message) => {
      const handlers = createBridgeHandlers(recordingCore([]), ctx);
      expect(await handlers[channel](...args)).toMatchObject({ ok: false, error: { code: 'invalid_input', message } });
    },
  );

  it('checks a definition with the provider schema before the core sees it', async () => {
    const calls: Call[] = [];
    const handlers = createBridgeHandlers(recordingCore(calls), ctx);
    const result = await handlers['providers:save']({
      id: 'acme',
      name: 'Acme',
      auth: 'oauth2',
      authorizationUrl: 'http://acme.example/a',
      tokenUrl: 'https://acme.example/t',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'authorizationUrl' } });
    expect(calls).toEqual([]);
  });

  it('turns core errors into bridge errors and hides unknown ones', async () => {
    const known = createBridgeHandlers(
      recordingCore([], new PatchbayError('rate_limited', 'Wait a bit.', { retryAfterSeconds: 30 })),
      ctx,
    );
    expect(await known['connections:test']('c1')).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: 'Wait a bit.', retryAfterSeconds: 30 },
    });
    const unknown = createBridgeHandlers(recordingCore([], new Error('GET /cb?code=SECRET failed')), ctx);
    const result = await unknown['connections:refresh']('c1');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(JSON.stringify(result)).not.toContain('SECRET');
    }
  });

  it('refuses unknown channels through invokeChannel', async () => {
    const handlers = createBridgeHandlers(recordingCore([]), ctx);
    const result = await invokeChannel(handlers, 'shell:exec', []);
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await invokeChannel(handlers, '__proto__', [])).toMatchObject({ ok: false });
  });
});
