/**
 * The `app` object with Electron's before/after-ready rules and quit sequence.
 *
 * Sources (electronjs.org/docs/latest/api/app and shell/browser/api/electron_api_app.cc):
 * - `app.enableSandbox()`: "This method can only be called before app is ready." — the C++ throws
 *   "app.enableSandbox() can only be called before app is ready".
 * - `app.setPath(name, path)`: "If the path specifies a directory that does not exist, an `Error`
 *   is thrown."
 * - `app.whenReady()` / `app.isReady()`: fulfilled / true once Electron has emitted `ready`.
 * - `app.quit()`: emits `before-quit`, closes every window, then `will-quit`; `preventDefault()` on
 *   either stops the quit. `window-all-closed` is not emitted while quitting.
 * - `app.exit(code)`: "All windows will be closed immediately ... `before-quit` and `will-quit`
 *   events will not be emitted."
 * - `second-instance`: "guaranteed to be emitted after the `ready` event" (driver enforces it).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Lifecycle } from './lifecycle';
import type { BrowserWindowStandIn } from './windows';

export interface AppOptions {
  /** What app.requestSingleInstanceLock() answers (false: another instance holds the lock). */
  primaryInstance: boolean;
  /** package.json "version" (Electron reads it in lib/browser/init.ts). */
  version: string;
  name: string;
}

const preventable = () => {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
};

/** Build `app`. `windows` is the live list of open windows. */
export function createApp(lifecycle: Lifecycle, windows: BrowserWindowStandIn[], options: AppOptions) {
  const paths = new Map<string, string>([['appData', path.join(os.homedir(), '.config')]]);
  paths.set('userData', path.join(paths.get('appData')!, options.name));
  const state = {
    exitCode: null as number | null,
    sandboxEnabled: false,
    protocolClients: [] as Array<{ scheme: string; args: unknown[] }>,
    lockRequests: 0,
  };

  const app = Object.assign(new EventEmitter(), {
    state,
    isReady: () => lifecycle.isReady,
    whenReady: () => lifecycle.ready,
    getVersion: () => options.version,
    getName: () => options.name,
    getPath(name: string): string {
      const value = paths.get(name);
      if (!value) throw new Error(`Failed to get '${name}' path`);
      return value;
    },
    setPath(name: string, value: string): void {
      if (!fs.existsSync(value)) throw new Error(`Failed to set path: '${value}' does not exist`);
      paths.set(name, value);
    },
    enableSandbox(): void {
      lifecycle.beforeReady(
        'app.enableSandbox() can only be called before app is ready',
        'shell/browser/api/electron_api_app.cc App::EnableSandbox',
      );
      state.sandboxEnabled = true;
    },
    requestSingleInstanceLock(): boolean {
      state.lockRequests += 1;
      return options.primaryInstance;
    },
    setAsDefaultProtocolClient(scheme: string, ...args: unknown[]): boolean {
      state.protocolClients.push({ scheme, args });
      return true;
    },
    isDefaultProtocolClient: (scheme: string): boolean => state.protocolClients.some((c) => c.scheme === scheme),
    quit(): void {
      if (lifecycle.phase === 'quit') return;
      const before = preventable();
      app.emit('before-quit', before);
      if (before.defaultPrevented) return;
      lifecycle.phase = 'quitting';
      for (const win of [...windows]) win.destroy();
      const willQuit = preventable();
      app.emit('will-quit', willQuit);
      if (willQuit.defaultPrevented) return;
      lifecycle.phase = 'quit';
      state.exitCode ??= 0;
      app.emit('quit', preventable(), 0);
      lifecycle.emit('exit', state.exitCode);
    },
    exit(code = 0): void {
      lifecycle.phase = 'quit';
      for (const win of [...windows]) win.destroy();
      state.exitCode = code;
      lifecycle.emit('exit', code);
    },
  });
  return app;
}

/** `dialog`: showErrorBox any time; the rest only after ready (lib/browser/api/dialog.ts). */
export function createDialog(lifecycle: Lifecycle) {
  const errorBoxes: Array<{ title: string; content: string }> = [];
  const messageBoxes: Array<{ options: unknown; answer: (response: number) => void }> = [];
  const saveDialogs: Array<{ options: unknown; answer: (filePath: string | null) => void }> = [];
  return {
    errorBoxes,
    messageBoxes,
    saveDialogs,
    /**
     * docs/api/dialog.md, `dialog.showSaveDialog([window, ]options)`: "Returns `Promise<Object>` -
     * Resolve with an object containing the following: `canceled` boolean - whether or not the
     * dialog was canceled. `filePath` string - If the dialog is canceled, this will be an empty
     * string." Pending until a test answers with a path (or null: cancelled), as a user would.
     */
    showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath: string }> {
      lifecycle.afterReady('dialog module can only be used after app is ready', 'lib/browser/api/dialog.ts');
      const options = args.length > 1 ? args[1] : args[0];
      return new Promise((resolve) =>
        saveDialogs.push({
          options,
          answer: (filePath) => resolve({ canceled: filePath === null, filePath: filePath ?? '' }),
        }),
      );
    },
    /**
     * docs/api/dialog.md: "This API can be called safely before the `ready` event the `app`
     * module emits".
     */
    showErrorBox(title: string, content: string): void {
      errorBoxes.push({ title, content });
    },
    /**
     * lib/browser/api/dialog.ts checkAppInitialized: "dialog module can only be used after app is
     * ready". The box stays open (the promise pending) until a test answers it, as a user would.
     */
    showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
      lifecycle.afterReady('dialog module can only be used after app is ready', 'lib/browser/api/dialog.ts');
      const options = args.length > 1 ? args[1] : args[0];
      return new Promise((resolve) =>
        messageBoxes.push({ options, answer: (response) => resolve({ response, checkboxChecked: false }) }),
      );
    },
  };
}

/** `shell`: records what would open in the system browser. */
export function createShell() {
  const opened: string[] = [];
  return {
    opened,
    async openExternal(url: string, _options?: unknown): Promise<void> {
      opened.push(url);
    },
    async openPath(_path: string): Promise<string> {
      return '';
    },
  };
}
