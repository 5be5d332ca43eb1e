/**
 * A lifecycle-faithful stand-in for the `electron` module (main process only).
 *
 * It keeps Electron's order: nothing is `ready` until the driver says the main module has finished
 * evaluating (`control.finishLaunching()`, what Electron does after `await import(main)`), and the
 * APIs that Electron refuses before or after ready throw the same errors. Each rule cites its
 * source next to the code (lifecycle.ts, app.ts, session.ts, windows.ts, ipc.ts). It renders
 * nothing and runs no page script: custom-scheme loads go through the app's protocol handler,
 * web pages are only recorded. Used by Vitest (`vi.mock('electron', () => standIn.module)`) and
 * by the boot test, where Node module hooks resolve `electron` to ./module.ts.
 */
import { createApp, createDialog, createShell } from './app';
import { IpcMainStandIn, invokeEvent, type FrameKind } from './ipc';
import { ElectronRuleError, Lifecycle } from './lifecycle';
import { clickNotification, createNotificationClass, type NotificationCenter } from './notification';
import { createSessionModule } from './session';
import { BrowserWindowStandIn, MenuStandIn, type WindowHost } from './windows';

export interface StandInOptions {
  /** process.platform to behave as (menus and open-url differ on 'darwin'). */
  platform?: NodeJS.Platform;
  /** false: another instance holds the single-instance lock. */
  primaryInstance?: boolean;
  version?: string;
  name?: string;
  /** What Notification.isSupported() answers (default true). */
  notificationsSupported?: boolean;
}

/** Build one stand-in (one per process in Electron; one per test here). */
export function createElectronStandIn(options: StandInOptions = {}) {
  const platform = options.platform ?? process.platform;
  const lifecycle = new Lifecycle();
  const windows: BrowserWindowStandIn[] = [];
  const created: BrowserWindowStandIn[] = [];
  const app = createApp(lifecycle, windows, {
    primaryInstance: options.primaryInstance ?? true,
    version: options.version ?? '0.0.0-stand-in',
    name: options.name ?? 'Patchbay',
  });
  const sessions = createSessionModule(lifecycle);
  const host: WindowHost = {
    lifecycle,
    platform,
    windows,
    created,
    sessionFor: (partition) => sessions.module.fromPartition(partition ?? ''),
    emitApp: (event, ...args) => void app.emit(event, ...args),
  };
  class BrowserWindow extends BrowserWindowStandIn {
    constructor(windowOptions: ConstructorParameters<typeof BrowserWindowStandIn>[1] = {}) {
      super(host, windowOptions);
    }
    static getAllWindows(): BrowserWindowStandIn[] {
      return [...windows];
    }
  }
  const notifications: NotificationCenter = { supported: options.notificationsSupported ?? true, shown: [] };
  const Notification = createNotificationClass(lifecycle, notifications);
  const ipcMain = new IpcMainStandIn();
  const dialog = createDialog(lifecycle);
  const shell = createShell();
  const protocol = {
    privileged: null as unknown[] | null,
    /**
     * docs/api/protocol.md: "This method can only be used before the `ready` event of the `app`
     * module gets emitted and can be called only once." electron_api_protocol.cc throws
     * "protocol.registerSchemesAsPrivileged should be called before app is ready".
     */
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      lifecycle.beforeReady(
        'protocol.registerSchemesAsPrivileged should be called before app is ready',
        'shell/browser/api/electron_api_protocol.cc',
      );
      if (protocol.privileged)
        throw new ElectronRuleError('registerSchemesAsPrivileged can be called only once', 'docs/api/protocol.md');
      protocol.privileged = schemes;
    },
    /** lib/browser/api/protocol.ts: `handle: (...args) => session.defaultSession.protocol.handle(...args)`. */
    handle: (...args: Parameters<BrowserWindowStandIn['webContents']['session']['protocol']['handle']>) =>
      sessions.module.defaultSession.protocol.handle(...args),
    unhandle: (scheme: string) => sessions.module.defaultSession.protocol.unhandle(scheme),
    isProtocolHandled: (scheme: string) => sessions.module.defaultSession.protocol.isProtocolHandled(scheme),
  };

  const module = {
    app,
    BrowserWindow,
    Menu: MenuStandIn,
    Notification,
    dialog,
    ipcMain,
    protocol,
    session: sessions.module,
    shell,
  };

  /** What a test (or the boot driver) does to the stand-in: Electron's side of the story. */
  const control = {
    lifecycle,
    /** Open windows. */
    windows,
    /** Every window ever created, closed ones included. */
    created,
    sessions: sessions.sessions,
    /** Desktop notifications shown so far (and whether the system supports them). */
    notifications,
    /** The person clicks the `index`-th notification shown. */
    clickNotification: (index: number) => clickNotification(notifications, index),
    /** The main module finished evaluating (Electron's appCodeLoaded). */
    markAppCodeLoaded(): void {
      lifecycle.appCodeLoaded = true;
    },
    /** Emit `ready` — refused until markAppCodeLoaded() (lifecycle.ts). */
    finishLaunching(): void {
      lifecycle.finishLaunching(() => app.emit('ready', { preventDefault() {} }, {}));
    },
    /** Both of the above: for tests that import a module and then let Electron go on. */
    launch(): void {
      control.markAppCodeLoaded();
      control.finishLaunching();
    },
    /** docs/api/app.md 'second-instance': "guaranteed to be emitted after the `ready` event". */
    secondInstance(argv: string[]): void {
      if (!lifecycle.isReady)
        throw new ElectronRuleError('second-instance is only emitted after ready', 'docs/api/app.md');
      app.emit('second-instance', { preventDefault() {} }, argv, process.cwd(), {});
    },
    /** docs/api/app.md: 'open-url' is _macOS_ only, and may arrive before ready. */
    openUrl(url: string): { prevented: boolean } {
      if (platform !== 'darwin') throw new ElectronRuleError("'open-url' is emitted on macOS only", 'docs/api/app.md');
      const event = {
        prevented: false,
        preventDefault() {
          event.prevented = true;
        },
      };
      app.emit('open-url', event, url);
      return event;
    },
    invoke: (channel: string, win: BrowserWindowStandIn, kind: FrameKind = 'top', ...args: unknown[]) =>
      ipcMain.invoke(channel, invokeEvent(win, kind), ...args),
  };
  return { module, control };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
export { BrowserWindowStandIn, MenuStandIn, ElectronRuleError };
export type { FrameStandIn, WebContentsStandIn } from './windows';
export type { SessionStandIn } from './session';
