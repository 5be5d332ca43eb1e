/**
 * startHost: everything a host does, written once — the bridge handlers, flow events shaped for
 * the host, the link policy, and the host services (refresh scheduler, batched change events).
 *
 * A host adapter builds a HostTransport (IPC and windows, or loopback HTTP and SSE), calls
 * startHost, exposes `handlers` over its transport and calls `stop` on the way out.
 */
import type { FlowEvent, LinkDecision } from '../../preload/contract';
import { createBridgeHandlers, type BridgeHandlers } from '../core/facade/bridge';
import { changeEventsService, refreshService, type RefreshServiceOptions } from './services';
import { createLinkPolicy, type LinkPolicy } from './link-policy';
import type { HostContext, HostCore, HostService, HostTransport } from './types';

export interface HostOptions {
  core: HostCore;
  transport: HostTransport;
  version: string;
  /** Whether this host has the desktop sign-in window (AppInfo.embeddedAuth). */
  embeddedAuth: boolean;
  settingsNotice?: () => string | null;
  refresh?: RefreshServiceOptions;
  /** More services (a health scheduler, notifications), started after the built-in ones. */
  services?: HostService[];
}

/** A running host. */
export interface Host {
  readonly handlers: BridgeHandlers;
  readonly links: LinkPolicy;
  /** The link decision for `url`, acted on (desktop: opened in the system browser). */
  openLink(url: string): Promise<LinkDecision>;
  /** Stop every service in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Mark a waiting_for_user event so the page opens the sign-in page in a tab, on hosts with no
 * window of their own.
 */
export function shapeFlowEvent(event: FlowEvent, transport: Pick<HostTransport, 'pageOpensLinks'>): FlowEvent {
  if (!transport.pageOpensLinks || event.stage !== 'waiting_for_user' || !event.authorizeUrl) return event;
  return { ...event, openInRenderer: true };
}

const FLOW_ENDS = new Set(['connected', 'failed', 'cancelled']);

/** A device-code sign-in may open its verification page while it runs, and only then. */
export function followFlowLinks(links: LinkPolicy, event: FlowEvent): void {
  if (event.device) {
    const { verificationUri, verificationUriComplete } = event.device;
    links.allowForFlow(
      event.providerId,
      verificationUriComplete ? [verificationUri, verificationUriComplete] : [verificationUri],
    );
  } else if (FLOW_ENDS.has(event.stage)) {
    links.endFlow(event.providerId);
  }
}

/** Start the host layer over `transport`. */
export function startHost(options: HostOptions): Host {
  const { core, transport } = options;
  const links = createLinkPolicy();
  const changes = changeEventsService();
  const services: HostService[] = [refreshService(options.refresh), changes, ...(options.services ?? [])];
  const context: HostContext = { core, transport, links };
  const started: HostService[] = [];
  for (const service of services) {
    // A failing optional service must not keep the host (and its sign-ins) from running.
    try {
      void Promise.resolve(service.start(context)).catch(warn(service));
      started.push(service);
    } catch (error) {
      warn(service)(error);
    }
  }

  async function openLink(url: string): Promise<LinkDecision> {
    await changes.firstProviders;
    if (!links.allows(url)) return { allowed: false, openInRenderer: false };
    if (transport.pageOpensLinks || !transport.openExternal)
      return { allowed: true, openInRenderer: transport.pageOpensLinks };
    await transport.openExternal(url).catch(() => undefined);
    return { allowed: true, openInRenderer: false };
  }

  const handlers = createBridgeHandlers(core, {
    host: transport.host,
    version: options.version,
    embeddedAuth: options.embeddedAuth,
    settingsNotice: options.settingsNotice,
    onFlowEvent: (event) => {
      followFlowLinks(links, event);
      transport.send('flow:progress', shapeFlowEvent(event, transport));
    },
    openLink,
    ...(transport.useBrowser ? { useBrowser: transport.useBrowser.bind(transport) } : {}),
    ...(transport.saveFile ? { saveFile: transport.saveFile.bind(transport) } : {}),
  });

  let stopping: Promise<void> | null = null;
  return {
    handlers,
    links,
    openLink,
    stop: () =>
      (stopping ??= (async () => {
        for (const service of started.reverse()) await Promise.resolve(service.stop()).catch(warn(service));
      })()),
  };
}

function warn(service: HostService): (error: unknown) => void {
  return (error) =>
    console.warn(`Patchbay's ${service.name} failed:`, error instanceof Error ? error.message : 'unknown error');
}
