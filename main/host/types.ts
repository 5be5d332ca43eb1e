/**
 * What the host layer needs from a host (its transport and windows) and from the core.
 *
 * A host adapter (main/web, main/electron) implements HostTransport and nothing else; every rule
 * about what a host does lives in this folder, so the two hosts cannot drift.
 */
import type { AppInfo, EventName, PatchbayEvents } from '../../preload/contract';
import type { RefreshScheduler } from '../core/flows/refresh';
import type { PatchbayCore } from '../core/model/types';
import type { LinkPolicy } from './link-policy';

/** The core plus the one long-running duty a host owns: keeping tokens fresh. */
export interface HostCore extends PatchbayCore {
  startRefreshScheduler(marginMs?: number, intervalMs?: number): RefreshScheduler;
}

/** How one host reaches its pages and the world. */
export interface HostTransport {
  readonly host: AppInfo['host'];
  /** Push one contract event to every page of this host. */
  send<E extends EventName>(event: E, payload: PatchbayEvents[E]): void;
  /** True while a page listens; lists are not built for nobody. */
  hasAudience(): boolean;
  /**
   * True when the host has no window of its own (the web host): the page itself opens the
   * sign-in page and allowed links, in a tab.
   */
  readonly pageOpensLinks: boolean;
  /** Open an allowed link in the system browser (hosts where pageOpensLinks is false). */
  openExternal?(url: string): Promise<void>;
  /** Move a provider's open sign-in window to the system browser (hosts that have such windows). */
  useBrowser?(providerId: string): Promise<boolean>;
  /**
   * Ask the person where to save a file and write it; false when they cancelled. Hosts without a
   * window of their own (the web host) have none: the page downloads the file instead.
   */
  saveFile?(suggestedName: string, text: string): Promise<boolean>;
}

/** What a host service is started with. */
export interface HostContext {
  readonly core: HostCore;
  readonly transport: HostTransport;
  readonly links: LinkPolicy;
}

/**
 * One duty every host performs while it runs (refresh scheduler, change events; later a health
 * scheduler or notifications). Services start in order and stop in reverse order.
 */
export interface HostService {
  readonly name: string;
  start(context: HostContext): void | Promise<void>;
  stop(): void | Promise<void>;
}
