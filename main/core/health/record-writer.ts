/**
 * Group commit for connection records: many small changes, few settings writes.
 *
 * Each settings write takes the cross-process lock and rewrites the whole file. A check of a
 * thousand connections finishing a few per millisecond would otherwise queue a thousand full
 * rewrites behind that lock. Changes that arrive while a write runs are applied together by the
 * next one, and writes are spaced (`minIntervalMs`), so a run of a thousand checks makes a few
 * dozen writes, not a thousand.
 */
import type { CoreContext } from '../flows/context';
import type { ConnectionRecord } from '../model/types';

interface Pending {
  id: string;
  change: (record: ConnectionRecord) => void;
  done: (error?: unknown) => void;
}

export class RecordWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  /** Settings writes made so far (for tests and the bench). */
  writes = 0;

  /**
   * `minIntervalMs`: the least time between the starts of two writes. A settings write blocks
   * the process while it serialises, checks and syncs the whole file; spacing them lets the
   * checks in between finish and join the next write instead of each forcing one.
   */
  constructor(
    private readonly ctx: CoreContext,
    private readonly minIntervalMs = 250,
  ) {}

  /** Apply `change` to record `id` (a record deleted meanwhile is left alone); resolves once written. */
  write(id: string, change: (record: ConnectionRecord) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ id, change, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const wait = this.lastWriteAt + this.minIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
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
