/**
 * The health service on a fake clock: hours of schedule in milliseconds, every rule checked
 * against the times checks actually started.
 *
 * The core is scripted (test/helpers/host-core.ts): a "check" records when it ran and writes the
 * verification time and status the way the real core does, then fires the change event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionView, EventName, HealthAlert, PatchbayEvents } from '../../../preload/contract';
import { healthService, type HealthService } from '../../../main/host/health-service';
import { DEFAULT_HEALTH_INTERVAL_MS, MAX_SPREAD_MS } from '../../../main/host/health-settings';
import { createLinkPolicy } from '../../../main/host/link-policy';
import type { HostTransport } from '../../../main/host/types';
import { fakeClock, type FakeClock } from '../../helpers/fake-clock';
import { connectionView, scriptedCore, type ScriptedCore } from '../../helpers/host-core';

const T0 = Date.parse('2026-06-01T08:00:00.000Z');
const H = 3_600_000;
const SIX_H = DEFAULT_HEALTH_INTERVAL_MS;

interface Rig {
  clock: FakeClock;
  core: ScriptedCore;
  service: HealthService;
  /** Times (ms after T0) each connection's check started. */
  starts: Array<{ id: string; at: number }>;
  alerts: HealthAlert[];
  sent: Array<{ event: EventName; payload: unknown }>;
  /** What the next check of a connection finds (default: it works). */
  outcome: Map<string, ConnectionView['status']>;
}

/** A connection last verified `agoMs` before the clock's now. */
function verified(id: string, at: number, status: ConnectionView['status'] = 'connected'): ConnectionView {
  const c = connectionView(id);
  return { ...c, status, createdAt: new Date(at - H).toISOString(), lastTestedAt: new Date(at).toISOString() };
}

let running: HealthService[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

function rig(
  connections: ConnectionView[],
  options: { random?: () => number; notify?: boolean; settings?: { intervalMs: number; problem: string | null } } = {},
): Rig {
  const clock = fakeClock(T0);
  const core = scriptedCore([], connections);
  const starts: Rig['starts'] = [];
  const alerts: HealthAlert[] = [];
  const sent: Rig['sent'] = [];
  const outcome = new Map<string, ConnectionView['status']>();
  if (options.settings) core.healthSettings = () => options.settings!;
  const service = healthService({
    clock,
    timers: clock.timers,
    random: options.random ?? (() => 0.5),
    check: async (_core, ids) => {
      for (const id of ids) starts.push({ id, at: clock.now() - T0 });
      await Promise.resolve();
      const at = new Date(clock.now()).toISOString();
      core.connections = core.connections.map((c) =>
        ids.includes(c.id) ? { ...c, lastTestedAt: at, status: outcome.get(c.id) ?? 'connected' } : c,
      );
      core.change('connections');
    },
  });
  const transport: HostTransport = {
    host: 'web',
    send: <E extends EventName>(event: E, payload: PatchbayEvents[E]) => void sent.push({ event, payload }),
    hasAudience: () => true,
    pageOpensLinks: true,
    ...(options.notify ? { notify: (alert: HealthAlert) => void alerts.push(alert) } : {}),
  };
  void service.start({ core, transport, links: createLinkPolicy() });
  running.push(service);
  return { clock, core, service, starts, alerts, sent, outcome };
}

describe('the health schedule', () => {
  it('checks a connection one interval after its last verification, not before', async () => {
    const r = rig([verified('a', T0)]);
    await r.clock.advance(SIX_H - 1_000);
    expect(r.starts).toEqual([]);
    await r.clock.advance(1_000);
    expect(r.starts).toEqual([{ id: 'a', at: SIX_H }]);
    // And again one interval after that check.
    await r.clock.advance(SIX_H);
    expect(r.starts.map((s) => s.at)).toEqual([SIX_H, 2 * SIX_H]);
  });

  it('moves each check by at most ±10% of the interval (jitter), and by that much at the extremes', async () => {
    for (const [random, expectedRaw] of [
      [0, 0.9 * SIX_H],
      [1, 1.1 * SIX_H],
      [0.25, 0.95 * SIX_H],
    ] as const) {
      const expected = Math.round(expectedRaw);
      const r = rig([verified('a', T0)], { random: () => random });
      await r.clock.advance(expected - 1_000);
      expect(r.starts, `random ${random}`).toEqual([]);
      await r.clock.advance(1_000);
      expect(r.starts, `random ${random}`).toEqual([{ id: 'a', at: expected }]);
      await r.service.stop();
    }
  });

  it('connections verified together drift apart with random jitter', async () => {
    const values = [0.1, 0.9, 0.5, 0.3];
    let i = 0;
    const r = rig(
      ['a', 'b', 'c', 'd'].map((id) => verified(id, T0)),
      { random: () => values[i++ % values.length]! },
    );
    await r.clock.advance(1.2 * SIX_H);
    const times = r.starts.map((s) => s.at);
    expect(new Set(times).size).toBe(4);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(0.9 * SIX_H);
      expect(t).toBeLessThanOrEqual(1.1 * SIX_H);
    }
  });

  it('after a restart, resumes from the stored verification time instead of checking at once', async () => {
    // Verified 5 hours before this start: the next check is 1 hour in, not now and not 6 hours in.
    const r = rig([verified('a', T0 - 5 * H)]);
    await r.clock.advance(H - 1_000);
    expect(r.starts).toEqual([]);
    await r.clock.advance(1_000);
    expect(r.starts).toEqual([{ id: 'a', at: H }]);
  });

  it('a never-verified connection counts from when it was made', async () => {
    const fresh = { ...connectionView('n'), createdAt: new Date(T0).toISOString(), lastTestedAt: null };
    const r = rig([fresh]);
    await r.clock.advance(SIX_H - 1_000);
    expect(r.starts).toEqual([]);
    await r.clock.advance(1_000);
    expect(r.starts).toHaveLength(1);
  });

  it('overdue checks after a restart wait for the start delay and are spread, never a burst', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);
    const r = rig(ids.map((id) => verified(id, T0 - 2 * 24 * H)));
    await r.clock.advance(59_000);
    expect(r.starts).toEqual([]);
    await r.clock.advance(MAX_SPREAD_MS + 60_000);
    expect(r.starts.map((s) => s.id).sort()).toEqual([...ids].sort());
    assertSpread(r.starts, MAX_SPREAD_MS);
  });

  it('after a laptop wakes, the checks it slept through are spread over the window, not fired at once', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const r = rig(ids.map((id) => verified(id, T0)));
    await r.clock.advance(H);
    expect(r.starts).toEqual([]);
    // Asleep for 20 hours: no timer runs, every check falls due on the way.
    r.clock.sleep(20 * H);
    const woke = r.clock.now() - T0;
    await r.clock.advance(MAX_SPREAD_MS + 60_000);
    expect(r.starts.map((s) => s.id).sort()).toEqual([...ids].sort());
    expect(Math.min(...r.starts.map((s) => s.at))).toBeGreaterThanOrEqual(woke);
    assertSpread(r.starts, MAX_SPREAD_MS);
  });

  it('"Check all now" checks every connection at once and reports the round', async () => {
    const r = rig(['a', 'b', 'c'].map((id) => verified(id, T0)));
    const status = await r.service.checkNow();
    expect(r.starts.map((s) => s.id).sort()).toEqual(['a', 'b', 'c']);
    expect(new Set(r.starts.map((s) => s.at))).toEqual(new Set([0]));
    expect(status).toMatchObject({ intervalMs: SIX_H, checking: false, lastRunAt: new Date(T0).toISOString() });
    // The next scheduled check counts from this one.
    await r.clock.advance(SIX_H - 1_000);
    expect(r.starts).toHaveLength(3);
  });

  it('uses the interval from the settings and reports a bad setting by its field', async () => {
    const problem = 'The setting preferences.healthCheckHours is 0, which Patchbay cannot use.';
    const r = rig([verified('a', T0)], { settings: { intervalMs: 2 * H, problem } });
    await r.clock.advance(2 * H);
    expect(r.starts).toEqual([{ id: 'a', at: 2 * H }]);
    expect(await r.service.status()).toMatchObject({ intervalMs: 2 * H, settingProblem: problem });
  });
});

/** No two checks of a spread round start closer than a tenth of the even spacing, all within the window. */
function assertSpread(starts: Rig['starts'], windowMs: number): void {
  const times = starts.map((s) => s.at).sort((a, b) => a - b);
  const first = times[0]!;
  expect(times.at(-1)! - first).toBeLessThanOrEqual(windowMs);
  const spacing = windowMs / times.length;
  for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(spacing * 0.9);
}

describe('health notifications', () => {
  it('a connection that breaks raises one notification, however many retries and rounds follow', async () => {
    const r = rig([verified('a', T0)], { notify: true });
    r.outcome.set('a', 'needs_reconnect');
    await r.clock.advance(SIX_H);
    // The same failure found again by three more rounds, and retries that fire change events.
    for (let i = 0; i < 3; i += 1) {
      r.core.change('connections');
      await r.clock.advance(SIX_H);
    }
    expect(r.starts).toHaveLength(4);
    expect(r.alerts).toEqual([
      expect.objectContaining({ connectionId: 'a', kind: 'needs_attention', title: 'Account a at sandbox needs you' }),
    ]);
  });

  it('a round whose retries flap between failing and working is judged once, at its end', async () => {
    const r = rig([verified('a', T0)], { notify: true });
    const service = healthService({
      clock: r.clock,
      timers: r.clock.timers,
      random: () => 0.5,
      check: async () => {
        // A retrying check: fails, works, fails again, each written and announced as it happens.
        for (const status of ['error', 'connected', 'error'] as const) {
          r.core.connections = [{ ...r.core.connections[0]!, status }];
          r.core.change('connections');
          await r.clock.settle();
        }
      },
    });
    await r.service.stop();
    const alerts: HealthAlert[] = [];
    void service.start({
      core: r.core,
      transport: {
        host: 'web',
        send: () => undefined,
        hasAudience: () => false,
        pageOpensLinks: true,
        notify: (a) => void alerts.push(a),
      },
      links: createLinkPolicy(),
    });
    running.push(service);
    await service.checkNow();
    expect(alerts.map((a) => a.kind)).toEqual(['needs_attention']);
  });

  it('its recovery raises exactly one more', async () => {
    const r = rig([verified('a', T0)], { notify: true });
    r.outcome.set('a', 'error');
    await r.clock.advance(SIX_H);
    r.outcome.set('a', 'connected');
    await r.clock.advance(SIX_H);
    await r.clock.advance(SIX_H);
    expect(r.alerts.map((a) => [a.kind, a.title])).toEqual([
      ['needs_attention', 'Account a at sandbox needs you'],
      ['recovered', 'Account a at sandbox works again'],
    ]);
  });

  it('what was already broken when the host started is not announced again', async () => {
    const r = rig([verified('a', T0, 'needs_reconnect'), verified('b', T0)], { notify: true });
    r.outcome.set('a', 'needs_reconnect');
    await r.clock.advance(2 * SIX_H);
    expect(r.alerts).toEqual([]);
  });

  it('a change made elsewhere (a test in a terminal) is announced too, once', async () => {
    const r = rig([verified('a', T0)], { notify: true });
    await r.clock.settle();
    r.core.connections = [{ ...r.core.connections[0]!, status: 'needs_reconnect' }];
    r.core.change('connections');
    r.core.change('connections');
    await r.clock.settle();
    expect(r.alerts).toHaveLength(1);
  });

  it('without desktop notifications the host sends the alert to the page', async () => {
    const r = rig([verified('a', T0)]);
    r.outcome.set('a', 'needs_reconnect');
    await r.clock.advance(SIX_H);
    const alerts = r.sent.filter((s) => s.event === 'health:alert').map((s) => s.payload as HealthAlert);
    expect(alerts).toEqual([expect.objectContaining({ connectionId: 'a', kind: 'needs_attention' })]);
    expect(r.sent.some((s) => s.event === 'health:status')).toBe(true);
  });
});

describe('stopping', () => {
  it('leaves no timer behind and checks nothing afterwards', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = rig([verified('a', T0)]);
    await r.clock.settle();
    await r.service.stop();
    await r.clock.advance(3 * SIX_H);
    expect(r.starts).toEqual([]);
    expect(r.clock.pending()).toBe(0);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

describe('connections added while the host runs', () => {
  it('are checked one interval after they were made, even when the timer was asleep for a minute', async () => {
    const interval = 2_000;
    const r = rig([], { settings: { intervalMs: interval, problem: null } });
    await r.clock.advance(5_000);
    const made = r.clock.now();
    r.core.connections = [{ ...verified('n', made), lastTestedAt: null, createdAt: new Date(made).toISOString() }];
    r.core.change('connections');
    await r.clock.advance(interval);
    expect(r.starts).toEqual([{ id: 'n', at: made - T0 + interval }]);
  });
});
