/**
 * `patchbay check [<connection>...] [--concurrency <n>] [--json]`: health checks for cron and monitoring.
 *
 * The same runner as the app's background checks and "Check all now" (main/core/health), so a
 * cron job obeys the same per-host concurrency, Retry-After and backoff rules. The exit code is
 * the contract a monitor reads: 0 every checked connection works, 1 any needs attention, 2 the
 * command line is wrong. A connection that does not exist is a wrong command line: a monitor
 * with a typo in its job must not look like a broken account, and nothing is checked then.
 */
import type { CheckResult, CheckStatus, ConnectionView } from '../../../preload/contract';
import { parseCommand } from '../args';
import { openCliCore } from '../core';
import { cliError, cliText } from '../action-words';
import { EXIT, type ExitCode, type Printer, UsageError, targetOf } from '../output';

/** The most requests per host a person may ask for: more is a storm, not a check. */
const MAX_CONCURRENCY = 64;

const STATUS_WORDS: Record<CheckStatus, string> = {
  ok: 'works',
  needs_reconnect: 'needs you to connect it again',
  error: 'does not work',
  rate_limited: 'was not checked (the provider asked to wait)',
};

/** Run `patchbay check`. */
export async function checkCommand(args: string[], printer: Printer, signal: AbortSignal): Promise<ExitCode> {
  const parsed = parseCommand('check', args, { concurrency: { type: 'string' } });
  const concurrency = concurrencyOf(parsed.values.concurrency);
  const core = await openCliCore(printer.io, {
    signIn: false,
    ...(concurrency === undefined ? {} : { checkConcurrency: concurrency }),
  });
  try {
    const views = await core.listConnections();
    const chosen = parsed.positionals.length === 0 ? views : parsed.positionals.map((ref) => resolve(views, ref));
    const byId = new Map(views.map((v) => [v.id, v]));
    const ids = chosen.map((v) => v.id);
    const results = ids.length === 0 ? [] : await core.checkConnections(ids, { signal });
    const shown = results.map((r) => inCliWords(r, byId.get(r.id)));
    printer.emit(shown);
    if (!printer.json) {
      if (shown.length === 0) printer.say('No connections to check. Try one with: patchbay connect sandbox');
      for (const r of attentionFirst(shown)) printer.say(line(r, byId.get(r.id)));
    }
    return shown.every((r) => r.status === 'ok') ? EXIT.ok : EXIT.failure;
  } finally {
    await core.close();
  }
}

function concurrencyOf(value: string | boolean | undefined): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const n = /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (requests in flight per provider host), not "${value}".`,
      '--concurrency',
    );
  }
  return n;
}

/** A connection by ID, or by provider ID when exactly one connection uses it; anything else is a usage error. */
function resolve(views: ConnectionView[], ref: string): ConnectionView {
  const exact = views.find((v) => v.id === ref);
  if (exact) return exact;
  const byProvider = views.filter((v) => v.providerId === ref);
  if (byProvider.length === 1 && byProvider[0]) return byProvider[0];
  if (byProvider.length > 1) {
    throw new UsageError(
      `You have ${byProvider.length} connections to "${ref}": ${byProvider.map((v) => v.id).join(', ')}. Name them by their IDs.`,
      'connection',
    );
  }
  throw new UsageError(
    `No connection called "${ref}" exists, so nothing was checked. Run "patchbay status" to list your connections.`,
    'connection',
  );
}

/** The result with its sentence naming the command to run (not a button), as every CLI message does. */
function inCliWords(result: CheckResult, view: ConnectionView | undefined): CheckResult {
  if (!result.error || !view) return result;
  return { ...result, error: cliError(result.error, targetOf(view)) };
}

/** Connections that need attention first; otherwise the order they were asked for in. */
function attentionFirst(results: CheckResult[]): CheckResult[] {
  return [...results.filter((r) => r.status !== 'ok'), ...results.filter((r) => r.status === 'ok')];
}

function line(r: CheckResult, view: ConnectionView | undefined): string {
  const who = `${r.id}: ${r.label} (${view?.providerName ?? r.providerId})`;
  if (r.status === 'ok') {
    return `${who} ${STATUS_WORDS.ok} (${r.httpStatus === null ? '' : `HTTP ${r.httpStatus}, `}${r.latencyMs} ms).`;
  }
  const why = r.error ? cliText(r.error.message, view ? targetOf(view) : null) : 'the provider refused it.';
  return `${who} ${STATUS_WORDS[r.status]}: ${why}`;
}
