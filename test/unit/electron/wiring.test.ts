/**
 * Wiring of the Electron layer against the lifecycle-faithful stand-in for `electron`
 * (test/electron-stand-in): the bridge behind the sender check, events to the page, and the
 * sign-in window. The sender check and the main window's guards have their one home in
 * test/integration/security-electron.test.ts; start-up in startup-order.test.ts and the boot test.
 * Nothing here runs a page, so no test here shows that a sign-in works (the e2e suite does).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderDefinition } from '../../../preload/contract';
import { createBridgeHandlers } from '../../../main/core/facade/bridge';
import type { PatchbayCore } from '../../../main/core/model/types';
import { createElectronStandIn, type BrowserWindowStandIn } from '../../electron-stand-in';

// One ready app for the whole file (one app per process, as in Electron).
const electron = createElectronStandIn({ platform: 'linux' });
electron.control.launch();
const { module: e, control } = electron;
// The main window loads app://patchbay/index.html; here it gets a one-line page.
e.protocol.handle('app', () => new Response('<!doctype html><title>Patchbay</title>'));
vi.mock('electron', () => electron.module);

const { isTrustedSender, registerIpcHandlers, sendEvent } = await import('../../../main/electron/ipc');
const { createMainWindow } = await import('../../../main/electron/main-window');
const { createEmbeddedAuthorizer } = await import('../../../main/electron/auth-window');

const HARDENED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  webviewTag: false,
};

function stubCore(): PatchbayCore & { calls: string[] } {
  const calls: string[] = [];
  const record =
    (name: string, value: unknown = null) =>
    async () => {
      calls.push(name);
      return value;
    };
  return {
    calls,
    listProviders: record('listProviders', []),
    listConnections: record('listConnections', []),
    test: record('test'),
    onChange: () => () => undefined,
    close: async () => undefined,
  } as unknown as PatchbayCore & { calls: string[] };
}

let removeHandlers: (() => void) | null = null;
afterEach(() => {
  removeHandlers?.();
  removeHandlers = null;
  for (const win of [...control.windows]) win.destroy();
  e.shell.opened.length = 0;
  e.dialog.messageBoxes.length = 0;
});

describe('IPC wiring', () => {
  let win: BrowserWindowStandIn;
  let core: ReturnType<typeof stubCore>;
  beforeEach(async () => {
    win = new e.BrowserWindow({});
    await win.loadURL('app://patchbay/index.html');
    core = stubCore();
    const handlers = createBridgeHandlers(core, { host: 'electron', version: '0.0.0', embeddedAuth: true });
    removeHandlers = registerIpcHandlers(handlers, (event) => isTrustedSender(win as never, event as never));
  });

  it('hands trusted calls to the bridge, which validates their arguments', async () => {
    await expect(control.invoke('connections:list', win)).resolves.toEqual({ ok: true, value: [] });
    await expect(control.invoke('connections:test', win, 'top', 42)).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(core.calls).toEqual(['listConnections']);
  });

  it('sends events only to a live window', () => {
    sendEvent(win as never, 'connections:changed', []);
    expect(win.webContents.sent).toEqual([{ channel: 'connections:changed', args: [[]] }]);
    win.destroy();
    expect(() => sendEvent(win as never, 'connections:changed', [])).not.toThrow();
    expect(win.webContents.sent).toHaveLength(1);
  });
});

describe('auth window', () => {
  const provider: ProviderDefinition = { id: 'sandbox', name: 'Sandbox', auth: 'oauth2' };
  const authUrl = new URL('https://idp.example.com/auth?state=s1');
  let prepared: Awaited<ReturnType<ReturnType<typeof createEmbeddedAuthorizer>['prepare']>>;
  beforeEach(async () => {
    prepared = await createEmbeddedAuthorizer({ parent: () => null }).prepare(provider);
  });
  afterEach(async () => prepared.dispose());
  const authWindow = () => control.created.at(-1)!;

  it('waits for the custom scheme and is hardened, preload-free, on a fresh in-memory partition', () => {
    void prepared.authorize(authUrl, new AbortController().signal).catch(() => undefined);
    const win = authWindow();
    expect(prepared.redirectUri).toBe('patchbay://oauth/callback');
    expect(win.options.webPreferences).toMatchObject(HARDENED);
    expect(win.options.webPreferences?.preload).toBeUndefined();
    const partition = win.options.webPreferences?.partition ?? '';
    expect(partition).toMatch(/^patchbay-auth-/);
    expect(control.sessions.get(partition)?.protocol.isProtocolHandled('patchbay')).toBe(true);
    expect(win.webContents.windowOpenHandler!({ url: 'https://x.test' })).toEqual({ action: 'deny' });
    win.close();
  });

  it('denies every permission on its session (including openExternal)', () => {
    void prepared.authorize(authUrl, new AbortController().signal).catch(() => undefined);
    const ses = control.sessions.get(authWindow().options.webPreferences!.partition!)!;
    const granted = vi.fn();
    ses.permissionRequestHandler!(null, 'openExternal', granted, { externalURL: 'mailto:x' });
    expect(granted).toHaveBeenCalledWith(false);
    expect(ses.permissionCheckHandler!(null, 'openExternal', 'https://x', {})).toBe(false);
    authWindow().close();
  });

  it('prevents the redirect to the callback and settles with it; other pages load', async () => {
    const result = prepared.authorize(authUrl, new AbortController().signal);
    const wc = authWindow().webContents;
    expect(wc.navigate('will-navigate', 'https://idp.example.com/login').prevented).toBe(false);
    expect(wc.navigate('will-redirect', 'patchbay://evil/callback?code=x').prevented).toBe(false);
    expect(wc.navigate('will-redirect', 'patchbay://oauth/callback?code=c&state=s1').prevented).toBe(true);
    await expect(result).resolves.toEqual(new URL('patchbay://oauth/callback?code=c&state=s1'));
    expect(authWindow().isDestroyed()).toBe(true);
  });

  it('closing the window cancels', async () => {
    const result = prepared.authorize(authUrl, new AbortController().signal);
    authWindow().close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an already aborted attempt opens no window', async () => {
    const before = control.created.length;
    const controller = new AbortController();
    controller.abort();
    await expect(prepared.authorize(authUrl, controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(control.created.length).toBe(before);
  });

  it('dispose closes a window still open', async () => {
    const result = prepared.authorize(authUrl, new AbortController().signal);
    await prepared.dispose();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(authWindow().isDestroyed()).toBe(true);
  });

  it('an abort closes the window and cancels', async () => {
    const controller = new AbortController();
    const result = prepared.authorize(authUrl, controller.signal);
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(authWindow().isDestroyed()).toBe(true);
  });

  it('"Open the sign-in page" in the main window focuses the open sign-in window, never loads it', async () => {
    const embedded = createEmbeddedAuthorizer({ parent: () => null });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const signIn = authWindow();
    const openLink = vi.fn();
    const win = createMainWindow({
      preloadPath: '/p.cjs',
      openLink,
      focusSignIn: embedded.focusSignIn,
    }) as unknown as BrowserWindowStandIn;
    expect(signIn.focused).toBe(false);
    expect(win.webContents.windowOpenHandler!({ url: authUrl.href })).toEqual({ action: 'deny' });
    expect(signIn.focused).toBe(true);
    expect(openLink).not.toHaveBeenCalled();
    expect(e.shell.opened).toEqual([]);
    signIn.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(embedded.focusSignIn(authUrl.href)).toBe(false);
  });

  it('"Use my browser instead" (the main window\'s button) continues the same attempt through the fallback, without cancelling', async () => {
    const fallbackUrl = new URL('patchbay://oauth/callback?code=b&state=s1');
    const fallback = { canReturn: vi.fn(() => true), run: vi.fn(async () => fallbackUrl) };
    const embedded = createEmbeddedAuthorizer({ parent: () => null, fallback });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const win = authWindow();
    // Not a window menu: macOS has none, and autoHideMenuBar hides it elsewhere.
    expect(win.shownMenu).toBeNull();
    await expect(embedded.useBrowser('sandbox')).resolves.toBe(true);
    await expect(result).resolves.toEqual(fallbackUrl);
    expect(fallback.run).toHaveBeenCalledWith(authUrl, expect.any(AbortSignal), provider);
    expect(win.isDestroyed()).toBe(true);
  });

  it('without a way back from the browser the switch is refused with the reason, and the window stays', async () => {
    const fallback = { canReturn: vi.fn(() => false), run: vi.fn() };
    const embedded = createEmbeddedAuthorizer({ parent: () => null, fallback });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const win = authWindow();
    await expect(embedded.useBrowser('sandbox')).rejects.toMatchObject({ code: 'invalid_input', field: 'mode' });
    await expect(embedded.useBrowser('livechat')).rejects.toMatchObject({ code: 'not_found' });
    expect(fallback.run).not.toHaveBeenCalled();
    expect(win.isDestroyed()).toBe(false);
    win.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an https redirect URI is caught by webRequest as the last net', async () => {
    const https = await createEmbeddedAuthorizer({ parent: () => null }).prepare({
      ...provider,
      redirectUri: 'https://app.example.com/cb',
    });
    const result = https.authorize(authUrl, new AbortController().signal);
    const ses = control.sessions.get(authWindow().options.webPreferences!.partition!)!;
    const answer = vi.fn();
    ses.beforeRequest!({ url: 'https://app.example.com/cb?code=1&state=s1', resourceType: 'mainFrame' }, answer);
    expect(answer).toHaveBeenCalledWith({ cancel: true });
    await expect(result).resolves.toEqual(new URL('https://app.example.com/cb?code=1&state=s1'));
  });
});
