/**
 * Group commit for connection records: many small changes, few settings writes.
 *
 * Each settings write takes the cross-process lock and rewrites the whole file. A check of a
 * thousand connections finishing a few per millisecond would otherwise queue a thousand full
 * rewrites behind that lock. Changes that arrive while a write runs are applied together by the
 * next one, so the number of writes follows how long a write takes, not how many checks ran.
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
  /** Settings writes made so far (for tests and the bench). */
  writes = 0;

  constructor(private readonly ctx: CoreContext) {}

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
