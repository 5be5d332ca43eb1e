/**
 * The health checks in words: when a connection was last checked, and what the checks are doing.
 *
 * Pure (times in, strings out) so the wording is unit-tested and rows stay cheap to render.
 */
import type { HealthStatus } from '../preload/contract';

/** "Checked just now", "Checked 5 minutes ago", "Checked 3 hours ago", "Checked 2 days ago". */
export function checkedWords(iso: string | null, now: number): string {
  if (!iso) return 'Not checked yet';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Not checked yet';
  // The page clock is rounded down to the minute, so a check seconds ago may look "in the future".
  const minutes = Math.max(0, Math.floor((now - at) / 60_000));
  if (minutes < 1) return 'Checked just now';
  if (minutes < 60) return `Checked ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `Checked ${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  return `Checked ${Math.floor(hours / 24)} days ago`;
}

/** The exact local time, for a tooltip and the details. */
export function exactTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString();
}

/** "every 6 hours", "every 30 minutes", "every 2 seconds" (the test setting). */
export function intervalWords(ms: number): string {
  const unit = (n: number, word: string) => `every ${n === 1 ? word : `${n} ${word}s`}`;
  if (ms % 3_600_000 === 0) return unit(ms / 3_600_000, 'hour');
  if (ms % 60_000 === 0) return unit(ms / 60_000, 'minute');
  return unit(Math.max(1, Math.round(ms / 1000)), 'second');
}

/** The line beside "Check all now": what the checks do, or that a round runs. */
export function healthLine(status: HealthStatus | null): string {
  if (!status) return '';
  if (status.checking) return 'Checking your connections…';
  return `Patchbay checks every connection ${intervalWords(status.intervalMs)} while it runs.`;
}
