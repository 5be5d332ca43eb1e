/**
 * Group commit for connection records: many small changes, few settings writes.
 *
 * Each settings write takes the cross-process lock and rewrites the whole file, blocking the
 * process while it parses, checks, serialises and syncs it. A check of a thousand connections
 * finishing a few per millisecond would otherwise queue a thousand full rewrites behind that
 * lock, and every one of them delays the answers still in flight. Changes that arrive while a
 * write runs are applied together by the next one, and writes are spaced: at least
 * `minIntervalMs` apart, and far enough apart that writing takes at most about a twentieth of
 * the time (a big file is written less often), but never more than `maxIntervalMs` apart. So a
 * result is on disk within about a second of being known even if the process is then killed
 * outright, and `flush()` writes what is pending at once (a cancelled run calls it before it
 * ends, so a monitor's timeout that stops the run politely loses nothing it had finished).
 */
import type { CoreContext } from '../flows/context';
import type { ConnectionRecord } from '../model/types';

interface Pending {
  id: string;
  change: (record: ConnectionRecord) => void;
  done: (error?: unknown) => void;
}

/** Spacing between writes, in multiples of the last write's duration (write ≤ ~5% of the time). */
const SPACING_PER_WRITE_MS = 20;

export class RecordWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastWriteMs = 0;
  private urgent = false;
  private wake: (() => void) | null = null;
  /** Settings writes made so far (for tests and the bench). */
  writes = 0;

  /**
   * `minIntervalMs`: the least time between the starts of two writes; `maxIntervalMs`: the most
   * a known result waits for its write, however slow writes are.
   */
  constructor(
    private readonly ctx: CoreContext,
    private readonly minIntervalMs = 250,
    private readonly maxIntervalMs = 1000,
  ) {}

  /** Apply `change` to record `id` (a record deleted meanwhile is left alone); resolves once written. */
  write(id: string, change: (record: ConnectionRecord) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ id, change, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.running ??= this.drain();
    });
  }

  /** Write everything queued now, without waiting out the spacing; resolves when it is on disk. */
  async flush(): Promise<void> {
    this.urgent = true;
    this.wake?.();
    await this.running;
  }

  private spacingMs(): number {
    return Math.min(this.maxIntervalMs, Math.max(this.minIntervalMs, this.lastWriteMs * SPACING_PER_WRITE_MS));
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const wait = this.lastWriteAt + this.spacingMs() - Date.now();
        if (wait > 0 && !this.urgent) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
        this.lastWriteAt = Date.now();
        const batch = this.queue;
        this.queue = [];
        try {
          await this.ctx.settings.update((data) => {
            const byId = new Map(data.connections.map((c) => [c.id, c]));
            for (const item of batch) {
              const record = byId.get(item.id);
              if (record) item.change(record);
            }
          });
          this.lastWriteMs = Date.now() - this.lastWriteAt;
          this.writes += 1;
          this.ctx.emit('connections');
          for (const item of batch) item.done();
        } catch (error) {
          for (const item of batch) item.done(error ?? new Error('settings write failed'));
        }
      }
    } finally {
      this.running = null;
    }
  }
}
