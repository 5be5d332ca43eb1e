/**
 * Desktop notifications of health changes, against the lifecycle-faithful stand-in: the health
 * service starts with the host after `ready`, a connection that breaks shows one OS notification,
 * clicking it brings the window forward and tells the page to open that connection, and a system
 * without notifications shows none (and nothing breaks). Notification before ready is refused, as
 * Electron refuses it.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createElectronStandIn, ElectronRuleError } from '../../electron-stand-in';
import { fakeClock } from '../../helpers/fake-clock';
import { connectionView, scriptedCore } from '../../helpers/host-core';

const electron = createElectronStandIn({ platform: 'linux' });
const { module: e, control } = electron;
vi.mock('electron', () => electron.module);

const { startElectronHost } = await import('../../../main/electron/host-adapter');

describe('the stand-in Notification keeps Electron’s rule', () => {
  it('refuses a notification before ready, like shell/browser/api/electron_api_notification.cc', () => {
    const early = createElectronStandIn();
    expect(() => new early.module.Notification({ title: 'x' })).toThrow(ElectronRuleError);
    expect(() => new early.module.Notification({ title: 'x' })).toThrow(
      'Cannot create Notification before app is ready',
    );
    early.control.launch();
    expect(() => new early.module.Notification({ title: 'x' })).not.toThrow();
  });
});

describe('health notifications on the desktop', () => {
  control.launch();
  e.protocol.handle('app', () => new Response('<!doctype html><title>Patchbay</title>'));
  const hosts: Array<{ stop(): Promise<void> }> = [];
  afterAll(async () => {
    for (const host of hosts) await host.stop();
  });

  async function start() {
    const win = new e.BrowserWindow({});
    await win.loadURL('app://patchbay/index.html');
    const clock = fakeClock(Date.parse('2026-06-01T08:00:00.000Z'));
    const connection = { ...connectionView('c1'), label: 'Acme', providerName: 'Sandbox' };
    const core = scriptedCore([], [connection]);
    const host = startElectronHost({
      core,
      version: '0.0.0',
      settingsNotice: () => null,
      window: () => (win.isDestroyed() ? null : (win as never)),
      useBrowser: async () => false,
      health: { clock, timers: clock.timers, random: () => 0.5 },
    });
    hosts.push(host);
    await clock.settle();
    return { win, core, clock };
  }

  it('one notification when a connection breaks; its click shows the window and opens the connection', async () => {
    const { win, core, clock } = await start();
    const shownBefore = control.notifications.shown.length;
    win.visible = false;
    core.connections = [{ ...core.connections[0]!, status: 'needs_reconnect' }];
    core.change('connections');
    core.change('connections');
    await clock.settle();
    const shown = control.notifications.shown.slice(shownBefore);
    expect(shown.map((n) => [n.title, n.body])).toEqual([
      ['Acme at Sandbox needs you', 'Patchbay can no longer use this sign-in. Open it and click Reconnect.'],
    ]);
    // No page event: the page must not show a second (web) notification of its own.
    expect(win.webContents.sent.some((m) => m.channel === 'health:alert')).toBe(false);

    control.clickNotification(shownBefore);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
    expect(win.webContents.sent.filter((m) => m.channel === 'connections:open')).toEqual([
      { channel: 'connections:open', args: [{ connectionId: 'c1' }] },
    ]);
  });

  it('shows nothing where the system has no notifications, and the host keeps running', async () => {
    const { core, clock } = await start();
    const shownBefore = control.notifications.shown.length;
    control.notifications.supported = false;
    try {
      core.connections = [{ ...core.connections[0]!, status: 'error' }];
      core.change('connections');
      await clock.settle();
      expect(control.notifications.shown.length).toBe(shownBefore);
    } finally {
      control.notifications.supported = true;
    }
  });
});
