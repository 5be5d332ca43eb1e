/**
 * Wiring of the Electron layer against a typed stand-in for `electron`.
 *
 * These tests show that handlers are registered, senders checked, windows hardened and
 * navigations guarded. They do not show that a sign-in works (no page runs here); the e2e
 * suite on real Electron does that.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, type ProviderDefinition } from '../../../preload/contract';
import { createBridgeHandlers } from '../../../main/core/facade/bridge';
import type { PatchbayCore } from '../../../main/core/model/types';
import { FakeBrowserWindow, electronStandIn, ipcHandlers, resetStandIn, sessions } from './electron-stand-in';

vi.mock('electron', async () => (await import('./electron-stand-in')).electronStandIn);

const { isTrustedSender, registerIpcHandlers, sendEvent } = await import('../../../main/electron/ipc');
const { createMainWindow } = await import('../../../main/electron/main-window');
const { createEmbeddedAuthorizer } = await import('../../../main/electron/auth-window');

const HARDENED = { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false };

function stubCore(): PatchbayCore & { calls: string[] } {
  const calls: string[] = [];
  const record = (name: string, value: unknown = null) => async () => {
    calls.push(name);
    return value;
  };
  return {
    calls,
    listProviders: record('listProviders', []),
    saveProvider: record('saveProvider'),
    importProviders: record('importProviders', []),
    exportProviders: record('exportProviders', '[]'),
    deleteProvider: record('deleteProvider', undefined),
    setClientCredentials: record('setClientCredentials'),
    listConnections: record('listConnections', []),
    connect: record('connect'),
    cancelFlow: () => false,
    test: record('test'),
    refresh: record('refresh'),
    disconnect: record('disconnect', undefined),
    trace: record('trace', { subject: 'x', entries: [] }),
    onChange: () => () => undefined,
    close: async () => undefined,
  } as unknown as PatchbayCore & { calls: string[] };
}

const { electronLinks } = await import('../../helpers/electron-links');
let links: Awaited<ReturnType<typeof electronLinks>>;

function mainWindow(): FakeBrowserWindow {
  return createMainWindow({ preloadPath: '/app/preload.cjs', openLink: links.openLink }) as unknown as FakeBrowserWindow;
}

beforeEach(async () => {
  resetStandIn();
  links = await electronLinks();
});

describe('IPC wiring', () => {
  let win: FakeBrowserWindow;
  let core: ReturnType<typeof stubCore>;
  beforeEach(() => {
    win = mainWindow();
    core = stubCore();
    const handlers = createBridgeHandlers(core, { host: 'electron', version: '0.0.0', embeddedAuth: true });
    registerIpcHandlers(handlers, (event) => isTrustedSender(win as never, event));
  });
  const event = (frame = win.webContents.mainFrame, sender: unknown = win.webContents) => ({ sender, senderFrame: frame });

  it('registers a handler for every contract channel and nothing else', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers the main window top frame', async () => {
    await expect(ipcHandlers.get('connections:list')!(event())).resolves.toEqual({ ok: true, value: [] });
    expect(core.calls).toEqual(['listConnections']);
  });

  it.each([
    ['a sub-frame', () => ({ ...win.webContents.mainFrame, routingId: 999, parent: win.webContents.mainFrame })],
    ['a page that navigated away', () => ({ ...win.webContents.mainFrame, url: 'https://evil.test/' })],
    ['a look-alike origin', () => ({ ...win.webContents.mainFrame, url: 'app://patchbay.evil/index.html' })],
    ['another frame in the same process', () => ({ ...win.webContents.mainFrame, routingId: 12345 })],
    ['no frame', () => null],
  ])('refuses %s before touching the core', async (_name, frame) => {
    const result = await ipcHandlers.get('connections:list')!(event(frame() as never));
    expect(result).toMatchObject({ ok: false, error: { code: 'access_denied' } });
    expect(core.calls).toEqual([]);
  });

  it('refuses another window (another webContents)', async () => {
    const other = new FakeBrowserWindow({});
    const result = await ipcHandlers.get('providers:list')!(event(other.webContents.mainFrame, other.webContents));
    expect(result).toMatchObject({ ok: false, error: { code: 'access_denied' } });
  });

  it('lets the bridge validate arguments of trusted calls', async () => {
    const result = await ipcHandlers.get('connections:test')!(event(), 42);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(core.calls).toEqual([]);
  });

  it('sends events only to a live window', () => {
    sendEvent(win as never, 'connections:changed', []);
    expect(win.webContents.send).toHaveBeenCalledWith('connections:changed', []);
    win.destroy();
    sendEvent(win as never, 'connections:changed', []);
    expect(win.webContents.send).toHaveBeenCalledTimes(1);
  });
});

describe('main window', () => {
  it('is created hardened, with the preload, and loads the app page', () => {
    const win = mainWindow();
    expect(win.options.webPreferences).toMatchObject({ ...HARDENED, preload: '/app/preload.cjs' });
    expect(win.loadURL).toHaveBeenCalledWith('app://patchbay/index.html');
  });

  it('denies every new window and opens only allow-listed docs in the browser', async () => {
    const win = mainWindow();
    const open = win.webContents.windowOpenHandler!;
    expect(open({ url: 'https://platform.text.com/docs' })).toEqual({ action: 'deny' });
    expect(open({ url: 'https://evil.test/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await links.settled();
    expect(electronStandIn.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(electronStandIn.shell.openExternal).toHaveBeenCalledWith('https://platform.text.com/docs');
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('%s to a foreign origin is prevented', (name) => {
    const win = mainWindow();
    expect(win.webContents.navigate(name, 'https://evil.test/').prevented).toBe(true);
    expect(win.webContents.navigate(name, 'app://patchbay/index.html').prevented).toBe(false);
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
  const authWindow = () => FakeBrowserWindow.created.at(-1)!;

  it('waits for the custom scheme and is hardened, preload-free, on a fresh in-memory partition', () => {
    void prepared.authorize(authUrl, new AbortController().signal).catch(() => undefined);
    const win = authWindow();
    expect(prepared.redirectUri).toBe('patchbay://oauth/callback');
    expect(win.options.webPreferences).toMatchObject(HARDENED);
    expect(win.options.webPreferences?.preload).toBeUndefined();
    const partition = win.options.webPreferences?.partition ?? '';
    expect(partition).toMatch(/^patchbay-auth-/);
    expect(sessions.get(partition)?.protocol.handle).toHaveBeenCalledWith('patchbay', expect.any(Function));
    expect(win.webContents.windowOpenHandler!({ url: 'https://x.test' })).toEqual({ action: 'deny' });
    win.close();
  });

  it('denies every permission on its session (including openExternal)', () => {
    void prepared.authorize(authUrl, new AbortController().signal).catch(() => undefined);
    const ses = sessions.get(authWindow().options.webPreferences!.partition!)!;
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
    expect(authWindow().destroyed).toBe(true);
  });

  it('closing the window cancels', async () => {
    const result = prepared.authorize(authUrl, new AbortController().signal);
    authWindow().close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an already aborted attempt opens no window', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(prepared.authorize(authUrl, controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('dispose closes a window still open', async () => {
    const result = prepared.authorize(authUrl, new AbortController().signal);
    await prepared.dispose();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(authWindow().destroyed).toBe(true);
  });

  it('an abort closes the window and cancels', async () => {
    const controller = new AbortController();
    const result = prepared.authorize(authUrl, controller.signal);
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(authWindow().destroyed).toBe(true);
  });

  it('"Open the sign-in page" in the main window focuses the open sign-in window, never loads it', async () => {
    const embedded = createEmbeddedAuthorizer({ parent: () => null });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const signIn = authWindow();
    const win = createMainWindow({ preloadPath: '/p.cjs', openLink: links.openLink, focusSignIn: embedded.focusSignIn }) as unknown as FakeBrowserWindow;
    expect(win.webContents.windowOpenHandler!({ url: authUrl.href })).toEqual({ action: 'deny' });
    await links.settled();
    expect(signIn.focus).toHaveBeenCalledTimes(1);
    expect(electronStandIn.shell.openExternal).not.toHaveBeenCalled();
    signIn.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(embedded.focusSignIn(authUrl.href)).toBe(false);
  });

  it('"Use my browser instead" continues the same attempt through the fallback, without cancelling', async () => {
    const fallbackUrl = new URL('patchbay://oauth/callback?code=b&state=s1');
    const fallback = { canReturn: vi.fn(() => true), run: vi.fn(async () => fallbackUrl) };
    const embedded = createEmbeddedAuthorizer({ parent: () => null, fallback });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const win = authWindow();
    await expect(embedded.useBrowser('sandbox')).resolves.toBe(true);
    await expect(result).resolves.toEqual(fallbackUrl);
    expect(fallback.run).toHaveBeenCalledWith(authUrl, expect.any(AbortSignal), provider);
    expect(win.destroyed).toBe(true);
    expect(win.setMenu).not.toHaveBeenCalled();
  });

  it('without a registered scheme the switch is refused with the reason and the window stays', async () => {
    const fallback = { canReturn: vi.fn(() => false), run: vi.fn() };
    const embedded = createEmbeddedAuthorizer({ parent: () => null, fallback });
    const attempt = await embedded.prepare(provider);
    const result = attempt.authorize(authUrl, new AbortController().signal);
    const win = authWindow();
    await expect(embedded.useBrowser('sandbox')).rejects.toMatchObject({ code: 'invalid_input', field: 'mode' });
    await expect(embedded.useBrowser('livechat')).rejects.toMatchObject({ code: 'not_found' });
    expect(fallback.run).not.toHaveBeenCalled();
    expect(win.destroyed).toBe(false);
    win.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an https redirect URI is caught by webRequest as the last net', async () => {
    const https = await createEmbeddedAuthorizer({ parent: () => null }).prepare({ ...provider, redirectUri: 'https://app.example.com/cb' });
    const result = https.authorize(authUrl, new AbortController().signal);
    const ses = sessions.get(authWindow().options.webPreferences!.partition!)!;
    const answer = vi.fn();
    ses.beforeRequest!({ url: 'https://app.example.com/cb?code=1&state=s1', resourceType: 'mainFrame' }, answer);
    expect(answer).toHaveBeenCalledWith({ cancel: true });
    await expect(result).resolves.toEqual(new URL('https://app.example.com/cb?code=1&state=s1'));
  });
});
