/**
 * Host parity: one scenario, run against the web host's server and the Electron host's wiring
 * (over the `electron` stand-in), comparing what the renderer receives — events, views, the
 * redirect URI shown, link-open decisions, and the refresh scheduler's start and stop.
 *
 * The differences that are by design are listed once (WEB_ONLY / ELECTRON_ONLY below); anything
 * else that differs is drift and fails here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowEvent, ProviderView } from '../../preload/contract';
import { resolveConfig } from '../../main/core/model/config';
import { createWebCore } from '../../main/web/core-setup';
import { DeepLinkQueue } from '../../main/electron/deep-link-queue';
import type { HostCore } from '../../main/host/types';
import { electronDriver, webDriver, type HostDriver } from '../helpers/host-drivers';
import { connectionView, providerView, scriptedCore, type ScriptedCore } from '../helpers/host-core';
import { createElectronStandIn } from '../electron-stand-in';

// One ready app for the file (one per process, as in Electron); the main window gets a one-line page.
const electron = createElectronStandIn({ platform: 'linux' });
electron.control.launch();
electron.module.protocol.handle('app', () => new Response('<!doctype html><title>Patchbay</title>'));
vi.mock('electron', () => electron.module);
// electron-store imports the `electron` package itself; conf is its base class (core-setup.test.ts).
vi.mock('electron-store', () => ({
  default: class extends Conf<Record<string, unknown>> {
    constructor(options: { name?: string } & Record<string, unknown>) {
      const { name, ...rest } = options;
      super({ ...rest, configName: name ?? 'config', projectName: 'patchbay-parity' });
    }
  },
}));

const LIVECHAT_DOCS = 'https://platform.text.com/docs/authorization/agent-authorization';
const ACME_DOCS = 'https://wiki.acme.test/oauth';
const ACME_HELP = 'https://acme.test/keys';

/** Until `check` holds (a condition, never a fixed sleep). */
async function until(check: () => boolean, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error(`still waiting for ${what}`);
    },
    { timeout: 5_000, interval: 5 },
  );
}

const count = (driver: HostDriver, event: string) => driver.received.filter((r) => r.event === event).length;

type Start = (core: HostCore, useBrowser: (id: string) => Promise<boolean>) => Promise<HostDriver>;
const HOSTS: Array<[string, Start]> = [
  ['electron', (core, useBrowser) => electronDriver(electron, core, useBrowser)],
  ['web', (core) => webDriver(core)],
];

/** The scenario with a scripted core; returns the normalised observations. */
async function scriptedScenario(start: Start) {
  const core: ScriptedCore = scriptedCore(
    [
      providerView({ id: 'livechat', name: 'LiveChat', auth: 'oauth2', docsUrl: LIVECHAT_DOCS }, true),
      providerView({ id: 'acme', name: 'Acme', auth: 'apiKey', docsUrl: ACME_DOCS, apiKeyHelpUrl: ACME_HELP }, false),
    ],
    [connectionView('c1')],
  );
  const flow: FlowEvent = {
    flowId: 'f1',
    providerId: 'livechat',
    stage: 'waiting_for_user',
    message: 'Sign in',
    at: '2026-01-01T00:00:00.000Z',
    authorizeUrl: 'https://accounts.livechat.com/?state=s',
    mode: 'embedded',
  };
  core.connect = async (_input, hooks) => {
    hooks?.onEvent?.(flow);
    return connectionView('c2', 'livechat');
  };
  // The health service reads connections too (its first look and one per change burst, see
  // health-service.test.ts); those looks are counted apart so the page's lists stay exact here.
  const listConnections = core.listConnections;
  const looks = { health: 0 };
  core.listConnections = () => {
    if (new Error().stack?.includes('health-service')) looks.health += 1;
    return listConnections();
  };
  const switched: string[] = [];
  const driver = await start(core, async (id) => {
    switched.push(id);
    return true;
  });
  const schedulerAtStart = [...core.scheduler];

  // A burst in one tick: five connection changes and three provider changes.
  for (let i = 0; i < 5; i += 1) core.change('connections');
  for (let i = 0; i < 3; i += 1) core.change('providers');
  await until(() => count(driver, 'connections:changed') === 1, 'the batched connection list');
  // A later change proves nothing else of the burst is still on its way (events keep their order).
  core.connections = [connectionView('c1'), connectionView('c3')];
  core.change('connections');
  await until(() => count(driver, 'connections:changed') === 2, 'the second connection list');

  const links = [
    LIVECHAT_DOCS,
    'https://platform.text.com/docs/other',
    ACME_DOCS,
    ACME_HELP,
    'https://wiki.acme.test/admin',
    'http://platform.text.com/docs',
    'https://platform.text.com.evil.test/',
    'javascript:alert(1)',
    'file:///etc/passwd',
  ];
  const decisions: Record<string, boolean> = {};
  for (const url of links) {
    const result = await driver.invoke('links:open', url);
    decisions[url] = result.ok && (result.value as { allowed: boolean }).allowed;
  }
  const openedByChannel = [...driver.opened];

  // The custom provider is deleted elsewhere: its link is refused from the next list on.
  core.providers = core.providers.filter((p) => p.id !== 'acme');
  core.change('providers');
  await until(() => count(driver, 'providers:changed') === 2, 'the provider list without Acme');
  const afterDelete = await driver.invoke('links:open', ACME_DOCS);

  const connected = await driver.invoke('connections:connect', { providerId: 'livechat' });
  await until(() => count(driver, 'flow:progress') === 1, 'the flow event');
  const useBrowser = await driver.invoke('flows:useBrowser', 'livechat');

  await driver.stop();
  return {
    // Copied now: the Electron stand-in's records are cleared before the next host runs.
    name: driver.name,
    received: structuredClone(driver.received),
    core,
    switched,
    schedulerAtStart,
    decisions,
    openedByChannel,
    afterDelete,
    connected,
    useBrowser,
    listed: { providers: core.listed.providers, connections: core.listed.connections - looks.health },
    listeners: core.listeners(),
  };
}

describe('host parity (same scenario, both hosts)', () => {
  it('the renderer receives the same events, views, link decisions and scheduler life on both hosts', async () => {
    const desktop = await scriptedScenario(HOSTS[0]![1]);
    const web = await scriptedScenario(HOSTS[1]![1]);

    for (const run of [desktop, web]) {
      // Scheduler: started with the host, stopped with it.
      expect(run.schedulerAtStart, run.name).toEqual(['start']);
      expect(run.core.scheduler, run.name).toEqual(['start', 'stop']);
      // Batching: the burst of 8 changes cost one list of each kind (plus the first provider list).
      expect(run.listed, run.name).toEqual({ providers: 3, connections: 2 });
      expect(run.listeners, `${run.name} stops listening to the core`).toBe(0);
    }

    // Events: the same names, payloads and order — except the flow event's openInRenderer (WEB_ONLY).
    const shape = (run: typeof desktop) =>
      run.received.map((r) =>
        r.event === 'flow:progress' ? { ...r, payload: { ...(r.payload as FlowEvent), openInRenderer: undefined } } : r,
      );
    expect(shape(web)).toEqual(shape(desktop));
    expect(desktop.received.map((r) => r.event)).toEqual([
      'providers:changed',
      'connections:changed',
      'connections:changed',
      'providers:changed',
      'flow:progress',
    ]);
    // WEB_ONLY: the web host has no window, so the page opens the sign-in page in a tab.
    expect((web.received.at(-1)!.payload as FlowEvent).openInRenderer).toBe(true);
    expect((desktop.received.at(-1)!.payload as FlowEvent).openInRenderer).toBeUndefined();
    expect(web.connected).toEqual(desktop.connected);

    // Links: one policy, the same decision for every URL; allowed ones really leave the app.
    expect(web.decisions).toEqual(desktop.decisions);
    expect(desktop.decisions).toEqual({
      [LIVECHAT_DOCS]: true,
      'https://platform.text.com/docs/other': true,
      [ACME_DOCS]: true,
      [ACME_HELP]: true,
      'https://wiki.acme.test/admin': false,
      'http://platform.text.com/docs': false,
      'https://platform.text.com.evil.test/': false,
      'javascript:alert(1)': false,
      'file:///etc/passwd': false,
    });
    const allowed = Object.keys(desktop.decisions).filter((url) => desktop.decisions[url]);
    expect(desktop.openedByChannel).toEqual(allowed);
    expect(web.openedByChannel).toEqual(allowed);
    expect(web.afterDelete).toEqual({ ok: true, value: { allowed: false, openInRenderer: false } });
    expect(desktop.afterDelete).toEqual(web.afterDelete);

    // ELECTRON_ONLY: "Use my browser instead" reaches the desktop sign-in window; the web host
    // shows every sign-in in the browser already and says so.
    expect(desktop.useBrowser).toEqual({ ok: true, value: true });
    expect(desktop.switched).toEqual(['livechat']);
    expect(web.useBrowser).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'providerId' } });
  });

  it("the main window's own link path (window.open, will-navigate) decides exactly as the channel does", async () => {
    const core = scriptedCore([providerView({ id: 'acme', name: 'Acme', auth: 'apiKey', docsUrl: ACME_DOCS }, false)]);
    const driver = await electronDriver(electron, core, async () => false);
    for (const url of [ACME_DOCS, 'https://wiki.acme.test/admin', 'https://evil.test/']) await driver.clickLink(url);
    expect(driver.opened).toEqual([ACME_DOCS]);
    await driver.stop();
  });
});

describe('host parity with the real core of each host', () => {
  let homes: string[] = [];
  beforeEach(() => {
    homes = [];
  });
  afterEach(() => {
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });
  function env(): Record<string, string> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-parity-'));
    homes.push(home);
    return { PATCHBAY_HOME: home, PATCHBAY_KEYCHAIN_SERVICE: 'PatchbayParity', PATCHBAY_SANDBOX_PORT: '47998' };
  }

  async function realScenario(name: 'electron' | 'web') {
    const e = env();
    let core: HostCore;
    let driver: HostDriver;
    if (name === 'electron') {
      const { createElectronCore } = await import('../../main/electron/core-setup');
      const made = createElectronCore(e, resolveConfig(e), new DeepLinkQueue(), () => null);
      core = made.core;
      const started = vi.spyOn(core, 'startRefreshScheduler');
      driver = await electronDriver(electron, core, made.useBrowser);
      expect(started).toHaveBeenCalledTimes(1);
    } else {
      core = createWebCore(e, resolveConfig(e)).core;
      const started = vi.spyOn(core, 'startRefreshScheduler');
      driver = await webDriver(core);
      expect(started).toHaveBeenCalledTimes(1);
    }
    const saved = await driver.invoke('providers:save', {
      id: 'fixed-port',
      name: 'Fixed Port',
      auth: 'oauth2',
      authorizationUrl: 'https://id.example.test/authorize',
      tokenUrl: 'https://id.example.test/token',
      loopbackPort: 47990,
      docsUrl: 'https://id.example.test/docs',
    });
    expect(saved.ok).toBe(true);
    await until(() => count(driver, 'providers:changed') === 1, 'the saved provider');
    const pushed = driver.received.find((r) => r.event === 'providers:changed')!.payload as ProviderView[];
    const listed = await driver.invoke('providers:list');
    const docs = await driver.invoke('links:open', 'https://id.example.test/docs');
    await driver.stop();
    await core.close();
    const redirects = Object.fromEntries(
      (listed.ok ? (listed.value as ProviderView[]) : []).map((p) => [p.id, p.redirectUri]),
    );
    return { pushed: pushed.map((p) => p.id), redirects, docs };
  }

  it('shows one redirect URI for a provider with a fixed loopback port, and the same links and lists', async () => {
    const desktop = await realScenario('electron');
    const web = await realScenario('web');
    expect(web.pushed).toEqual(desktop.pushed);
    expect(desktop.pushed).toContain('fixed-port');
    expect(web.docs).toMatchObject({ ok: true, value: { allowed: true } });
    expect(desktop.docs).toMatchObject({ ok: true, value: { allowed: true } });

    // Providers that match redirect URIs exactly: one URI, registered once, works in both hosts.
    for (const id of ['livechat', 'fixed-port']) expect(desktop.redirects[id], id).toBe(web.redirects[id]);
    expect(desktop.redirects.livechat).toBe('http://127.0.0.1:47616/callback');
    expect(desktop.redirects['fixed-port']).toBe('http://127.0.0.1:47990/callback');
    // Providers that accept any redirect keep each host's own way of catching it (by design):
    // the desktop window's custom scheme, the browser's loopback listener on any free port.
    expect(desktop.redirects.sandbox).toBe('patchbay://oauth/callback');
    expect(web.redirects.sandbox).toBe('http://127.0.0.1/callback');
    expect(Object.keys(web.redirects).sort()).toEqual(Object.keys(desktop.redirects).sort());
  });
});
