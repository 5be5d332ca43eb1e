/**
 * Find the bridge: `window.patchbay` in Electron, or the same PatchbayApi over HTTP + SSE on the
 * web host.
 *
 * On the web host the launch key arrives in the URL fragment (`#key=…`), which never reaches a
 * server log or a Referer. It is moved to sessionStorage (this tab only, survives a reload) and
 * dropped from the address bar at once.
 */
import type { ArgsOf, Channel, EventName, PatchbayApi, PatchbayEvents, Result, ResultOf } from '../preload/contract';
import { KEY_FRAGMENT, KEY_HEADER, eventsUrl, invokePath } from '../preload/web-transport';

declare global {
  interface Window {
    patchbay?: PatchbayApi;
  }
}

const KEY_STORAGE = 'patchbay-launch-key';
/** Fired on window when the event stream reconnected and the lists should be read again. */
export const RESYNC_EVENT = 'patchbay:resync';

/** Read the launch key from the fragment (then remove it) or from this tab's storage. */
export function takeLaunchKey(): string | null {
  const match = new RegExp(`(?:^#|&)${KEY_FRAGMENT}=([A-Za-z0-9_-]{20,200})`).exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(KEY_STORAGE, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1];
  }
  return sessionStorage.getItem(KEY_STORAGE);
}

function failure(message: string): { ok: false; error: { code: 'internal'; message: string } } {
  return { ok: false, error: { code: 'internal', message } };
}

/** Build a PatchbayApi over the web host's HTTP API. */
export function createHttpBridge(key: string): PatchbayApi {
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  function ensureSource(): void {
    if (source) return;
    source = new EventSource(eventsUrl(key));
    // After a dropped stream reconnects, events may have been missed: ask the page to re-read.
    let opened = 0;
    source.addEventListener('open', () => {
      opened += 1;
      if (opened > 1) window.dispatchEvent(new Event(RESYNC_EVENT));
    });
    for (const name of listeners.keys()) subscribe(name);
  }
  const subscribed = new Set<EventName>();
  function subscribe(name: EventName): void {
    if (!source || subscribed.has(name)) return;
    subscribed.add(name);
    source.addEventListener(name, (message) => {
      let payload: unknown;
      try {
        payload = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
    });
  }

  return {
    async invoke<C extends Channel>(channel: C, ...args: ArgsOf<C>): Promise<Result<ResultOf<C>>> {
      let response: Response;
      try {
        response = await fetch(invokePath(channel), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [KEY_HEADER]: key },
          body: JSON.stringify(args),
          cache: 'no-store',
        });
      } catch {
        return failure('Patchbay is not answering. Check that it is still running, then reload this page.');
      }
      if (response.status === 403) {
        return failure(
          'This page is no longer connected to Patchbay. Open the address Patchbay printed when it started.',
        );
      }
      try {
        return (await response.json()) as Result<ResultOf<C>>;
      } catch {
        return failure('Patchbay sent an answer this page cannot read. Reload the page and try again.');
      }
    },
    on<E extends EventName>(event: E, listener: (payload: PatchbayEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      ensureSource();
      subscribe(event);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/** The bridge for this page, or null when the web page was opened without its key. */
export function findBridge(): PatchbayApi | null {
  if (window.patchbay) return window.patchbay;
  const key = takeLaunchKey();
  return key ? createHttpBridge(key) : null;
}
