/**
 * Start-up wiring of main/electron/index.ts against the typed `electron` stand-in: the steps run
 * in the order Electron requires, and a second instance quits before doing anything else.
 * The core is replaced by a stub (core-setup is tested by the e2e suite on real Electron).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../../preload/contract';
import { FakeBrowserWindow, defaultSession, electronStandIn, ipcHandlers, resetStandIn } from './electron-stand-in';

// vi.resetModules() below re-imports everything; the stand-in must stay the one this file sees.
const holder = globalThis as { __patchbayElectronStandIn?: unknown };
holder.__patchbayElectronStandIn = electronStandIn;
vi.mock('electron', () => (globalThis as { __patchbayElectronStandIn?: Record<string, unknown> }).__patchbayElectronStandIn!);
const lifecycle = vi.hoisted(() => [] as string[]);
vi.mock('../../../main/electron/core-setup', () => ({
  createElectronCore: vi.fn(() => ({
    core: {
      listProviders: async () => [],
      listConnections: async () => [],
      onChange: () => () => undefined,
      close: async () => void lifecycle.push('core:close'),
      startRefreshScheduler: () => {
        lifecycle.push('scheduler:start');
        return { stop: async () => void lifecycle.push('scheduler:stop') };
      },
    },
    settings: { notice: null },
    focusSignIn: () => false,
  })),
}));

const { app, protocol } = electronStandIn;
let home: string;
let order: string[];

beforeEach(() => {
  resetStandIn();
  vi.resetModules();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-startup-'));
  vi.stubEnv('PATCHBAY_HOME', home);
  vi.stubEnv('PATCHBAY_SKIP_PROTOCOL_CLIENT', '');
  order = [];
  lifecycle.length = 0;
  app.setPath.mockImplementation(() => void order.push('setPath'));
  app.requestSingleInstanceLock.mockImplementation(() => order.push('requestSingleInstanceLock') > 0);
  protocol.registerSchemesAsPrivileged.mockImplementation(() => void order.push('registerSchemesAsPrivileged'));
  app.setAsDefaultProtocolClient.mockImplementation(() => order.push('setAsDefaultProtocolClient') > 0);
  app.whenReady.mockImplementation(async () => void order.push('whenReady'));
  app.removeAllListeners();
  vi.spyOn(app, 'on').mockImplementation((event: string | symbol, listener: (...args: unknown[]) => void) => {
    order.push(`on:${String(event)}`);
    return EventEmitter.prototype.on.call(app, event, listener) as typeof app;
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('main process start-up', () => {
  it('runs the checklist in order: home, lock, schemes, open-url, then ready', async () => {
    await import('../../../main/electron/index');
    const at = (name: string) => order.indexOf(name);
    expect(app.setPath).toHaveBeenCalledWith('userData', home);
    expect(at('setPath')).toBeLessThan(at('requestSingleInstanceLock'));
    expect(at('requestSingleInstanceLock')).toBeLessThan(at('registerSchemesAsPrivileged'));
    expect(at('registerSchemesAsPrivileged')).toBeLessThan(at('whenReady'));
    expect(at('setAsDefaultProtocolClient')).toBeLessThan(at('whenReady'));
    expect(at('on:second-instance')).toBeGreaterThan(-1);
    expect(at('on:open-url')).toBeLessThan(at('whenReady'));
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(at('on:web-contents-created')).toBeLessThan(at('whenReady'));
  });

  it('after ready: hardened session, app:// served, every channel handled, one hardened window', async () => {
    await import('../../../main/electron/index');
    expect(defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(defaultSession.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect([...ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(FakeBrowserWindow.created[0]!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('keeps tokens fresh while it runs: the refresh scheduler starts after ready and stops before the core closes', async () => {
    await import('../../../main/electron/index');
    expect(lifecycle).toEqual(['scheduler:start']);
    app.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(lifecycle).toEqual(['scheduler:start', 'scheduler:stop', 'core:close']));
  });

  it('a second instance quits without registering, serving or opening anything', async () => {
    app.requestSingleInstanceLock.mockImplementation(() => false);
    await import('../../../main/electron/index');
    expect(app.quit).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(ipcHandlers.size).toBe(0);
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('does not claim the OS scheme handler when PATCHBAY_SKIP_PROTOCOL_CLIENT=1', async () => {
    vi.stubEnv('PATCHBAY_SKIP_PROTOCOL_CLIENT', '1');
    await import('../../../main/electron/index');
    expect(app.setAsDefaultProtocolClient).not.toHaveBeenCalled();
  });
});
