/**
 * The stand-in for `electron` is only worth its tests if it refuses what Electron refuses. Each
 * rule here is one Electron documents (the citations are next to the rules in
 * test/electron-stand-in/); if someone makes the stand-in kinder, this file fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createElectronStandIn } from '../../electron-stand-in';

const launched = (options: Parameters<typeof createElectronStandIn>[0] = {}) => {
  const electron = createElectronStandIn(options);
  electron.control.launch();
  return electron;
};

describe('before ready', () => {
  it('ready waits for the main module: it cannot be emitted before the app code finished loading', async () => {
    const { module, control } = createElectronStandIn();
    let ready = false;
    void module.app.whenReady().then(() => (ready = true));
    expect(() => control.finishLaunching()).toThrow(/finished evaluating/);
    await Promise.resolve();
    expect(ready).toBe(false);
    expect(module.app.isReady()).toBe(false);
    control.markAppCodeLoaded();
    control.finishLaunching();
    await module.app.whenReady();
    expect(module.app.isReady()).toBe(true);
  });

  it('session, protocol.handle, BrowserWindow and dialog.showMessageBox throw', () => {
    const { module } = createElectronStandIn();
    expect(() => module.session.defaultSession).toThrow('Session can only be received when app is ready');
    expect(() => module.session.fromPartition('x')).toThrow(TypeError);
    expect(() => module.protocol.handle('app', () => new Response(''))).toThrow(
      'Session can only be received when app is ready',
    );
    expect(() => new module.BrowserWindow({})).toThrow('Cannot create BrowserWindow before app is ready');
    expect(() => module.dialog.showMessageBox({ message: 'x' })).toThrow(
      'dialog module can only be used after app is ready',
    );
  });

  it('showErrorBox, registerSchemesAsPrivileged (once) and enableSandbox work', () => {
    const { module } = createElectronStandIn();
    module.dialog.showErrorBox('t', 'c');
    module.protocol.registerSchemesAsPrivileged([{ scheme: 'app' }]);
    expect(() => module.protocol.registerSchemesAsPrivileged([{ scheme: 'app' }])).toThrow(/only once/);
    module.app.enableSandbox();
    expect(module.dialog.errorBoxes).toHaveLength(1);
  });

  it('setPath throws for a folder that does not exist', () => {
    const { module } = createElectronStandIn();
    expect(() => module.app.setPath('userData', path.join(os.tmpdir(), 'patchbay-no-such-dir-x9'))).toThrow();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-setpath-'));
    module.app.setPath('userData', dir);
    expect(module.app.getPath('userData')).toBe(dir);
    fs.rmSync(dir, { recursive: true });
  });

  it('second-instance never comes before ready; open-url only on macOS', () => {
    expect(() => createElectronStandIn().control.secondInstance([])).toThrow(/after ready/);
    expect(() => createElectronStandIn({ platform: 'linux' }).control.openUrl('patchbay://x')).toThrow(/macOS/);
  });
});

describe('after ready', () => {
  it('registerSchemesAsPrivileged and enableSandbox throw', () => {
    const { module } = launched();
    expect(() => module.protocol.registerSchemesAsPrivileged([])).toThrow('should be called before app is ready');
    expect(() => module.app.enableSandbox()).toThrow('app.enableSandbox() can only be called before app is ready');
  });

  it('a scheme can be handled once; ipcMain.handle once per channel; an unhandled channel rejects', async () => {
    const { module, control } = launched();
    module.protocol.handle('app', () => new Response('x'));
    expect(() => module.session.defaultSession.protocol.handle('app', () => new Response('y'))).toThrow(
      'Failed to register protocol: app',
    );
    expect(() => module.protocol.unhandle('nope')).toThrow('Failed to unhandle protocol: nope');
    module.ipcMain.handle('c', async () => 1);
    expect(() => module.ipcMain.handle('c', async () => 2)).toThrow("Attempted to register a second handler for 'c'");
    const win = new module.BrowserWindow({});
    await expect(control.invoke('other', win)).rejects.toThrow("No handler registered for 'other'");
    await expect(control.invoke('c', win, 'gone')).resolves.toBe(1);
  });

  it('senderFrame is null for a gone frame, and a sub-frame has a parent', async () => {
    const { module, control } = launched();
    const win = new module.BrowserWindow({});
    const frames: unknown[] = [];
    module.ipcMain.handle('c', async (event) => void frames.push(event.senderFrame));
    for (const kind of ['top', 'sub-frame', 'gone'] as const) await control.invoke('c', win, kind);
    expect(frames[0]).toBe(win.webContents.mainFrame);
    expect(frames[1]).toMatchObject({ parent: win.webContents.mainFrame });
    expect(frames[2]).toBeNull();
  });

  it('a destroyed window throws on use; the last window closing emits window-all-closed', () => {
    const { module } = launched();
    let allClosed = 0;
    module.app.on('window-all-closed', () => allClosed++);
    const win = new module.BrowserWindow({});
    win.close();
    expect(win.isDestroyed()).toBe(true);
    expect(() => win.show()).toThrow('Object has been destroyed');
    expect(() => win.webContents.send('x')).toThrow('Object has been destroyed');
    expect(allClosed).toBe(1);
  });

  it('loading a custom scheme nobody handles fails; a handled one is served by the handler', async () => {
    const { module } = launched();
    const win = new module.BrowserWindow({});
    await expect(win.loadURL('app://patchbay/index.html')).rejects.toThrow('ERR_UNKNOWN_URL_SCHEME');
    module.protocol.handle('app', () => new Response('<p>hi</p>', { status: 200 }));
    await win.loadURL('app://patchbay/index.html');
    expect(win.loads.at(-1)).toMatchObject({ status: 200, body: '<p>hi</p>' });
    expect(win.webContents.mainFrame.url).toBe('app://patchbay/index.html');
  });

  it('setProxy takes only the modes ProxyConfig lists, and resolves once set', async () => {
    const { module } = launched();
    await module.app.whenReady();
    const ses = module.session.fromPartition('proxy-rule');
    await expect(ses.setProxy({ mode: 'socks_everything' })).rejects.toThrow('Invalid mode');
    await ses.setProxy({ mode: 'fixed_servers', proxyRules: 'https=http://p:1' });
    expect(ses.proxyConfigs).toEqual([{ mode: 'fixed_servers', proxyRules: 'https=http://p:1' }]);
  });

  it('setMenu shows a window menu on Linux and Windows, never on macOS', () => {
    for (const [platform, shown] of [
      ['linux', true],
      ['win32', true],
      ['darwin', false],
    ] as const) {
      const { module } = launched({ platform });
      const win = new module.BrowserWindow({});
      win.setMenu(module.Menu.buildFromTemplate([{ label: 'x' }]));
      expect(win.shownMenu !== null, platform).toBe(shown);
    }
  });

  it('quit: will-quit can hold it; window-all-closed is not emitted while quitting', () => {
    const { module, control } = launched();
    let allClosed = 0;
    module.app.on('window-all-closed', () => allClosed++);
    new module.BrowserWindow({});
    let held = false;
    module.app.once('will-quit', (event: { preventDefault(): void }) => {
      held = true;
      event.preventDefault();
    });
    module.app.quit();
    expect(held).toBe(true);
    expect(control.lifecycle.phase).toBe('quitting');
    module.app.quit();
    expect(control.lifecycle.phase).toBe('quit');
    expect(allClosed).toBe(0);
  });
});
