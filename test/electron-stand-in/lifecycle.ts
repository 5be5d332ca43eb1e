/**
 * The app lifecycle the stand-in enforces: launching → ready → quitting → quit.
 *
 * Every rule names where it comes from (Electron's docs at electronjs.org/docs/latest, or a file
 * in github.com/electron/electron). The error messages are Electron's own, so a test that trips
 * a rule reads like the crash a user would see. Nothing here is kinder than Electron: a call that
 * Electron refuses throws, and `ready` is only emitted when the test driver says the main module
 * has finished evaluating.
 */
import { EventEmitter } from 'node:events';

export type Phase = 'launching' | 'ready' | 'quitting' | 'quit';

/** Electron's own refusal, thrown by the stand-in where Electron would throw. */
export class ElectronRuleError extends Error {
  constructor(
    message: string,
    /** Where the rule is written down (doc or source path). */
    readonly source: string,
  ) {
    super(message);
    this.name = 'ElectronRuleError';
  }
}

/** The process-wide lifecycle: one app per process, as in Electron. */
export class Lifecycle extends EventEmitter {
  phase: Phase = 'launching';
  /** True once the driver reported that the main module finished evaluating. */
  appCodeLoaded = false;
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((resolve) => (this.readyResolve = resolve));

  private readyEmitted = false;

  get isReady(): boolean {
    return this.readyEmitted;
  }

  /**
   * Only before ready. The APIs that use it say so in their docs, e.g. docs/api/app.md
   * (`app.enableSandbox()`): "This method can only be called before app is ready."
   */
  beforeReady(message: string, source: string): void {
    if (this.isReady) throw new ElectronRuleError(message, source);
  }

  /**
   * Only after ready, e.g. docs/api/browser-window.md: "This module cannot be used until the
   * `ready` event of the `app` module is emitted."
   */
  afterReady(message: string, source: string, ErrorType: typeof Error = Error): void {
    if (!this.isReady) {
      const error = new ErrorType(message);
      throw Object.assign(error, { source });
    }
  }

  /**
   * The main module finished evaluating; now (and only now) Electron may emit `ready`.
   *
   * lib/browser/init.ts loads an ESM main with `await cascadedLoader.import(main)` and calls
   * `appCodeLoaded()` afterwards (also when the import threw); shell/common/node_bindings.cc
   * `JoinAppCode()` pumps the event loop "until we get the signal that the app code has finished
   * loading", and only then does ElectronBrowserMainParts go on to emit `ready`. A main that awaits
   * `ready` at its top level therefore never finishes loading, and `ready` never comes.
   */
  finishLaunching(emitReady: () => void): void {
    if (!this.appCodeLoaded) {
      throw new ElectronRuleError(
        'ready cannot be emitted before the main module has finished evaluating',
        'shell/common/node_bindings.cc NodeBindings::JoinAppCode',
      );
    }
    // A process that already quit (e.g. a second instance) never gets to ready.
    if (this.readyEmitted || this.phase === 'quit') return;
    this.readyEmitted = true;
    if (this.phase === 'launching') this.phase = 'ready';
    this.readyResolve();
    emitReady();
  }
}

/** Electron's message for a call on a destroyed window or web contents. */
export const DESTROYED = 'Object has been destroyed';
