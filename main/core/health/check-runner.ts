/**
 * The health-check runner: many checks, each host treated politely.
 *
 * Shared by `patchbay check`, "Check all now" and the background health service. It knows
 * nothing about connections: it is given targets (an id and the host its checks call) and an
 * `attempt` function, and decides only *when* each attempt may run: at most `concurrencyPerHost`
 * at once per host, never inside a host's Retry-After window, again after a transient failure
 * with exponential backoff and jitter, and, with `spreadMs`, started evenly over a window (a
 * laptop waking with every check overdue must not fire them all at once). Time comes in through
 * `timers`, so tests run on a fake clock.
 */
import { PatchbayError } from '../model/errors';
import { HostGates } from './host-gate';

export { HostGates, MAX_RETRY_AFTER_MS } from './host-gate';

/** Time for the runner: the clock and an abortable wait. */
export interface RunnerTimers {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What one attempt ended with, and whether it is worth another. */
export interface Attempt<R> {
  result: R;
  /** `transient`: 5xx, network, timeout; `rate_limited`: a 429 (with its Retry-After, if any). */
  retry: 'no' | 'transient' | 'rate_limited';
  retryAfterMs?: number;
}

export interface CheckTarget {
  id: string;
  /** The host its checks call (e.g. "api.example.com:443"); the unit of the rate rules. */
  host: string;
}

export interface RunnerOptions {
  /** Requests in flight per host (default 4). */
  concurrencyPerHost?: number;
  /** Retries after a transient failure or a 429 (default 3, so at most 4 attempts). */
  retries?: number;
  /** First backoff in ms (default 500); doubles per retry up to `backoffMaxMs` (default 30 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * The longest this run waits for a host's Retry-After window (default 60 s). A longer window is
   * not waited for: the check ends as "rate limited" with the time it may be retried.
   */
  maxWaitMs?: number;
  timers?: RunnerTimers;
  /** 0..1, for the jitter (default Math.random). */
  random?: () => number;
}

export interface RunOptions<R> {
  /** Start the checks evenly over this many ms instead of all at once (default 0). */
  spreadMs?: number;
  /** Stops waiting and starting checks; the run rejects with `cancelled`. */
  signal?: AbortSignal;
  /** Called with each result as it is known (the health service records and notifies). */
  onResult?: (target: CheckTarget, result: R) => void;
}

/** How a run asks about one target. */
export interface Prober<R> {
  attempt(target: CheckTarget): Promise<Attempt<R>>;
  /** The result for a target not asked because its host is closed until `retryAt` (epoch ms). */
  blocked(target: CheckTarget, retryAt: number): R;
}

/** Real time: Date.now and timers/promises' abortable setTimeout. */
export const realTimers: RunnerTimers = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    const { setTimeout: wait } = await import('node:timers/promises');
    await wait(ms, undefined, signal ? { signal } : {});
  },
};

/** Runs checks under the per-host rules; keep one per process so hosts' windows carry across runs. */
export class CheckRunner {
  readonly gates: HostGates;
  /** Requests in flight per host at most. */
  readonly concurrencyPerHost: number;
  private readonly timers: RunnerTimers;
  private readonly random: () => number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxWaitMs: number;

  constructor(options: RunnerOptions = {}) {
    const limit = options.concurrencyPerHost ?? 4;
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new PatchbayError('invalid_input', 'concurrencyPerHost must be a whole number of at least 1.', {
        field: 'concurrencyPerHost',
      });
    this.gates = new HostGates(limit);
    this.concurrencyPerHost = limit;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.retries = Math.max(0, options.retries ?? 3);
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  /** The wait before retry `n` (0-based): exponential, capped, the upper half jittered ("equal jitter"). */
  backoffMs(n: number): number {
    const full = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** n);
    return Math.round(full / 2 + this.random() * (full / 2));
  }

  /**
   * Check every target; results come back in the targets' order.
   *
   * Cancelling rejects at once with `cancelled`: checks queued for a slot are not started, and
   * attempts already in flight are not waited for (their results still reach `onResult`).
   */
  async run<R>(targets: readonly CheckTarget[], prober: Prober<R>, options: RunOptions<R> = {}): Promise<R[]> {
    const spread = Math.max(0, options.spreadMs ?? 0);
    const signal = options.signal;
    const all = Promise.all(
      targets.map(async (target, index) => {
        const offset = targets.length > 1 ? Math.floor((spread * index) / targets.length) : 0;
        if (offset > 0) await this.wait(offset, signal);
        const result = await this.one(target, prober, signal);
        options.onResult?.(target, result);
        return result;
      }),
    );
    if (!signal) return all;
    return new Promise<R[]>((resolve, reject) => {
      const onAbort = (): void => reject(cancelled());
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      all.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async one<R>(target: CheckTarget, prober: Prober<R>, signal: AbortSignal | undefined): Promise<R> {
    const gate = this.gates.get(target.host);
    let last: Attempt<R> | null = null;
    for (let retry = 0; ;) {
      const closedFor = gate.blockedUntil - this.timers.now();
      if (closedFor > 0) {
        // Too long to wait: what the last attempt found (a 429, say) is the truest answer.
        if (closedFor > this.maxWaitMs) return last ? last.result : prober.blocked(target, gate.blockedUntil);
        await this.wait(closedFor, signal);
        continue;
      }
      const release = await gate.acquire();
      // The window may have opened while this check queued for a slot: look again before sending.
      if (gate.blockedUntil > this.timers.now()) {
        release();
        continue;
      }
      let attempt: Attempt<R>;
      try {
        cancelledIf(signal);
        attempt = await prober.attempt(target);
      } finally {
        release();
      }
      last = attempt;
      if (attempt.retry === 'no') return attempt.result;
      const delay = this.backoffMs(retry);
      if (attempt.retry === 'rate_limited') {
        // Without a Retry-After the host still said "too many": close it for a backoff's length.
        const now = this.timers.now();
        gate.block(now + (attempt.retryAfterMs ?? delay), now);
      }
      if (retry >= this.retries) return attempt.result;
      retry += 1;
      if (attempt.retry === 'transient') await this.wait(delay, signal);
    }
  }

  private async wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    cancelledIf(signal);
    try {
      await this.timers.sleep(ms, signal);
    } catch (error) {
      cancelledIf(signal);
      throw error;
    }
  }
}

function cancelled(): PatchbayError {
  return new PatchbayError('cancelled', 'The checks were stopped before they finished.');
}

function cancelledIf(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}
