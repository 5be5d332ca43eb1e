/**
 * What a provider's connection list shows at scale: a summary in words, the connections that need
 * the person first, a filter by label or id, and a bounded page of rows.
 *
 * Pure (views in, views and strings out) so the wording and ordering are unit-testable and the
 * bench can know how many rows the first view holds without rendering anything.
 */
import type { ConnectionView } from '../preload/contract';
import { primaryAction } from './status-words';

/**
 * Rows in a provider's first view, and how many more each "Show more" adds.
 *
 * Ten is about one screen: with five busy providers the first view stays ~50 rows (cheap to
 * paint), the rest is one "Show more", "Show all" or a few typed letters away.
 */
export const FIRST_PAGE = 10;
export const PAGE_STEP = 25;

/** Below this many connections a provider shows every row and no filter: there is nothing to page. */
export const FILTER_FROM = FIRST_PAGE + 1;

export type Attention = 'sign_in' | 'problem' | null;

/** Why a connection needs the person, if it does: a new sign-in, or another problem. */
export function attentionOf(c: ConnectionView): Attention {
  if (primaryAction(c) === 'reconnect') return 'sign_in';
  if (c.status === 'error') return 'problem';
  return null;
}

/** Connections that need the person first; within each group the order given (stable). */
export function attentionFirst(list: readonly ConnectionView[]): ConnectionView[] {
  const first: ConnectionView[] = [];
  const rest: ConnectionView[] = [];
  for (const c of list) (attentionOf(c) ? first : rest).push(c);
  return first.length === 0 ? [...rest] : first.concat(rest);
}

/** Case-insensitive match on the account label or the connection id; an empty query matches all. */
export function matchesQuery(c: ConnectionView, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || c.label.toLowerCase().includes(q) || c.id.toLowerCase().includes(q);
}

/**
 * "1,000": digits grouped by threes. Not `toLocaleString`: its first call loads the ICU locale
 * data, ~20 ms of the first render on a slow machine, for a comma.
 */
export function countWords(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
const count = countWords;

/**
 * The provider's summary, e.g. "1,000 connections · 998 working · 2 need you to sign in again".
 *
 * Groups with nothing in them are left out; a single connection reads "1 connection" (its row says
 * the rest).
 */
export function connectionSummary(list: readonly ConnectionView[]): string {
  if (list.length === 1) return '1 connection';
  let signIn = 0;
  let problem = 0;
  for (const c of list) {
    const a = attentionOf(c);
    if (a === 'sign_in') signIn += 1;
    else if (a === 'problem') problem += 1;
  }
  const working = list.length - signIn - problem;
  const parts = [`${count(list.length)} connections`];
  if (working > 0) parts.push(`${count(working)} working`);
  if (signIn > 0) parts.push(`${count(signIn)} ${signIn === 1 ? 'needs' : 'need'} you to sign in again`);
  if (problem > 0) parts.push(`${count(problem)} with a problem`);
  return parts.join(' · ');
}

/** "Showing 25 of 1,000", "3 of 1,000 match “acme”", "No connection matches “acme”". */
export function showingText(shown: number, matching: number, total: number, query: string): string {
  const q = query.trim();
  if (q === '') return shown >= total ? `Showing all ${count(total)}` : `Showing ${count(shown)} of ${count(total)}`;
  if (matching === 0) return `No connection matches “${q}”`;
  const which = `${count(matching)} of ${count(total)} match “${q}”`;
  return shown >= matching ? which : `${which} · showing ${count(shown)}`;
}

/** Rows the first view of a provider with `total` connections holds (what the bench waits for). */
export function firstViewRows(total: number): number {
  return total < FILTER_FROM ? total : Math.min(total, FIRST_PAGE);
}
