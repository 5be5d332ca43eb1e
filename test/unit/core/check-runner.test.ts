/**
 * The check runner on a fake clock: per-host concurrency, Retry-After windows, backoff with
 * jitter, spreading, cancelling. Virtual time only: no test waits on the wall clock.
 */
import { describe, expect, it } from 'vitest';
import {
  CheckRunner,
  MAX_RETRY_AFTER_MS,
  type Attempt,
  type CheckTarget,
  type Prober,
  type RunnerTimers,
} from '../../../main/core/health/check-runner';
import { PatchbayError } from '../../../main/core/model/errors';

/** Virtual time: sleeps resolve when `run` advances the clock to them, earliest first. */
class FakeTime implements RunnerTimers {
  t = 1_000_000;
  private timers: Array<{ at: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  now = (): number => this.t;
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = { at: this.t + ms, resolve, reject };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal.reason);
      });
    });

  /** Drive `work` to completion: let every task run, then jump to the next timer. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const done = work.finally(() => (settled = true));
    done.catch(() => undefined);
    for (let guard = 0; guard < 100_000; guard += 1) {
      await new Promise((r) => setImmediate(r));
      if (settled) return done;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) continue;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    throw new Error('the run never finished');
  }
}

type Answer = Omit<Attempt<string>, 'result'>;

/** A prober whose attempts take `latency` virtual ms; it records every start and the in-flight peak. */
function prober(time: FakeTime, answers: (target: CheckTarget, n: number) => Answer, latency = 20) {
  const starts: Array<{ id: string; host: string; at: number }> = [];
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const counts = new Map<string, number>();
  const p: Prober<string> = {
    attempt: async (target) => {
      const n = counts.get(target.id) ?? 0;
      counts.set(target.id, n + 1);
      starts.push({ id: target.id, host: target.host, at: time.now() });
      const now = (inFlight.get(target.host) ?? 0) + 1;
      inFlight.set(target.host, now);
      peak.set(target.host, Math.max(peak.get(target.host) ?? 0, now));
      await time.sleep(latency);
      inFlight.set(target.host, (inFlight.get(target.host) ?? 1) - 1);
      const answer = answers(target, n);
      return { ...answer, result: `${target.id}:${answer.retry}:${n}` };
    },
    blocked: (target, retryAt) => `${target.id}:blocked:${retryAt}`,
  };
  return { p, starts, peak, counts };
}

const targets = (host: string, n: number): CheckTarget[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${host}-${i}`, host }));
const ok: Answer = { retry: 'no' };

describe('check runner', () => {
  it('keeps at most 4 requests in flight per host, and hosts do not wait for each other', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time });
    const { p, peak } = prober(time, () => ok);
    const start = time.now();
    const results = await time.run(runner.run([...targets('a', 20), ...targets('b', 20)], p));
    expect(peak.get('a')).toBe(4);
    expect(peak.get('b')).toBe(4);
    // 20 checks of 20 ms, 4 at a time, both hosts side by side: 100 ms, not 200 or 400.
    expect(time.now() - start).toBe(100);
    expect(results[0]).toBe('a-0:no:0');
    expect(results[39]).toBe('b-19:no:0');
  });

  it('takes the concurrency from its options and refuses a nonsensical one', async () => {
    const time = new FakeTime();
    const { p, peak } = prober(time, () => ok);
    await time.run(new CheckRunner({ timers: time, concurrencyPerHost: 7 }).run(targets('a', 30), p));
    expect(peak.get('a')).toBe(7);
    expect(() => new CheckRunner({ concurrencyPerHost: 0 })).toThrow(/concurrencyPerHost/);
  });

  it('sends nothing to a host inside its Retry-After window, then checks again', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time });
    // The first wave of four is answered 429 "retry after 2 s"; later attempts succeed.
    let answered = 0;
    const { p, starts } = prober(time, () => (answered++ < 4 ? { retry: 'rate_limited', retryAfterMs: 2000 } : ok));
    const t0 = time.now();
    const results = await time.run(runner.run(targets('a', 6), p));
    const firstWave = starts.filter((s) => s.at === t0);
    expect(firstWave).toHaveLength(4);
    const windowOpen = t0 + 20;
    const inside = starts.filter((s) => s.at > t0 && s.at < windowOpen + 2000);
    expect(inside).toEqual([]);
    expect(results.every((r) => r.endsWith(':no:1') || r.endsWith(':no:0'))).toBe(true);
    expect(starts.filter((s) => s.at >= windowOpen + 2000)).toHaveLength(6);
  });

  it('reports "rate limited" without asking when the window is longer than it may wait, in later runs too', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time, maxWaitMs: 60_000 });
    const { p, starts } = prober(time, () => ({ retry: 'rate_limited', retryAfterMs: 3_600_000 }));
    const t0 = time.now();
    const results = await time.run(runner.run(targets('a', 6), p));
    expect(starts).toHaveLength(4);
    const retryAt = t0 + 20 + 3_600_000;
    expect(results.slice(4)).toEqual([`a-4:blocked:${retryAt}`, `a-5:blocked:${retryAt}`]);
    // The first four were answered 429: that answer is their result.
    expect(results.slice(0, 4)).toEqual(targets('a', 4).map((t) => `${t.id}:rate_limited:0`));
    const again = await time.run(runner.run(targets('a', 2), p));
    expect(starts).toHaveLength(4);
    expect(again).toEqual([`a-0:blocked:${retryAt}`, `a-1:blocked:${retryAt}`]);
  });

  it('never lets a Retry-After close a host for more than a day', () => {
    const runner = new CheckRunner();
    runner.gates.get('a').block(Number.MAX_SAFE_INTEGER, 1000);
    expect(runner.gates.get('a').blockedUntil).toBe(1000 + MAX_RETRY_AFTER_MS);
  });

  it('closes the host for a backoff when a 429 has no Retry-After', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time, random: () => 0, backoffBaseMs: 1000 });
    const { p, starts } = prober(time, (_t, n) => (n === 0 ? { retry: 'rate_limited' } : ok));
    const t0 = time.now();
    await time.run(runner.run(targets('a', 1), p));
    expect(starts.map((s) => s.at - t0)).toEqual([0, 20 + 500]);
  });

  it('backs off exponentially with jitter after transient failures, then gives up with the last result', async () => {
    for (const [random, gaps] of [
      [0, [250, 500, 1000]],
      [1, [500, 1000, 2000]],
    ] as const) {
      const time = new FakeTime();
      const runner = new CheckRunner({ timers: time, random: () => random });
      const { p, starts } = prober(time, () => ({ retry: 'transient' }), 0);
      const [result] = await time.run(runner.run(targets('a', 1), p));
      const at = starts.map((s) => s.at);
      expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual(gaps);
      expect(result).toBe('a-0:transient:3');
    }
  });

  it('stops retrying as soon as an attempt works', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time });
    const { p, counts } = prober(time, (_t, n) => (n < 2 ? { retry: 'transient' } : ok));
    const [result] = await time.run(runner.run(targets('a', 1), p));
    expect(result).toBe('a-0:no:2');
    expect(counts.get('a-0')).toBe(3);
  });

  it('caps the backoff', () => {
    const runner = new CheckRunner({ random: () => 1, backoffBaseMs: 500, backoffMaxMs: 4000 });
    expect([0, 1, 2, 3, 4, 10].map((n) => runner.backoffMs(n))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('spreads the starts evenly over the window it is given', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time, concurrencyPerHost: 100 });
    const { p, starts } = prober(time, () => ok);
    const t0 = time.now();
    const list = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, host: `h${i % 3}` }));
    await time.run(runner.run(list, p, { spreadMs: 1000 }));
    expect(starts.map((s) => s.at - t0)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('hands each result to onResult as soon as it is known', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time });
    const { p } = prober(time, () => ok);
    const seen: Array<[string, number]> = [];
    await time.run(runner.run(targets('a', 5), p, { onResult: (t) => seen.push([t.id, time.now()]) }));
    expect(seen.map(([, at]) => at - seen[0]![1])).toEqual([0, 0, 0, 0, 20]);
  });

  it('stops waiting when cancelled', async () => {
    const time = new FakeTime();
    const runner = new CheckRunner({ timers: time });
    const { p, starts } = prober(time, () => ok);
    const controller = new AbortController();
    const run = runner.run(targets('a', 10), p, { spreadMs: 10_000, signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(time.run(run)).rejects.toSatisfy((e) => e instanceof PatchbayError && e.code === 'cancelled');
    expect(starts).toHaveLength(1);
  });

  it('when cancelled, gives up at once on attempts still in flight and starts none of the queued ones', async () => {
    const runner = new CheckRunner();
    let started = 0;
    const hung: Prober<string> = {
      // A provider that never answers: only the cancel can end this run.
      attempt: () => {
        started += 1;
        return new Promise<never>(() => undefined);
      },
      blocked: () => 'blocked',
    };
    const controller = new AbortController();
    const run = runner.run(targets('a', 10), hung, { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(4);
    controller.abort();
    await expect(run).rejects.toSatisfy((e) => e instanceof PatchbayError && e.code === 'cancelled');
    expect(started).toBe(4);
  });
});
