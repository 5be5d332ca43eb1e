/**
 * When each connection is checked next: pure bookkeeping, no timers, so every rule is tested
 * with plain numbers.
 *
 * A connection's next check is its last verification (or, never checked, its creation) plus the
 * interval, moved by a random ±10% so checks of connections made together drift apart. The plan
 * is rebuilt from what the settings file says on every look, so a restart resumes from the
 * stored verification times. Checks that are overdue (the laptop slept, the app was closed)
 * are not all run at once: they get evenly spaced slots over a short window instead.
 */
import { HEALTH_JITTER, lateAfterMs, spreadWindowMs } from './health-settings';

/** One connection as the plan sees it: its id and the time its interval counts from (epoch ms). */
export interface PlanInput {
  id: string;
  basis: number;
}

interface Entry {
  basis: number;
  intervalMs: number;
  dueAt: number;
  /** True once this overdue check was given a slot, so it is not moved again. */
  slotted: boolean;
}

/** The schedule of every known connection. */
export class HealthPlan {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly random: () => number) {}

  /** `intervalMs` moved by up to ±HEALTH_JITTER of itself. */
  jittered(intervalMs: number): number {
    const r = Math.min(1, Math.max(0, this.random()));
    return Math.round(intervalMs * (1 + (r * 2 - 1) * HEALTH_JITTER));
  }

  /**
   * Bring the plan in line with the current connections: new ones and ones verified since the
   * last look get a fresh due time; removed ones are forgotten; the rest keep theirs.
   */
  reconcile(connections: readonly PlanInput[], intervalMs: number): void {
    const seen = new Set<string>();
    for (const { id, basis } of connections) {
      seen.add(id);
      const entry = this.entries.get(id);
      if (entry && entry.basis === basis && entry.intervalMs === intervalMs) continue;
      this.entries.set(id, { basis, intervalMs, dueAt: basis + this.jittered(intervalMs), slotted: false });
    }
    for (const id of [...this.entries.keys()]) if (!seen.has(id)) this.entries.delete(id);
  }

  /**
   * Give every check that is more than `lateMs` past its time an evenly spaced slot from
   * `notBefore` over the spread window (oldest first). Returns the ids it moved.
   */
  spreadOverdue(now: number, intervalMs: number, notBefore: number, lateMs = lateAfterMs(intervalMs)): string[] {
    const overdue = [...this.entries]
      .filter(([, e]) => !e.slotted && e.dueAt <= now - lateMs)
      .sort(([, a], [, b]) => a.dueAt - b.dueAt);
    const window = spreadWindowMs(intervalMs);
    overdue.forEach(([, entry], i) => {
      entry.dueAt = notBefore + Math.floor((window * i) / overdue.length);
      entry.slotted = true;
    });
    return overdue.map(([id]) => id);
  }

  /** The connections due at `now` (earliest first), leaving out `busy` ones. */
  due(now: number, busy: ReadonlySet<string> = new Set()): string[] {
    return [...this.entries]
      .filter(([id, e]) => e.dueAt <= now && !busy.has(id))
      .sort(([, a], [, b]) => a.dueAt - b.dueAt)
      .map(([id]) => id);
  }

  /**
   * After a check was attempted at `at`: the next one is an interval later even if the attempt
   * could not record a verification (a locked keychain), so a failing check is never retried in
   * a tight loop. A recorded verification replaces this on the next reconcile.
   */
  attempted(id: string, at: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.dueAt = Math.max(entry.dueAt, at + this.jittered(entry.intervalMs));
    entry.slotted = false;
  }

  /** The earliest due time among connections not in `busy`, or null. */
  nextDueAt(busy: ReadonlySet<string> = new Set()): number | null {
    let next: number | null = null;
    for (const [id, e] of this.entries) if (!busy.has(id) && (next === null || e.dueAt < next)) next = e.dueAt;
    return next;
  }

  /** The due time of one connection (tests and the status view). */
  dueAt(id: string): number | undefined {
    return this.entries.get(id)?.dueAt;
  }

  get size(): number {
    return this.entries.size;
  }
}
