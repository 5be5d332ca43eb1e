/**
 * Step 7: keep the page up to date — core changes and flow progress go out as contract events.
 *
 * The core says *what* changed; the page gets the fresh views (never a token: views only). The
 * documentation-link allow-list is recomputed whenever providers change.
 */
import type { BrowserWindow } from 'electron';
import type { FlowEvent } from '../../preload/contract';
import type { PatchbayCore } from '../core/model/types';
import { docsHosts } from './app-urls';
import { sendEvent } from './ipc';

export interface RendererEvents {
  /** Hosts of the built-in providers' docs links (for the main window's link policy). */
  docsHosts(): ReadonlySet<string>;
  /** Forward one flow:progress event (the bridge's onFlowEvent). */
  flow(event: FlowEvent): void;
  /** Stop listening to the core. */
  stop(): void;
}

/** Wire core.onChange to the main window and keep the docs allow-list current. */
export function forwardCoreEvents(core: PatchbayCore, win: () => BrowserWindow | null): RendererEvents {
  let hosts: ReadonlySet<string> = new Set();
  const refreshProviders = async (notify: boolean) => {
    const providers = await core.listProviders();
    hosts = docsHosts(providers.filter((p) => p.builtIn).map((p) => p.definition));
    if (notify) sendEvent(win(), 'providers:changed', providers);
  };
  const report = (what: string) => (error: unknown) =>
    console.warn(`Patchbay could not refresh ${what}:`, error instanceof Error ? error.message : 'unknown error');

  refreshProviders(false).catch(report('the provider list'));
  const stop = core.onChange((what) => {
    if (what === 'providers') refreshProviders(true).catch(report('the provider list'));
    else core.listConnections().then((list) => sendEvent(win(), 'connections:changed', list), report('connections'));
  });
  return {
    docsHosts: () => hosts,
    flow: (event) => sendEvent(win(), 'flow:progress', event),
    stop,
  };
}
