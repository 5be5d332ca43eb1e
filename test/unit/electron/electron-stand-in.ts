/**
 * A typed stand-in for the `electron` module, for wiring tests only.
 *
 * It records what Patchbay's Electron layer asks of Electron (window options, handlers,
 * listeners) so tests can assert the wiring. It renders nothing and runs no page, so no test
 * using it can show that a sign-in works — that is what the e2e suite on real Electron is for.
 * The exported names are checked against Electron's own module type (see `satisfies` below).
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type * as Electron from 'electron';

export interface FakeFrame {
  processId: number;
  routingId: number;
  url: string;
  parent: FakeFrame | null;
  detached: boolean;
}

let nextId = 1;

export class FakeSession extends EventEmitter {
  permissionRequestHandler: ((...args: unknown[]) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  beforeRequest: ((details: { url: string; resourceType: string }, cb: (r: { cancel?: boolean }) => void) => void) | null = null;
  readonly handled = new Map<string, (request: Request) => Response | Promise<Response>>();
  setPermissionRequestHandler = vi.fn((h: ((...args: unknown[]) => void) | null) => void (this.permissionRequestHandler = h));
  setPermissionCheckHandler = vi.fn((h: ((...args: unknown[]) => boolean) | null) => void (this.permissionCheckHandler = h));
  setDevicePermissionHandler = vi.fn();
  clearStorageData = vi.fn(async () => undefined);
  protocol = {
    handle: vi.fn((scheme: string, fn: (request: Request) => Response) => void this.handled.set(scheme, fn)),
    unhandle: vi.fn((scheme: string) => void this.handled.delete(scheme)),
    isProtocolHandled: vi.fn((scheme: string) => this.handled.has(scheme)),
  };
  webRequest = {
    onBeforeRequest: vi.fn((...args: unknown[]) => {
      this.beforeRequest = (args.length === 2 ? args[1] : args[0]) as FakeSession['beforeRequest'];
    }),
  };
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame = { processId: 7, routingId: this.id, url: 'app://patchbay/index.html', parent: null, detached: false };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler = vi.fn((h: (details: { url: string }) => { action: string }) => void (this.windowOpenHandler = h));
  send = vi.fn();
  destroyed = false;
  isDestroyed = () => this.destroyed;
  /** Emit a navigation event the way Electron 45 does (details object with preventDefault). */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): { prevented: boolean } {
    const details = { url, isMainFrame: true, prevented: false, preventDefault() { this.prevented = true; } };
    this.emit(event, details);
    return details;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  loadURL = vi.fn(async (_url: string) => undefined);
  setMenu = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = () => false;
  isDestroyed = () => this.destroyed;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  /** The user closes the window. */
  close(): void {
    this.destroy();
  }
}

export const sessions = new Map<string, FakeSession>();
export const defaultSession = new FakeSession();
export const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();

const appEvents = new EventEmitter();
export const electronStandIn = {
  app: Object.assign(appEvents, {
    isDefaultProtocolClient: vi.fn(() => false),
    setAsDefaultProtocolClient: vi.fn(() => true),
    requestSingleInstanceLock: vi.fn(() => true),
    setPath: vi.fn(),
    getVersion: vi.fn(() => '0.0.0-test'),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    quit: vi.fn(),
    exit: vi.fn(),
  }),
  BrowserWindow: FakeBrowserWindow,
  Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })) },
  dialog: { showMessageBox: vi.fn(async () => ({ response: 1, checkboxChecked: false })), showErrorBox: vi.fn() },
  ipcMain: {
    handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void ipcHandlers.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => void ipcHandlers.delete(channel)),
    removeAllListeners: vi.fn(),
  },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  session: {
    defaultSession,
    fromPartition: vi.fn((partition: string) => {
      const ses = sessions.get(partition) ?? new FakeSession();
      sessions.set(partition, ses);
      return ses;
    }),
  },
  shell: { openExternal: vi.fn(async () => undefined) },
} satisfies { [K in 'app' | 'BrowserWindow' | 'Menu' | 'dialog' | 'ipcMain' | 'protocol' | 'session' | 'shell']: unknown } & Partial<Record<keyof typeof Electron, unknown>>;

/** Forget windows, sessions and handlers between tests. */
export function resetStandIn(): void {
  FakeBrowserWindow.created = [];
  sessions.clear();
  ipcHandlers.clear();
  vi.clearAllMocks();
}
