/**
 * Drive each host's real wiring the way its renderer does, and record what the renderer gets.
 *
 * Electron: the host adapter, ipc.ts handlers and the main window, against the lifecycle-faithful
 * `electron` stand-in (the test file mocks `electron` with it); calls arrive as IPC from the main
 * window's top frame, events are what `webContents.send` was given, links that open are what the
 * stand-in's `shell.openExternal` recorded. Web: the real web host on 127.0.0.1, calls over HTTP
 * with the launch key, events read from the SSE stream, links that open are those the host told
 * the page to open itself.
 */
import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Channel, EventName, Result } from '../../preload/contract';
import type { BrowserWindow } from 'electron';
import type { HostCore } from '../../main/host/types';
import type { BrowserWindowStandIn, ElectronStandIn } from '../electron-stand-in';

export interface Received {
  event: EventName;
  payload: unknown;
}

export interface HostDriver {
  readonly name: 'electron' | 'web';
  /** Call a channel as the renderer does. */
  invoke(channel: Channel, ...args: unknown[]): Promise<Result<unknown>>;
  /** Every event the renderer received, in order. */
  readonly received: Received[];
  /** Links that actually left the app (system browser, or a tab the page was told to open). */
  readonly opened: string[];
  /** The main window's own link path (Electron: window.open / will-navigate); web: the same channel. */
  clickLink(url: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Electron host's wiring over the stand-in, as index.ts wires it after ready: the host
 * adapter, the IPC handlers behind the sender check, and the main window once its page loaded.
 * The stand-in must be launched and serve `app://` (the test registers a one-line page).
 */
export async function electronDriver(
  electron: ElectronStandIn,
  core: HostCore,
  useBrowser: (providerId: string) => Promise<boolean>,
): Promise<HostDriver> {
  const { startElectronHost } = await import('../../main/electron/host-adapter');
  const { isTrustedSender, registerIpcHandlers } = await import('../../main/electron/ipc');
  const { createMainWindow } = await import('../../main/electron/main-window');
  const { module: e, control } = electron;
  let win: BrowserWindow | null = null;
  const host = startElectronHost({
    core,
    version: 'parity',
    settingsNotice: () => null,
    window: () => win,
    useBrowser,
  });
  const removeHandlers = registerIpcHandlers(host.handlers, (event) => isTrustedSender(win, event));
  const pending: Promise<unknown>[] = [];
  const created = createMainWindow({
    preloadPath: '/app/preload.cjs',
    openLink: (url) => void pending.push(host.openLink(url)),
  }) as unknown as BrowserWindowStandIn;
  await new Promise<void>((resolve) => created.once('ready-to-show', () => resolve()));
  win = created as unknown as BrowserWindow;
  const openedBefore = e.shell.opened.length;
  return {
    name: 'electron',
    invoke: async (channel, ...args) => (await control.invoke(channel, created, 'top', ...args)) as Result<unknown>,
    get received() {
      return created.webContents.sent.map(({ channel, args }) => ({ event: channel as EventName, payload: args[0] }));
    },
    get opened() {
      return e.shell.opened.slice(openedBefore);
    },
    clickLink: async (url) => {
      created.webContents.windowOpenHandler?.({ url });
      await Promise.all(pending);
    },
    stop: async () => {
      await host.stop();
      removeHandlers();
      created.destroy();
    },
  };
}

/** POST one call the way renderer/bridge.ts does. */
function post(port: number, key: string, channel: string, args: unknown[]): Promise<Result<unknown>> {
  const origin = `http://127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/invoke/${channel}`,
        headers: {
          Host: `127.0.0.1:${port}`,
          Origin: origin,
          'Content-Type': 'application/json',
          'X-Patchbay-Key': key,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(JSON.parse(body) as Result<unknown>));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(args));
  });
}

/** The web host on 127.0.0.1 with one page's event stream attached. */
export async function webDriver(core: HostCore): Promise<HostDriver> {
  const { startWebHost } = await import('../../main/web/web-host');
  const staticDir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-parity-web-'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Patchbay</title>');
  const host = await startWebHost({ core, staticDir, port: 0, version: 'parity' });
  const received: Received[] = [];
  const opened: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: `/api/events?key=${host.key}`,
        headers: { Host: `127.0.0.1:${host.port}` },
      },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(frame)?.[1];
            const data = /^data: (.+)$/m.exec(frame)?.[1];
            if (event && data) received.push({ event: event as EventName, payload: JSON.parse(data) });
          }
        });
        resolve();
      },
    );
    req.on('error', reject);
    req.end();
  });
  const invoke = async (channel: Channel, ...args: unknown[]) => {
    const result = await post(host.port, host.key, channel, args);
    // What renderer/use-patchbay.ts does with a link decision on this host.
    const decision = result.ok ? (result.value as { allowed?: boolean; openInRenderer?: boolean }) : null;
    if (channel === 'links:open' && decision?.allowed && decision.openInRenderer) opened.push(String(args[0]));
    return result;
  };
  // Wait for the stream to be registered, so no event of the scenario is sent to nobody.
  while (host.events.size === 0) await new Promise((resolve) => setImmediate(resolve));
  return {
    name: 'web',
    invoke,
    received,
    opened,
    clickLink: async (url) => void (await invoke('links:open', url)),
    stop: async () => {
      await host.close();
      await rm(staticDir, { recursive: true, force: true });
    },
  };
}
