/**
 * Keep tokens fresh while a host runs: the refresh scheduler, started with the host and stopped
 * with it. Without it a desktop app left open lets its access tokens run out silently.
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
