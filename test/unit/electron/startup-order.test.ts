/**
 * What main/electron/index.ts does before `ready`, against the lifecycle-faithful stand-in: the
 * checklist order, the macOS open-url listener, and a second instance that quits. What it does
 * after ready (window, channels, error dialog) is the boot test's (test/integration/electron-boot.test.ts),
 * which loads the built bundle. The core is replaced by a stub here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronStandIn, type ElectronStandIn } from '../../electron-stand-in';

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
    useBrowser: async () => false,
  })),
}));

let home: string;
let order: string[];

/** A fresh stand-in whose calls are also written to `order`. */
function standIn(options: Parameters<typeof createElectronStandIn>[0] = {}): ElectronStandIn {
  const electron = createElectronStandIn(options);
  const { app, protocol } = electron.module;
  const trace = <T extends object>(target: T, name: keyof T & string) => {
    const original = (target[name] as (...args: unknown[]) => unknown).bind(target);
    (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
      order.push(name === 'on' ? `on:${String(args[0])}` : name);
      return original(...args);
    };
  };
  for (const name of [
    'setPath',
    'requestSingleInstanceLock',
    'setAsDefaultProtocolClient',
    'enableSandbox',
    'whenReady',
    'on',
  ] as const)
    trace(app, name);
  trace(protocol, 'registerSchemesAsPrivileged');
  // Each test re-imports index.ts (vi.resetModules) against its own stand-in: one app per process.
  vi.doMock('electron', () => electron.module);
  return electron;
}

beforeEach(() => {
  vi.resetModules();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-startup-'));
  vi.stubEnv('PATCHBAY_HOME', home);
  vi.stubEnv('PATCHBAY_SKIP_PROTOCOL_CLIENT', '');
  order = [];
  lifecycle.length = 0;
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('main process start-up, before ready', () => {
  it('finishes evaluating without ready, having run home, lock, schemes and listeners in order', async () => {
    const electron = standIn();
    await import('../../../main/electron/index');
    expect(electron.control.lifecycle.isReady).toBe(false);
    const at = (name: string) => order.indexOf(name);
    expect(electron.module.app.getPath('userData')).toBe(home);
    expect(at('setPath')).toBeLessThan(at('requestSingleInstanceLock'));
    expect(at('requestSingleInstanceLock')).toBeLessThan(at('registerSchemesAsPrivileged'));
    expect(at('enableSandbox')).toBeGreaterThan(-1);
    expect(at('on:web-contents-created')).toBeGreaterThan(-1);
    expect(at('on:second-instance')).toBeGreaterThan(-1);
    expect(at('on:open-url')).toBeGreaterThan(-1);
    expect(at('setAsDefaultProtocolClient')).toBeGreaterThan(-1);
    expect(at('whenReady')).toBeGreaterThan(at('registerSchemesAsPrivileged'));
    // Nothing that needs ready ran yet: no window, no handler.
    expect(electron.control.windows).toHaveLength(0);
    expect(electron.module.ipcMain.handlers.size).toBe(0);
  });

  it('on macOS, a callback link that launches the app before ready is taken, not lost', async () => {
    const electron = standIn({ platform: 'darwin' });
    await import('../../../main/electron/index');
    expect(electron.control.openUrl('patchbay://oauth/callback?code=c&state=s').prevented).toBe(true);
  });

  it('a second instance quits without registering, serving or opening anything, even after ready', async () => {
    const electron = standIn({ primaryInstance: false });
    await import('../../../main/electron/index');
    expect(electron.control.lifecycle.phase).toBe('quit');
    electron.control.launch();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).not.toContain('registerSchemesAsPrivileged');
    expect(order).not.toContain('whenReady');
    expect(electron.module.ipcMain.handlers.size).toBe(0);
    expect(electron.control.windows).toHaveLength(0);
  });

  it('keeps tokens fresh while it runs: the refresh scheduler starts after ready and stops before the core closes', async () => {
    const electron = standIn();
    await import('../../../main/electron/index');
    expect(lifecycle).toEqual([]);
    electron.control.launch();
    await vi.waitFor(() => expect(lifecycle).toEqual(['scheduler:start']));
    electron.module.app.quit();
    await vi.waitFor(() => expect(lifecycle).toEqual(['scheduler:start', 'scheduler:stop', 'core:close']));
    await vi.waitFor(() => expect(electron.control.lifecycle.phase).toBe('quit'));
  });

  it('does not claim the OS scheme handler when PATCHBAY_SKIP_PROTOCOL_CLIENT=1', async () => {
    vi.stubEnv('PATCHBAY_SKIP_PROTOCOL_CLIENT', '1');
    const electron = standIn();
    await import('../../../main/electron/index');
    expect(electron.module.app.state.protocolClients).toEqual([]);
  });
});
