/**
 * Electron security wiring: IPC from anything but the app's own top frame is refused before the
 * core is reached, and the main window can neither navigate away nor open windows.
 *
 * This file is the one home of these guarantees. It uses the lifecycle-faithful stand-in for
 * `electron` (test/electron-stand-in), which runs no page: these tests prove the wiring, not that
 * a sign-in works (the e2e suite on real Electron does). The boot test checks the same sender rule
 * once more on the built bundle. Electronegativity's static scan is test/security/electronegativity.sh.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, type Result } from '../../preload/contract';
import type { BridgeHandlers } from '../../main/core/facade/bridge';
import { createElectronStandIn, type BrowserWindowStandIn, type FrameStandIn } from '../electron-stand-in';

const electron = createElectronStandIn({ platform: 'linux' });
electron.control.launch();
const { module: e, control } = electron;
e.protocol.handle('app', () => new Response('<!doctype html><title>Patchbay</title>'));
vi.mock('electron', () => electron.module);

const { isTrustedSender, registerIpcHandlers } = await import('../../main/electron/ipc');
const { createMainWindow } = await import('../../main/electron/main-window');
const { mainWindowOptions } = await import('../../main/electron/window-options');
const { electronLinks } = await import('../helpers/electron-links');
// The app's own link decisions: the host layer's policy, behind the Electron adapter.
const links = await electronLinks();

let removeHandlers: (() => void) | null = null;
afterEach(() => {
  removeHandlers?.();
  removeHandlers = null;
  for (const win of [...control.windows]) win.destroy();
  e.shell.opened.length = 0;
});

function spyHandlers(): { handlers: BridgeHandlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      async (): Promise<Result<unknown>> => {
        calls.push(c);
        return { ok: true, value: null };
      },
    ]),
  ) as unknown as BridgeHandlers;
  return { handlers, calls };
}

/** The main window, once its page (app://patchbay/index.html) has loaded. */
async function mainWindow(): Promise<BrowserWindowStandIn> {
  const win = createMainWindow({
    preloadPath: '/app/preload.cjs',
    openLink: links.openLink,
  }) as unknown as BrowserWindowStandIn;
  await new Promise<void>((resolve) => win.once('ready-to-show', () => resolve()));
  return win;
}

describe('IPC refuses foreign senders before reaching the core', () => {
  it("every contract channel is handled, and only the main window's own top frame on app:// gets through", async () => {
    const win = await mainWindow();
    const { handlers, calls } = spyHandlers();
    removeHandlers = registerIpcHandlers(handlers, (event) => isTrustedSender(win as never, event));
    expect([...e.ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());

    const top = win.webContents.mainFrame;
    const other = new e.BrowserWindow({});
    await other.loadURL('app://patchbay/index.html');
    const foreign: Array<[string, { sender: unknown; senderFrame: FrameStandIn | null }]> = [
      [
        'a sub-frame of the app page',
        { sender: win.webContents, senderFrame: { ...top, routingId: 999, parent: top } },
      ],
      [
        'the top frame after navigating to another origin',
        { sender: win.webContents, senderFrame: { ...top, url: 'https://evil.test/' } },
      ],
      [
        'a look-alike app origin',
        { sender: win.webContents, senderFrame: { ...top, url: 'app://patchbay.evil/index.html' } },
      ],
      [
        'another window (e.g. the auth window)',
        { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      ],
      ['a detached frame', { sender: win.webContents, senderFrame: { ...top, detached: true } }],
      ['no frame at all', { sender: win.webContents, senderFrame: null }],
      [
        'a frame in another renderer process',
        { sender: win.webContents, senderFrame: { ...top, processId: top.processId + 1 } },
      ],
    ];
    for (const channel of CHANNELS) {
      for (const [name, event] of foreign) {
        const result = (await e.ipcMain.invoke(channel, event as never, {})) as Result<unknown>;
        expect(result.ok, `${channel} from ${name}`).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('access_denied');
      }
    }
    expect(calls).toEqual([]);
    for (const channel of CHANNELS) await control.invoke(channel, win);
    expect(calls.sort()).toEqual([...CHANNELS].sort());
  });

  it('a destroyed main window trusts nobody', async () => {
    const win = await mainWindow();
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    expect(isTrustedSender(win as never, event as never)).toBe(true);
    win.destroy();
    expect(isTrustedSender(win as never, event as never)).toBe(false);
    expect(isTrustedSender(null, event as never)).toBe(false);
  });
});

describe('the main window cannot navigate away or open windows', () => {
  const foreignUrls = fc.oneof(
    fc.webUrl(),
    fc.constantFrom(
      'https://evil.test/',
      'app://patchbay.evil/',
      'app://evil/index.html',
      'app://user@patchbay/',
      'app://patchbay:81/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'http://127.0.0.1:47600/',
      'https://platform.text.com.evil.test/',
    ),
  );

  it('is created hardened: context isolation, sandbox, no Node, web security', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
    });
    expect(prefs.allowRunningInsecureContent ?? false).toBe(false);
    expect(prefs.webviewTag ?? false).toBe(false);
  });

  it('denies every window.open and cancels every navigation, redirect and frame navigation off app:// (1,000 URLs)', async () => {
    const win = await mainWindow();
    const wc = win.webContents;
    fc.assert(
      fc.property(foreignUrls, (url) => {
        expect(wc.windowOpenHandler!({ url }).action).toBe('deny');
        for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const) {
          expect(wc.navigate(event, url).prevented, `${event} ${url}`).toBe(true);
        }
      }),
      { numRuns: 1_000, seed: 20_261_121 },
    );
    expect(wc.navigate('will-navigate', 'app://patchbay/index.html#/details').prevented).toBe(false);
  });

  it('opens only allow-listed https documentation links, and only in the system browser', async () => {
    const wc = (await mainWindow()).webContents;
    expect(wc.windowOpenHandler!({ url: 'https://platform.text.com/docs' }).action).toBe('deny');
    await links.settled();
    expect(e.shell.opened).toEqual(['https://platform.text.com/docs']);
    e.shell.opened.length = 0;
    for (const url of [
      'http://platform.text.com/docs',
      'https://platform.text.com.evil.test/',
      'https://x@platform.text.com/',
      'file:///etc/passwd',
    ]) {
      wc.windowOpenHandler!({ url });
      wc.navigate('will-navigate', url);
    }
    await links.settled();
    expect(e.shell.opened).toEqual([]);
  });

  it('refuses to attach a <webview>', async () => {
    const wc = (await mainWindow()).webContents;
    let prevented = false;
    wc.emit('will-attach-webview', {
      preventDefault: () => {
        prevented = true;
      },
    });
    expect(prevented).toBe(true);
  });
});
