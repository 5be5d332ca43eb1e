/**
 * `ipcMain` and the events a renderer's `ipcRenderer.invoke` produces.
 *
 * - lib/browser/ipc-main-impl.ts: a second `handle` for one channel throws "Attempted to register
 *   a second handler for '<channel>'"; a non-function handler is a TypeError.
 * - lib/browser/ipc-dispatch.ts: invoking a channel with no handler replies with the error
 *   "No handler registered for '<channel>'".
 * - docs/api/structures/ipc-main-invoke-event.md: `senderFrame` is "WebFrameMain | null ... May be
 *   `null` if accessed after the frame has either navigated or been destroyed."
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowStandIn, FrameStandIn, WebContentsStandIn } from './windows';

type InvokeHandler = (event: InvokeEvent, ...args: unknown[]) => unknown;

/** The parts of IpcMainInvokeEvent Patchbay reads. */
export interface InvokeEvent {
  type: 'frame';
  sender: WebContentsStandIn;
  senderFrame: FrameStandIn | null;
  processId: number;
  frameId: number;
}

export class IpcMainStandIn extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();

  constructor() {
    super();
    // ipc-main-impl.ts: "Do not throw exception when channel name is "error"".
    this.on('error', () => undefined);
  }

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof handler !== 'function')
      throw new TypeError(`Expected handler to be a function, but found type '${typeof handler}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke(channel, ...args)` from `event`'s frame resolves or rejects with. */
  async invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** Where an invoke comes from. */
export type FrameKind = 'top' | 'sub-frame' | 'gone';

/**
 * An invoke event from `win`: its top frame, one of its sub-frames, or a frame that navigated or
 * was destroyed before the main process read it (senderFrame null).
 */
export function invokeEvent(win: BrowserWindowStandIn, kind: FrameKind = 'top'): InvokeEvent {
  const wc = win.webContents;
  const frame = kind === 'top' ? wc.mainFrame : kind === 'sub-frame' ? wc.subFrame(wc.mainFrame.url) : null;
  return {
    type: 'frame',
    sender: wc,
    senderFrame: frame,
    processId: wc.mainFrame.processId,
    frameId: frame?.routingId ?? -1,
  };
}
