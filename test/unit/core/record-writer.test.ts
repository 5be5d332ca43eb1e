/**
 * Group commit of check results on a fake clock: results arriving together share one settings
 * write, writes are spaced by what the last one cost (never more than a second), and flush()
 * writes what is pending at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreContext } from '../../../main/core/flows/context';
import { RecordWriter } from '../../../main/core/health/record-writer';
import type { ConnectionRecord, SettingsData } from '../../../main/core/model/types';

/** A settings store whose every write takes `costMs` of (fake) time; it records each write's ids. */
function fakeContext(costMs: number): { ctx: CoreContext; writes: string[][] } {
  const records = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, label: '' }) as ConnectionRecord);
  const writes: string[][] = [];
  const settings = {
    update: async (mutate: (data: SettingsData) => unknown) => {
      const before = records.map((r) => r.label);
      await mutate({ connections: records } as SettingsData);
      writes.push(records.filter((r, i) => r.label !== before[i]).map((r) => r.id));
      vi.setSystemTime(Date.now() + costMs);
    },
  };
  return { ctx: { settings, emit: () => undefined } as unknown as CoreContext, writes };
}

const mark = (label: string) => (record: ConnectionRecord) => void (record.label = label);

/** Let every promise callback run (no timers). */
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe('record writer', () => {
  it('writes the first result at once, then the next ones together after the spacing', async () => {
    const { ctx, writes } = fakeContext(100);
    const writer = new RecordWriter(ctx);
    await writer.write('a', mark('1'));
    expect(writes).toEqual([['a']]);
    const later = [writer.write('b', mark('1')), writer.write('c', mark('1'))];
    await settle();
    // A 100 ms write: the next one waits 20 times that, 2 s, capped at 1 s after the last start.
    await vi.advanceTimersByTimeAsync(899);
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([['a'], ['b', 'c']]);
    await Promise.all(later);
    expect(writer.writes).toBe(2);
  });

  it('spaces cheap writes by the least interval, 250 ms', async () => {
    const { ctx, writes } = fakeContext(1);
    const writer = new RecordWriter(ctx);
    await writer.write('a', mark('1'));
    const next = writer.write('b', mark('1'));
    await vi.advanceTimersByTimeAsync(248);
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([['a'], ['b']]);
    await next;
  });

  it('flush writes what is pending without waiting out the spacing', async () => {
    const { ctx, writes } = fakeContext(100);
    const writer = new RecordWriter(ctx);
    await writer.write('a', mark('1'));
    const pending = writer.write('d', mark('1'));
    await settle();
    await writer.flush();
    await pending;
    expect(writes).toEqual([['a'], ['d']]);
  });
});
