/**
 * The host services every host runs: the refresh scheduler and the batched change events.
 *
 * Refresh: keep tokens fresh while a host runs, started with the host and stopped with it —
 * without it a desktop app left open lets its access tokens run out silently.
 *
 * Change events: the core says *what* changed (connections or providers); a burst of changes in
 * one tick (an import of many providers, a refresh sweep over many connections) costs one list of
 * each kind, not one per change. The link policy is kept in step with the provider list even when
 * no page listens, so a link decision never uses a stale list.
 */
import type { RefreshScheduler } from '../core/flows/refresh';
import type { HostService } from './types';

export interface RefreshServiceOptions {
  /** Refresh connections expiring within this many ms (default: the core's, 5 minutes). */
  marginMs?: number;
  /** How often to look (default: the core's). */
  intervalMs?: number;
}

/** The refresh scheduler as a host service. */
export function refreshService(options: RefreshServiceOptions = {}): HostService {
  let scheduler: RefreshScheduler | null = null;
  return {
    name: 'refresh-scheduler',
    start({ core }) {
      scheduler ??= core.startRefreshScheduler(options.marginMs, options.intervalMs);
    },
    async stop() {
      const running = scheduler;
      scheduler = null;
      await running?.stop();
    },
  };
}

type What = 'connections' | 'providers';

const report = (what: string) => (error: unknown) =>
  console.warn(`Patchbay could not refresh ${what}:`, error instanceof Error ? error.message : 'unknown error');

/** The change-event service; `firstProviders` resolves once the link policy has its first list. */
export function changeEventsService(): HostService & { readonly firstProviders: Promise<void> } {
  let unsubscribe: (() => void) | null = null;
  let ready!: () => void;
  const firstProviders = new Promise<void>((resolve) => (ready = resolve));
  return {
    name: 'change-events',
    firstProviders,
    start({ core, transport, links }) {
      const pending = new Set<What>();
      const flush = async (): Promise<void> => {
        const what = new Set(pending);
        pending.clear();
        if (what.has('providers')) {
          const providers = await core.listProviders().catch(report('the provider list'));
          if (providers) {
            links.update(providers);
            if (transport.hasAudience()) transport.send('providers:changed', providers);
          }
        }
        if (what.has('connections') && transport.hasAudience()) {
          const connections = await core.listConnections().catch(report('connections'));
          if (connections) transport.send('connections:changed', connections);
        }
      };
      unsubscribe = core.onChange((what) => {
        if (pending.size === 0) setImmediate(() => void flush());
        pending.add(what);
      });
      core
        .listProviders()
        .then((providers) => links.update(providers), report('the provider list'))
        .finally(ready);
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
