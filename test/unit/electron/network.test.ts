/**
 * The desktop app's provider requests: Chromium's stack (its own session, the proxy from the plan
 * or the system's) unless a CA file or a proxy sign-in sends them to the Node fetch; the sign-in
 * window's session gets the same proxy. `ses.fetch` is replaced per test here (the stand-in loads
 * nothing from the network), so these tests check the routing and what Chromium is asked for.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronStandIn } from '../../electron-stand-in';
import type { SettingsStore } from '../../../main/core/model/types';
import type { NetworkSettingsInput } from '../../../preload/contract';

const electron = createElectronStandIn();
electron.control.launch();
vi.mock('electron', () => electron.module);

const { CORE_PARTITION, createElectronNetwork, needsNodeFetch, proxyConfigFor } =
  await import('../../../main/electron/network');
const { resolveNetworkPlan } = await import('../../../main/core/network/network-plan');
await electron.module.app.whenReady();

function settingsWith(network: NetworkSettingsInput | undefined): SettingsStore {
  return { read: () => ({ network }) } as unknown as SettingsStore;
}

type SessionFetch = (url: string, init?: RequestInit) => Promise<Response>;
const coreSession = () =>
  electron.module.session.fromPartition(CORE_PARTITION) as unknown as {
    fetch?: SessionFetch;
    proxyConfigs: Array<Record<string, unknown>>;
  };

beforeEach(() => {
  coreSession().proxyConfigs.length = 0;
});

describe('proxyConfigFor', () => {
  it('no proxy anywhere: the system settings (PAC, WPAD included)', () => {
    expect(proxyConfigFor(resolveNetworkPlan({}, undefined))).toEqual({ mode: 'system' });
  });

  it('a proxy: fixed servers per scheme, NO_PROXY suffixes in Chromium spelling', () => {
    const plan = resolveNetworkPlan(
      { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.corp.test,localhost' },
      undefined,
    );
    expect(proxyConfigFor(plan)).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'https=http://proxy.corp:3128',
      proxyBypassRules: '*.corp.test,localhost',
    });
  });

  it('Node takes over for a CA file or a proxy sign-in, and only then', () => {
    expect(needsNodeFetch(resolveNetworkPlan({}, undefined))).toBe(false);
    expect(needsNodeFetch(resolveNetworkPlan({ HTTPS_PROXY: 'http://p:1' }, undefined))).toBe(false);
    expect(needsNodeFetch(resolveNetworkPlan({ HTTPS_PROXY: 'http://u:pw@p:1' }, undefined))).toBe(true);
    expect(needsNodeFetch(resolveNetworkPlan({ PATCHBAY_CA_FILE: '/ca.pem' }, undefined))).toBe(true);
  });
});

describe('createElectronNetwork', () => {
  it('with a CA file in Settings, requests go to the Node fetch and Chromium is not asked', async () => {
    const nodeFetch = vi.fn(async () => new Response('node'));
    const sessionFetch = vi.fn<SessionFetch>(async () => new Response('chromium'));
    coreSession().fetch = sessionFetch;
    const network = createElectronNetwork(
      {},
      settingsWith({ proxyUrl: null, noProxy: '', caFile: '/ca.pem' }),
      nodeFetch,
    );
    expect(await (await network.fetch('https://id.acme.test/token', {})).text()).toBe('node');
    expect(nodeFetch).toHaveBeenCalledTimes(1);
    expect(sessionFetch).not.toHaveBeenCalled();
    expect(network.describe(resolveNetworkPlan({ PATCHBAY_CA_FILE: '/ca.pem' }, undefined)).systemProxy).toBe(false);
  });

  it('otherwise Chromium sends it from its own session, with the settings proxy and no cookies', async () => {
    const nodeFetch = vi.fn(async () => new Response('node'));
    const sessionFetch = vi.fn<SessionFetch>(async () => new Response('chromium'));
    coreSession().fetch = sessionFetch;
    const network = createElectronNetwork(
      {},
      settingsWith({ proxyUrl: 'http://proxy.corp:3128', noProxy: '', caFile: null }),
      nodeFetch,
    );
    expect(await (await network.fetch('https://id.acme.test/token', { method: 'POST' })).text()).toBe('chromium');
    expect(nodeFetch).not.toHaveBeenCalled();
    expect(sessionFetch.mock.calls[0]?.[1]).toMatchObject({ method: 'POST', credentials: 'omit' });
    expect(coreSession().proxyConfigs.at(-1)).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'http=http://proxy.corp:3128;https=http://proxy.corp:3128',
      proxyBypassRules: '',
    });
  });

  it("Chromium's failures become the same plain sentences, and a refused redirect is named as one", async () => {
    const network = createElectronNetwork({}, settingsWith(undefined), vi.fn());
    coreSession().fetch = async () => {
      throw new Error('net::ERR_CERT_AUTHORITY_INVALID');
    };
    await expect(network.fetch('https://id.acme.test/token', {})).rejects.toThrow(
      'The security certificate of id.acme.test is not trusted on this computer',
    );
    coreSession().fetch = async () => {
      throw new Error('Redirect was cancelled');
    };
    await expect(network.fetch('https://id.acme.test/token', { redirect: 'manual' })).rejects.toThrow(
      'answered with a redirect',
    );
  });

  it('the sign-in window session gets the same proxy as the core', async () => {
    const network = createElectronNetwork({ HTTPS_PROXY: 'http://proxy.corp:3128' }, settingsWith(undefined), vi.fn());
    const authSession = electron.module.session.fromPartition('patchbay-auth-test') as unknown as {
      proxyConfigs: Array<Record<string, unknown>>;
    };
    await network.applyProxy(authSession as never);
    expect(authSession.proxyConfigs).toEqual([
      {
        mode: 'fixed_servers',
        proxyRules: 'https=http://proxy.corp:3128',
        proxyBypassRules: '',
      },
    ]);
  });
});
