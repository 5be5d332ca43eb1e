/**
 * Which connections need the person, and how many: one rule for the header, the notifications
 * and the rows.
 *
 * The host layer decides when to notify and the page counts for its header with this same
 * function, so "1 connection needs you" and the notification that said so can never disagree.
 * Import-free like contract.ts (types only), so the renderer may use it.
 */
import type { ConnectionView } from './contract';

/**
 * True when a connection only works again after the person acts: it needs a new sign-in, it
 * failed its last check, or its access expired and cannot be renewed.
 */
export function needsYou(c: Pick<ConnectionView, 'status' | 'canRefresh'>): boolean {
  return c.status === 'needs_reconnect' || c.status === 'error' || (c.status === 'expired' && !c.canRefresh);
}

/** "1 connection needs you", "2 connections need you"; empty when none do. */
export function needsYouText(count: number): string {
  if (count <= 0) return '';
  return count === 1 ? '1 connection needs you' : `${count.toLocaleString('en-US')} connections need you`;
}

/**
 * When a connection was last checked (a health check or a Test, whatever it found), or null
 * when it never was. `lastVerifiedAt` is different: the last time a check found it working.
 */
export function lastCheckedAt(c: Pick<ConnectionView, 'lastTestedAt' | 'lastCheck'>): string | null {
  return c.lastCheck?.at ?? c.lastTestedAt;
}
