/**
 * The sandboxed preload: builds `window.patchbay` (PatchbayApi) from the contract's lists.
 *
 * Runs with contextIsolation and sandbox on, so it is bundled into one CommonJS file that needs
 * nothing but `electron` (dist/electron/preload.cjs). The page gets two functions, never
 * ipcRenderer itself: `invoke` only for channel names in CHANNELS, `on` only for names in
 * EVENTS, and `on` returns the function that unsubscribes. Listeners receive the payload
 * alone — never the IpcRendererEvent, which would hand the page `sender`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  isChannel,
  isEventName,
  type ArgsOf,
  type Channel,
  type EventName,
  type PatchbayApi,
  type PatchbayEvents,
  type Result,
  type ResultOf,
} from './contract';

function unknownName(kind: string, name: unknown): Result<never> {
  return {
    ok: false,
    error: { code: 'invalid_input', message: `Patchbay does not know the ${kind} "${String(name)}".`, field: kind },
  };
}

const api: PatchbayApi = {
  invoke<C extends Channel>(channel: C, ...args: ArgsOf<C>): Promise<Result<ResultOf<C>>> {
    // Checked at runtime too: the page is plain JavaScript and may pass anything.
    if (!isChannel(channel)) return Promise.resolve(unknownName('channel', channel));
    return ipcRenderer.invoke(channel, ...args) as Promise<Result<ResultOf<C>>>;
  },
  on<E extends EventName>(event: E, listener: (payload: PatchbayEvents[E]) => void): () => void {
    if (!isEventName(event)) throw new TypeError(`Patchbay does not know the event "${String(event)}".`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    const forward = (_event: IpcRendererEvent, payload: PatchbayEvents[E]) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('patchbay', api);
