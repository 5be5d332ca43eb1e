/**
 * The health service: while a host runs, every connection is checked on a schedule, changes are
 * announced once, and "Check all now" runs a round on request.
 *
 * One timer at a time, never longer than a minute, so a laptop that slept is noticed soon after it
 * wakes: the checks it missed are spread over a few minutes instead of all firing at once (a
 * storm of requests against the same providers the moment the network comes back). The schedule
 * is read from the stored verification times on every look, so it survives restarts. Clock,
 * timers and randomness are injected: tests run hours of schedule in milliseconds.
 */
import type { ConnectionView, HealthAlert, HealthStatus } from '../../preload/contract';
import { lastCheckedAt } from '../../preload/attention';
import { HealthAlerts } from './health-alerts';
import { HealthPlan } from './health-plan';
import { DEFAULT_HEALTH_INTERVAL_MS, MAX_TICK_MS, lateAfterMs, startDelayMs } from './health-settings';
import type { HostContext, HostCore, HostService } from './types';

/** Timers as the service uses them (Node's by default; fake ones in tests). */
export interface HealthTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Runs the checks of `ids`; resolves when every one has finished (its result is in settings). */
export type HealthChecker = (core: HostCore, ids: string[]) => Promise<void>;

export interface HealthServiceOptions {
  /** Overrides the settings' interval (PATCHBAY_HEALTH_INTERVAL_MS). */
  intervalMs?: number;
  clock?: { now(): number };
  timers?: HealthTimers;
  random?: () => number;
  check?: HealthChecker;
}

/** The health service plus what its bridge channels call. */
export interface HealthService extends HostService {
  status(): Promise<HealthStatus>;
  checkNow(): Promise<HealthStatus>;
}

const nodeTimers: HealthTimers = {
  setTimeout: (run, ms) => {
    const handle = setTimeout(run, ms);
    // A scheduled check must never keep a process (a test, a closing host) alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Check through the core's runner (per-host concurrency, Retry-After, backoff; the same as
 * `patchbay check`). The runner refuses a whole call naming an unknown id, so connections removed
 * since the plan was made are left out first.
 */
export const checkThroughCore: HealthChecker = async (core, ids) => {
  const present = new Set((await core.listConnections()).map((c) => c.id));
  const chosen = ids.filter((id) => present.has(id));
  if (chosen.length > 0) await core.checkConnections(chosen);
};

/**
 * Where a connection's interval counts from: its last check (stored, so a restart resumes from
 * it), else its creation — a new connection was just tested by its sign-in.
 */
function basisOf(c: ConnectionView): number {
  const at = Date.parse(lastCheckedAt(c) ?? c.createdAt);
  return Number.isNaN(at) ? 0 : at;
}

/** Build the service; `start` begins the schedule. */
export function healthService(options: HealthServiceOptions = {}): HealthService {
  const clock = options.clock ?? { now: () => Date.now() };
  const timers = options.timers ?? nodeTimers;
  const check = options.check ?? checkThroughCore;
  const plan = new HealthPlan(options.random ?? Math.random);
  const alerts = new HealthAlerts();
  const busy = new Set<string>();
  let context: HostContext | null = null;
  let timer: unknown = null;
  let expectedAt = 0;
  let startedAt = 0;
  let running: Promise<void> | null = null;
  let lastRunAt: number | null = null;
  let unsubscribe: (() => void) | null = null;
  let looking: Promise<void> = Promise.resolve();

  /** The settings' interval; anything but a positive number of ms (a stand-in core) means the default. */
  const settings = (): { intervalMs: number; problem: string | null } => {
    const read = context?.core.healthSettings?.();
    const ms = read?.intervalMs;
    return typeof ms === 'number' && Number.isFinite(ms) && ms > 0
      ? { intervalMs: ms, problem: typeof read?.problem === 'string' ? read.problem : null }
      : { intervalMs: DEFAULT_HEALTH_INTERVAL_MS, problem: null };
  };
  const intervalMs = () => options.intervalMs ?? settings().intervalMs;
  const iso = (ms: number) => new Date(ms).toISOString();

  function announce(list: HealthAlert[]): void {
    if (!context) return;
    for (const alert of list) {
      // A host with OS notifications of its own shows them; otherwise the page does (web host).
      if (context.transport.notify) context.transport.notify(alert);
      else context.transport.send('health:alert', alert);
    }
  }

  /** Read the connections, update the plan, and announce what changed (serialised). */
  function look(skip: ReadonlySet<string> = busy): Promise<ConnectionView[] | null> {
    const result = looking.then(async () => {
      if (!context) return null;
      const list = await context.core.listConnections();
      plan.reconcile(
        list.map((c) => ({ id: c.id, basis: basisOf(c) })),
        intervalMs(),
      );
      announce(alerts.observe(list, iso(clock.now()), skip));
      return list;
    });
    looking = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  function currentStatus(): HealthStatus {
    const next = plan.nextDueAt(busy);
    const problem = options.intervalMs === undefined ? settings().problem : null;
    return {
      intervalMs: intervalMs(),
      settingProblem: problem,
      checking: running !== null,
      lastRunAt: lastRunAt === null ? null : iso(lastRunAt),
      nextCheckAt: next === null ? null : iso(Math.max(next, clock.now())),
    };
  }

  function pushStatus(): void {
    if (context?.transport.hasAudience()) context.transport.send('health:status', currentStatus());
  }

  function runRound(ids: string[]): Promise<void> {
    for (const id of ids) busy.add(id);
    const round = (async () => {
      try {
        await check(context!.core, ids);
      } catch (error) {
        console.warn('Patchbay could not finish a health check:', error instanceof Error ? error.message : error);
      }
      const at = clock.now();
      for (const id of ids) plan.attempted(id, at);
      lastRunAt = at;
      for (const id of ids) busy.delete(id);
      // The round's outcome, retries included, is judged once it is over.
      await look(new Set()).catch(() => null);
    })();
    running = round.finally(() => {
      running = null;
      pushStatus();
      schedule(0);
    });
    pushStatus();
    return running;
  }

  async function tick(): Promise<void> {
    timer = null;
    if (!context) return;
    const now = clock.now();
    // Timers do not run while a laptop sleeps: a tick far later than planned means it woke up.
    const woke = now - expectedAt > lateAfterMs(intervalMs());
    try {
      await look();
      const notBefore = Math.max(now, startedAt + startDelayMs(intervalMs()));
      plan.spreadOverdue(now, intervalMs(), notBefore, woke ? 0 : undefined);
      const due = plan.due(now, busy);
      if (due.length > 0 && !running) void runRound(due);
    } catch (error) {
      console.warn('Patchbay could not plan its health checks:', error instanceof Error ? error.message : error);
    }
    schedule();
  }

  /** Sleep until the next due check, at most MAX_TICK_MS (`atMost` shortens it). */
  function schedule(atMost = MAX_TICK_MS): void {
    if (!context) return;
    if (timer !== null) timers.clearTimeout(timer);
    const now = clock.now();
    const next = running ? null : plan.nextDueAt(busy);
    const wanted = Math.max(0, Math.min(atMost, MAX_TICK_MS, next === null ? MAX_TICK_MS : next - now));
    const wait = Number.isFinite(wanted) ? wanted : MAX_TICK_MS;
    expectedAt = now + wait;
    timer = timers.setTimeout(() => void tick(), wait);
  }

  /** A connection added (or a setting changed) may be due before the timer fires: wake earlier. */
  function rearm(): void {
    if (!context || running || timer === null) return;
    const next = plan.nextDueAt(busy);
    if (next !== null && next < expectedAt) schedule();
  }

  return {
    name: 'health-checks',
    start(ctx) {
      context = ctx;
      startedAt = clock.now();
      // A burst of changes in one tick (a sweep over many connections) costs one look, not one each.
      let queued = false;
      unsubscribe = ctx.core.onChange((what) => {
        if (what !== 'connections' || queued) return;
        queued = true;
        setImmediate(() => {
          queued = false;
          void look().then(rearm, () => null);
        });
      });
      // The first look sets the baseline (no notification for what was already broken) and the plan.
      void look()
        .catch(() => null)
        .then(() => {
          if (!context) return;
          expectedAt = clock.now();
          schedule(startDelayMs(intervalMs()));
        });
    },
    async stop() {
      context = null;
      unsubscribe?.();
      unsubscribe = null;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    async status() {
      return currentStatus();
    },
    async checkNow() {
      if (!context) return currentStatus();
      await running?.catch(() => undefined);
      const list = (await look()) ?? [];
      const ids = list.map((c) => c.id).filter((id) => !busy.has(id));
      if (ids.length > 0) await runRound(ids);
      return currentStatus();
    },
  };
}
