/**
 * A clock and timers a test moves by hand, for services that take both injected.
 *
 * `advance(ms)` fires every timer that falls due on the way, in time order, and lets the
 * promises each one starts settle before going on; `sleep(ms)` moves the clock without firing
 * anything, as a laptop's suspended timers do, and the next `advance` fires the late ones.
 */
export interface FakeClock {
  now(): number;
  timers: { setTimeout(run: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  advance(ms: number): Promise<void>;
  sleep(ms: number): void;
  /** Let pending promise chains (and Node's immediates) run. */
  settle(): Promise<void>;
  pending(): number;
}

/** A fake clock starting at `start` (epoch ms). */
export function fakeClock(start: number): FakeClock {
  let now = start;
  let nextId = 1;
  const queue = new Map<number, { at: number; run: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    timers: {
      setTimeout(run, ms) {
        const id = nextId++;
        queue.set(id, { at: now + Math.max(0, ms), run });
        return id;
      },
      clearTimeout(handle) {
        queue.delete(handle as number);
      },
    },
    async advance(ms) {
      const end = now + ms;
      await settle();
      for (;;) {
        const next = [...queue].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!next) break;
        queue.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].run();
        await settle();
      }
      now = end;
      await settle();
    },
    sleep(ms) {
      now += ms;
    },
    settle,
    pending: () => queue.size,
  };
}
