/**
 * BrowserWindow, its webContents and frames, and Menu — with Electron's lifecycle rules.
 *
 * - shell/browser/api/electron_api_browser_window.cc: "Cannot create BrowserWindow before app is ready".
 * - A destroyed window or webContents throws "Object has been destroyed" on use
 *   (shell/common/gin_helper/function_template.h throws that TypeError for a destroyed holder);
 *   `isDestroyed()` is what code checks first.
 * - A custom scheme nobody handles fails to load with net::ERR_UNKNOWN_URL_SCHEME (-302), as
 *   spec/api-protocol-spec.ts expects of an unhandled `app://`.
 * - docs/api/browser-window.md: `win.setMenu(menu)` is _Linux_ _Windows_; macOS has one app menu
 *   and no window menus, so on 'darwin' the menu is never shown (`shownMenu` stays null).
 * - docs/api/app.md 'web-contents-created': emitted for every new webContents.
 * - docs/api/app.md 'window-all-closed': emitted when the last window closes, unless quitting.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
import { DESTROYED, type Lifecycle } from './lifecycle';
import type { SessionStandIn } from './session';

/** A WebFrameMain: what `event.senderFrame` is (or null, see ipc.ts). */
export interface FrameStandIn {
  processId: number;
  routingId: number;
  url: string;
  parent: FrameStandIn | null;
  detached: boolean;
}

/** What a window needs from the rest of the stand-in. */
export interface WindowHost {
  lifecycle: Lifecycle;
  platform: NodeJS.Platform;
  sessionFor(partition: string | undefined): SessionStandIn;
  emitApp(event: string, ...args: unknown[]): void;
  windows: BrowserWindowStandIn[];
  /** Every window ever created, closed ones included. */
  created: BrowserWindowStandIn[];
}

let nextId = 1;
const BUILT_IN = new Set(['http', 'https', 'about', 'data', 'file', 'blob']);

/** Menu.buildFromTemplate: the items keep their click handlers, as MenuItem does. */
export class MenuStandIn {
  constructor(readonly items: ReadonlyArray<{ label?: string; click?: (...args: unknown[]) => void }>) {}
  static buildFromTemplate(
    template: ReadonlyArray<{ label?: string; click?: (...args: unknown[]) => void }>,
  ): MenuStandIn {
    return new MenuStandIn(template);
  }
}

export class WebContentsStandIn extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FrameStandIn;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  /** Every webContents.send, in order. */
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;

  constructor(readonly session: SessionStandIn) {
    super();
    this.mainFrame = { processId: 100 + this.id, routingId: 1, url: '', parent: null, detached: false };
  }
  private live(): void {
    if (this.destroyed) throw new TypeError(DESTROYED);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.live();
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.live();
    this.sent.push({ channel, args });
  }
  /** A child frame of the main frame (an iframe), for sender checks. */
  subFrame(url: string): FrameStandIn {
    return {
      processId: this.mainFrame.processId,
      routingId: 2 + Math.floor(Math.random() * 1e6),
      url,
      parent: this.mainFrame,
      detached: false,
    };
  }
  /** A renderer-initiated navigation: Electron 45 passes one details object with preventDefault. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', url: string): { prevented: boolean } {
    const details = {
      url,
      isMainFrame: true,
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    this.emit(event, details);
    return details;
  }
}

export class BrowserWindowStandIn extends EventEmitter {
  readonly webContents: WebContentsStandIn;
  readonly loads: Array<{ url: string; status: number | null; headers: Record<string, string>; body: string }> = [];
  /** The menu set with setMenu, when the platform shows window menus at all. */
  shownMenu: MenuStandIn | null = null;
  visible = false;
  focused = false;
  private destroyed = false;
  private readonly host: WindowHost;
  readonly options: BrowserWindowConstructorOptions;

  constructor(host: WindowHost, options: BrowserWindowConstructorOptions = {}) {
    super();
    host.lifecycle.afterReady(
      'Cannot create BrowserWindow before app is ready',
      'shell/browser/api/electron_api_browser_window.cc',
    );
    this.host = host;
    this.options = options;
    this.webContents = new WebContentsStandIn(host.sessionFor(options.webPreferences?.partition));
    host.windows.push(this);
    host.created.push(this);
    host.emitApp('web-contents-created', { preventDefault() {} }, this.webContents);
  }

  private live(): void {
    if (this.destroyed) throw new TypeError(DESTROYED);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    this.live();
    return false;
  }
  restore(): void {
    this.live();
  }
  show(): void {
    this.live();
    this.visible = true;
  }
  focus(): void {
    this.live();
    this.focused = true;
  }
  setMenu(menu: MenuStandIn | null): void {
    this.live();
    if (this.host.platform !== 'darwin') this.shownMenu = menu;
  }

  /**
   * Load `url`. Custom schemes are answered by the session's protocol handler; with none, the load
   * fails like Chromium's ERR_UNKNOWN_URL_SCHEME (-302). Web URLs are recorded, never fetched.
   */
  async loadURL(url: string): Promise<void> {
    this.live();
    const wc = this.webContents;
    const scheme = new URL(url).protocol.slice(0, -1);
    if (!BUILT_IN.has(scheme)) {
      const response = await wc.session.protocol.fetch(url);
      if (!response) {
        wc.emit('did-fail-load', { preventDefault() {} }, -302, 'ERR_UNKNOWN_URL_SCHEME', url, true);
        throw new Error(`ERR_UNKNOWN_URL_SCHEME (-302) loading '${url}'`);
      }
      const body = await response.text();
      this.loads.push({ url, status: response.status, headers: Object.fromEntries(response.headers), body });
    } else {
      this.loads.push({ url, status: null, headers: {}, body: '' });
    }
    if (this.destroyed) return;
    wc.mainFrame.url = url;
    wc.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  /** The user (or the app) closes the window. */
  close(): void {
    this.live();
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.mainFrame.detached = true;
    this.emit('closed');
    const list = this.host.windows;
    list.splice(list.indexOf(this), 1);
    const quitting = this.host.lifecycle.phase === 'quitting' || this.host.lifecycle.phase === 'quit';
    if (list.length === 0 && !quitting) this.host.emitApp('window-all-closed');
  }
}
