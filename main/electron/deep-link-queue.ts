/**
 * Holds OAuth callback links until a sign-in attempt is ready to take them.
 *
 * The OS can hand Patchbay a `patchbay://oauth/callback` link at awkward moments: during launch
 * before the window exists (macOS `open-url` fires before `ready`), or while a second instance is
 * still starting. The queue keeps such links briefly and gives each to exactly one waiting
 * attempt, oldest first; links nobody claims expire, so a stale callback cannot complete a later
 * attempt (the core's state check would refuse it anyway). Free of Electron: unit-tested.
 */
import { PatchbayError } from '../core/model/errors';
import type { Clock } from '../core/model/types';

interface Pending {
  url: URL;
  receivedAt: number;
}

interface Waiter {
  resolve: (url: URL) => void;
}

export interface DeepLinkQueueOptions {
  clock?: Clock;
  /** How long an unclaimed link is kept, in ms (default 5 minutes). */
  ttlMs?: number;
  /** At most this many unclaimed links are kept; older ones are dropped (default 8). */
  maxPending?: number;
}

/** A small FIFO of callback links with at most one consumer per link. */
export class DeepLinkQueue {
  private readonly pending: Pending[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxPending: number;

  constructor(options: DeepLinkQueueOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxPending = options.maxPending ?? 8;
  }

  /** Deliver a parsed callback link to the oldest waiter, or keep it for the next one. */
  push(url: URL): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve(url);
      return;
    }
    this.pending.push({ url, receivedAt: this.clock.now() });
    while (this.pending.length > this.maxPending) this.pending.shift();
  }

  /** The queue's clock, for callers that pass `since` to next(). */
  now(): number {
    return this.clock.now();
  }

  /** Number of links waiting for an attempt (after dropping expired ones). */
  size(): number {
    this.dropExpired();
    return this.pending.length;
  }

  /**
   * Wait for the next callback link. Rejects with PatchbayError `cancelled` when `signal`
   * aborts; the link that would have gone to this waiter then goes to the next one.
   *
   * `since` (epoch ms): queued links received earlier are not for this attempt — the person had
   * not seen its sign-in page yet — and are discarded instead of failing its state check.
   */
  next(signal: AbortSignal, since = Number.NEGATIVE_INFINITY): Promise<URL> {
    if (signal.aborted) return Promise.reject(cancelled());
    this.dropExpired();
    while (this.pending.length > 0 && (this.pending[0]?.receivedAt ?? since) < since) this.pending.shift();
    const queued = this.pending.shift();
    if (queued) return Promise.resolve(queued.url);
    return new Promise<URL>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (url) => {
          signal.removeEventListener('abort', onAbort);
          resolve(url);
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private dropExpired(): void {
    const now = this.clock.now();
    while (this.pending.length > 0 && now - (this.pending[0]?.receivedAt ?? now) > this.ttlMs) this.pending.shift();
  }
}

function cancelled(): PatchbayError {
  return new PatchbayError('cancelled', 'The sign-in was cancelled. Press Connect to try again.');
}
