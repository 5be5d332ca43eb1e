/**
 * The device authorization grant (RFC 8628) through the engine, against a scripted provider on
 * 127.0.0.1 with the real keyring. Waits between polls go through a recording sleep that moves a
 * fake clock, so the intervals RFC 8628 asks for are checked exactly and nothing waits for them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../preload/contract';
import type { Sleep } from '../../main/core/model/types';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';
import {
  DEVICE_CODE,
  deviceProvider,
  startDeviceServer,
  type DeviceServer,
  type DeviceServerOptions,
} from './providers/device-server';
import { failure } from '../helpers/failure';

let harness: Harness | null = null;
let server: DeviceServer | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

/** A wait that only an abort ends (at once when the signal is already aborted). */
const never: Sleep = (_ms, signal) =>
  new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error));
  });

/** A clock that only moves when the flow sleeps, and the list of waits it asked for. */
function fakeTime() {
  let now = Date.parse('2026-11-30T12:00:00Z');
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    signal.throwIfAborted();
    waits.push(ms);
    now += ms;
  };
  return { clock: { now: () => now }, sleep, waits };
}

async function setup(options: DeviceServerOptions, core: Parameters<typeof makeHarness>[0] = {}) {
  server = await startDeviceServer(options);
  const time = fakeTime();
  harness = await makeHarness({ clock: time.clock, sleep: time.sleep, ...core });
  await harness.core.saveProvider(deviceProvider(server.base));
  await harness.core.setClientCredentials({ providerId: 'tv', clientId: 'tv-client' });
  return { server, harness, time };
}

describe('device code connect', () => {
  it('shows the address and code, waits the interval, adds 5 s on slow_down, and saves the connection', async () => {
    const { server, harness, time } = await setup({
      polls: ['authorization_pending', 'slow_down', 'authorization_pending', 'tokens'],
    });
    const events: FlowEvent[] = [];
    const view = await harness.core.connect({ providerId: 'tv' }, { onEvent: (e) => events.push(e) });
    // RFC 8628 §3.2: no interval means 5 s; §3.5: slow_down adds 5 s for this and every later poll.
    expect(time.waits).toEqual([5000, 5000, 10000, 10000]);
    expect(server.polls).toHaveLength(4);
    for (const poll of server.polls) {
      expect(poll).toMatchObject({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: DEVICE_CODE,
        client_id: 'tv-client',
      });
    }
    expect(server.deviceRequests[0]).toMatchObject({ client_id: 'tv-client', scope: 'read' });
    const waiting = events.find((e) => e.stage === 'waiting_for_user');
    expect(waiting?.device).toEqual({
      verificationUri: `${server.base}/activate`,
      verificationUriComplete: `${server.base}/activate?user_code=WDJB-MJHT`,
      userCode: 'WDJB-MJHT',
      expiresIn: 600,
    });
    // The device code is the secret half: it is in no event and no trace.
    expect(JSON.stringify(events)).not.toContain(DEVICE_CODE);
    expect(JSON.stringify(await harness.core.trace(view.id))).not.toContain(DEVICE_CODE);
    expect(view).toMatchObject({ label: 'Device Person', status: 'connected' });
    expect(await keychainAccounts(harness.service)).toHaveLength(1);
  });

  it('uses the interval the provider gives', async () => {
    const { harness, time } = await setup({
      authorization: { interval: 2 },
      polls: ['authorization_pending', 'tokens'],
    });
    await harness.core.connect({ providerId: 'tv' });
    expect(time.waits).toEqual([2000, 2000]);
  });

  it('access_denied ends the flow in plain words and saves nothing', async () => {
    const { harness } = await setup({ polls: ['authorization_pending', 'access_denied'] });
    const error = await failure(harness.core.connect({ providerId: 'tv' }));
    expect(error.code).toBe('access_denied');
    expect(error.message).toMatch(/^You said no at TV Co, so nothing was connected\./);
    expect(await harness.core.listConnections()).toEqual([]);
    expect(await keychainAccounts(harness.service)).toEqual([]);
  });

  it('expired_token says the code expired', async () => {
    const { harness } = await setup({ polls: ['authorization_pending', 'expired_token'] });
    const error = await failure(harness.core.connect({ providerId: 'tv' }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/^The code WDJB-MJHT expired before the sign-in at TV Co was finished/);
  });

  it('stops polling once the code has expired, without asking again', async () => {
    const { server, harness, time } = await setup({
      authorization: { expires_in: 12 },
      polls: ['authorization_pending'],
    });
    const error = await failure(harness.core.connect({ providerId: 'tv' }));
    expect(error.message).toMatch(/expired/);
    expect(time.waits).toEqual([5000, 5000, 5000]);
    expect(server.polls).toHaveLength(2);
  });

  it('the flow timeout (--timeout) ends a device sign-in that nobody finishes', async () => {
    server = await startDeviceServer({ polls: ['authorization_pending'] });
    // Only the abort ends the wait: the flow timer must be what stops it.
    harness = await makeHarness({ sleep: never, flowTimeoutMs: 300 });
    await harness.core.saveProvider(deviceProvider(server.base));
    await harness.core.setClientCredentials({ providerId: 'tv', clientId: 'tv-client' });
    const error = await failure(harness.core.connect({ providerId: 'tv' }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/took too long/);
  });

  it('can be cancelled while it waits', async () => {
    server = await startDeviceServer({ polls: ['authorization_pending'] });
    harness = await makeHarness({ sleep: never });
    await harness.core.saveProvider(deviceProvider(server.base));
    await harness.core.setClientCredentials({ providerId: 'tv', clientId: 'tv-client' });
    const core = harness.core;
    const pending = core.connect(
      { providerId: 'tv' },
      { onEvent: (e) => e.stage === 'waiting_for_user' && core.cancelFlow('tv') },
    );
    expect((await failure(pending)).code).toBe('cancelled');
  });

  it('--device on a browser-sign-in provider needs the device authorization URL, and says so', async () => {
    const { harness } = await setup({});
    await harness.core.saveProvider({
      id: 'web',
      name: 'Web Co',
      auth: 'oauth2',
      authorizationUrl: 'https://web.example/authorize',
      tokenUrl: 'https://web.example/token',
    });
    await harness.core.setClientCredentials({ providerId: 'web', clientId: 'web-client' });
    const error = await failure(harness.core.connect({ providerId: 'web', device: true }));
    expect(error.field).toBe('deviceAuthorizationUrl');
    expect(error.message).toMatch(/has no Device authorization endpoint/);
  });

  it('clamps expires_in and interval to sane bounds', async () => {
    const { harness, time } = await setup({
      authorization: { expires_in: 1e12, interval: 1e9 },
      polls: ['tokens'],
    });
    const events: FlowEvent[] = [];
    await harness.core.connect({ providerId: 'tv' }, { onEvent: (e) => events.push(e) });
    expect(events.find((e) => e.device)?.device?.expiresIn).toBe(3600);
    expect(time.waits).toEqual([60_000]);
  });
});

describe('hostile device authorization answers', () => {
  it.each([
    ['a javascript: address', { verification_uri: 'javascript:alert(1)' }],
    ['a data: address', { verification_uri: 'data:text/html,<script>alert(1)</script>' }],
    ['plain http to another host', { verification_uri: 'http://evil.example/activate' }],
    ['an address with a user name', { verification_uri: 'https://user:pass@evil.example/activate' }],
    ['an address with a line break', { verification_uri: 'https://ok.example/\nactivate' }],
    ['an overlong address', { verification_uri: `https://ok.example/${'a'.repeat(3000)}` }],
    ['a code with escape sequences', { user_code: 'AB\u001b[2JCD' }],
    ['a code with spaces', { user_code: 'AB CD' }],
    ['an overlong code', { user_code: 'A'.repeat(33) }],
    ['no lifetime', { expires_in: 0 }],
  ])('refuses %s before showing anything', async (_what, authorization) => {
    const { server, harness } = await setup({ authorization });
    const events: FlowEvent[] = [];
    const error = await failure(harness.core.connect({ providerId: 'tv' }, { onEvent: (e) => events.push(e) }));
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/sent a device sign-in answer Patchbay will not show you/);
    expect(events.some((e) => e.stage === 'waiting_for_user')).toBe(false);
    expect(server.polls).toEqual([]);
  });

  it('drops a pre-filled address that leads to another site, and keeps the plain one', async () => {
    const { server, harness } = await setup({
      authorization: { verification_uri_complete: 'https://evil.example/activate?user_code=WDJB-MJHT' },
    });
    const events: FlowEvent[] = [];
    await harness.core.connect({ providerId: 'tv' }, { onEvent: (e) => events.push(e) });
    const device = events.find((e) => e.device)?.device;
    expect(device?.verificationUri).toBe(`${server.base}/activate`);
    expect(device?.verificationUriComplete).toBeNull();
  });
});
