/**
 * The health checks' timing: the documented defaults and the one test override.
 *
 * Every connection is checked every 6 hours by default (settings: `preferences.healthCheckHours`,
 * read by the core). PATCHBAY_HEALTH_INTERVAL_MS overrides it, in milliseconds, only when set:
 * end-to-end tests use it to watch a background check happen within seconds, and a support
 * engineer can use it to reproduce one.
 */
import { PatchbayError } from '../core/model/errors';

/** Check every connection this often unless the settings say otherwise. */
export const DEFAULT_HEALTH_INTERVAL_MS = 6 * 60 * 60_000;
/** Each connection's next check moves by up to ±10% of the interval, so checks never line up. */
export const HEALTH_JITTER = 0.1;
/** The longest a timer sleeps: a laptop that slept is noticed within a minute of waking. */
export const MAX_TICK_MS = 60_000;
/** Overdue checks (after sleep or a restart) are spread over at most this long. */
export const MAX_SPREAD_MS = 5 * 60_000;
/** The first round waits this long after start (at most), so opening the app stays quick. */
export const MAX_START_DELAY_MS = 60_000;

/** Bounds of PATCHBAY_HEALTH_INTERVAL_MS. */
const MIN_ENV_MS = 1_000;
const MAX_ENV_MS = 7 * 24 * 60 * 60_000;

/**
 * PATCHBAY_HEALTH_INTERVAL_MS as a number of milliseconds, or undefined when it is not set.
 *
 * A value that is not a whole number from 1000 to 604800000 stops the host with an error that
 * names the variable and the fix, rather than silently checking at some other rate.
 */
export function healthIntervalFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env.PATCHBAY_HEALTH_INTERVAL_MS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < MIN_ENV_MS || value > MAX_ENV_MS) {
    throw new PatchbayError(
      'invalid_input',
      `PATCHBAY_HEALTH_INTERVAL_MS is "${raw.slice(0, 40)}", which is not a number of milliseconds Patchbay can use. Set it to a whole number from ${MIN_ENV_MS} to ${MAX_ENV_MS}, or remove it to use the settings (every 6 hours by default).`,
      { field: 'PATCHBAY_HEALTH_INTERVAL_MS' },
    );
  }
  return value;
}

/** How long overdue checks are spread over, for an interval: half of it, at most MAX_SPREAD_MS. */
export function spreadWindowMs(intervalMs: number): number {
  return Math.min(MAX_SPREAD_MS, Math.floor(intervalMs / 2));
}

/** A check this far past its time counts as overdue (the app slept or was closed). */
export function lateAfterMs(intervalMs: number): number {
  return Math.min(2 * MAX_TICK_MS, Math.floor(intervalMs / 4));
}

/** How long the first round waits after the host starts. */
export function startDelayMs(intervalMs: number): number {
  return Math.min(MAX_START_DELAY_MS, Math.floor(intervalMs / 2));
}
