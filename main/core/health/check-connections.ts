/**
 * Health checks of connections: the runner's rules applied to the engine's test operation.
 *
 * Settings are read once per run (a thousand connections are not a thousand reads of the file),
 * each attempt is the same test a person runs with Test (refresh first when due, one refresh
 * and retry on a 401), and each connection's outcome is written to its record once, when its
 * retries are over, so retries neither flicker its status nor raise one change per attempt.
 * Outcomes are written in groups (record-writer.ts) while the run goes on, and what is known is
 * written before a cancelled run gives up. Secrets are read from the keychain just ahead of
 * their host's slot (secret-read-ahead.ts), so the slot holds only the request. A host's
 * Retry-After is kept on the records (`lastCheck.retryAt`), so a window survives restarts and
 * is honoured by the next run, even one in another process.
 */
import { allProviders, appendTrace, type CoreContext } from '../flows/context';
import { runConnectionTest, testFailure } from '../flows/operations';
import type { RefreshCoordinator } from '../flows/refresh';
import { notFound, PatchbayError, toPatchbayError } from '../model/errors';
import type { ConnectionRecord, ConnectionSecret } from '../model/types';
import type { ProbeResult } from '../providers/who-am-i';
import { providerText } from '../providers/provider-text';
import { TraceRecorder } from '../storage/trace';
import type { CheckResult, ProviderDefinition } from '../../../preload/contract';
import { applyCheck, checkStatusOf, isTransient, retryAtOf, toCheckError, type CheckFacts } from './check-outcome';
import type { Attempt, CheckRunner, CheckTarget, Prober } from './check-runner';
import type { HostGate } from './host-gate';
import { RecordWriter } from './record-writer';
import { SecretReadAhead, withSecret } from './secret-read-ahead';

/** How one run of checks behaves (the runner's own rules are set when it is made). */
export interface CheckRunOptions {
  /** Start the checks evenly over this many ms (the health service spreads overdue checks). */
  spreadMs?: number;
  signal?: AbortSignal;
  /** Each connection's result, once it is written to its record. */
  onResult?: (result: CheckResult) => void;
}

/** The host a provider's checks call: its test URL's, else its token URL's, else its own id. */
export function checkHostOf(def: ProviderDefinition): string {
  for (const url of [def.testUrl, def.tokenUrl]) {
    if (!url) continue;
    try {
      return new URL(url).host;
    } catch {
      // An unreadable URL fails in the test itself, with a sentence; here it only needs a key.
    }
  }
  return `provider:${def.id}`;
}

interface Subject {
  record: ConnectionRecord;
  def: ProviderDefinition;
  trace: TraceRecorder;
}

/** Check `ids` (every connection when undefined); an unknown id fails the whole call before any request. */
export async function checkConnections(
  ctx: CoreContext,
  refresher: RefreshCoordinator,
  runner: CheckRunner,
  ids: readonly string[] | undefined,
  options: CheckRunOptions = {},
): Promise<CheckResult[]> {
  const data = ctx.settings.read();
  const defs = new Map(allProviders(ctx, data).map((p) => [p.definition.id, p.definition]));
  const byId = new Map(data.connections.map((c) => [c.id, c]));
  const chosen = ids === undefined ? data.connections : [...new Set(ids)].map((id) => byId.get(id) ?? missing(id));
  const subjects = new Map<string, Subject>();
  const targets: CheckTarget[] = [];
  const now = ctx.clock.now();
  for (const record of chosen) {
    const def = defs.get(record.providerId);
    if (!def) throw notFound('provider', record.providerId);
    const host = checkHostOf(def);
    subjects.set(record.id, { record, def, trace: new TraceRecorder(record.id, ctx.clock) });
    targets.push({ id: record.id, host });
    // A window a provider opened for an earlier run (or process) still holds.
    const retryAt = record.lastCheck?.retryAt ? Date.parse(record.lastCheck.retryAt) : NaN;
    if (retryAt > now) runner.gates.get(host).block(retryAt, now);
  }
  const subjectOf = (target: CheckTarget): Subject => subjects.get(target.id)!;
  const readAhead = new SecretReadAhead(ctx.vault, targets, 2 * runner.concurrencyPerHost);
  const prober: Prober<CheckFacts> = {
    attempt: async (target) => {
      const subject = subjectOf(target);
      const early = await readAhead.take(target.id);
      const gate = runner.gates.get(target.host);
      return attempt(ctx, refresher, subject, early?.kind === subject.record.auth ? early : null, gate);
    },
    blocked: (target, retryAt) => blockedFacts(ctx, subjectOf(target).def, retryAt),
  };
  const writer = new RecordWriter(ctx);
  const written: Array<Promise<CheckResult>> = [];
  const run = runner.run(targets, prober, {
    ...(options.spreadMs === undefined ? {} : { spreadMs: options.spreadMs }),
    ...(options.signal ? { signal: options.signal } : {}),
    onResult: (target, facts) => {
      const subject = subjectOf(target);
      const result = toResult(subject, facts);
      const saved = Promise.all([
        writer.write(target.id, (r) => applyCheck(r, facts)),
        appendTrace(ctx, target.id, subject.trace).catch(() => undefined),
      ]).then(() => {
        options.onResult?.(result);
        return result;
      });
      // Awaited below, except for an attempt that ends after a cancelled run gave up: its failed
      // write must not become an unhandled rejection (which would end the web host).
      saved.catch(() => undefined);
      written.push(saved);
    },
  });
  try {
    await run;
  } catch (error) {
    // Stopped (Ctrl+C, a monitor's timeout): what was found so far is written before giving up.
    await writer.flush();
    await Promise.allSettled(written);
    throw error;
  }
  // Every result is known: the last ones are written now, not after the writer's spacing.
  await writer.flush();
  return Promise.all(written).then((results) => {
    const order = new Map(targets.map((t, i) => [t.id, i]));
    return results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  });
}

function missing(id: string): never {
  throw notFound('connection', id);
}

/** One test call, classified for the runner. */
async function attempt(
  ctx: CoreContext,
  refresher: RefreshCoordinator,
  subject: Subject,
  early: ConnectionSecret | null,
  gate: HostGate,
): Promise<Attempt<CheckFacts>> {
  const { record, def, trace } = subject;
  const started = ctx.clock.now();
  // What this test's own refreshes saved: a keychain that holds one of those changed because of
  // this test, not because someone replaced the credential, and is no reason to test again.
  const saved = new Set<string>();
  const tracking: Pick<RefreshCoordinator, 'refresh'> = {
    refresh: async (id, options) => {
      const renewed = await refresher.refresh(id, options);
      saved.add(renewed.accessToken);
      return renewed;
    },
  };
  let outcome = await testWith(early ? withSecret(ctx, record.id, early) : ctx, tracking, subject);
  if (early && dependsOnSecret(outcome)) {
    // The secret was read a moment before the slot opened; if the keychain holds another one now
    // (a key replaced, tokens rotated by another process), the refusal was about the old one.
    const now = await ctx.vault.getConnectionSecret(record.id).catch(() => undefined);
    const ownRefresh = now?.kind === 'oauth2' && saved.has(now.accessToken);
    if (now !== undefined && !ownRefresh && JSON.stringify(now) !== JSON.stringify(early)) {
      // Another check on this host may have been told to wait meanwhile: nothing is sent inside
      // the window; the runner asks again, with the new secret, once it is over.
      if (gate.blockedUntil > ctx.clock.now()) {
        return { result: blockedFacts(ctx, def, gate.blockedUntil), retry: 'rate_limited', retryAfterMs: 0 };
      }
      trace.add({
        step: 'retry',
        detail: `${def.name} refused the credential read a moment ago; the keychain holds a newer one, so testing again with it.`,
        ok: true,
      });
      outcome = await testWith(ctx, refresher, subject);
    }
  }
  const { result, error } = outcome;
  const finished = ctx.clock.now();
  const facts: CheckFacts = {
    status: checkStatusOf(error, record.auth),
    httpStatus: result?.httpStatus ?? error?.httpStatus ?? null,
    latencyMs: result?.latencyMs ?? finished - started,
    checkedAt: new Date(finished).toISOString(),
    error,
    tested: true,
    label: result?.label ?? null,
  };
  const retryAt = retryAtOf(error, finished);
  if (retryAt !== undefined) facts.retryAt = retryAt;
  if (error?.code === 'rate_limited') {
    return {
      result: facts,
      retry: 'rate_limited',
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterMs: error.retryAfterSeconds * 1000 }),
    };
  }
  return { result: facts, retry: error && isTransient(error) ? 'transient' : 'no' };
}

interface TestOutcome {
  result: ProbeResult | null;
  error: PatchbayError | null;
}

async function testWith(
  ctx: CoreContext,
  refresher: Pick<RefreshCoordinator, 'refresh'>,
  subject: Subject,
): Promise<TestOutcome> {
  const { record, def, trace } = subject;
  try {
    const result = await runConnectionTest(ctx, refresher, def, record, trace);
    return { result, error: result.ok ? null : testFailure(def, record, result.httpStatus) };
  } catch (thrown) {
    return { result: null, error: toPatchbayError(thrown) };
  }
}

/** Whether another credential might have been answered differently (a refused or missing one). */
function dependsOnSecret({ error }: TestOutcome): boolean {
  if (!error) return false;
  if (['invalid_grant', 'invalid_client', 'not_found'].includes(error.code)) return true;
  return error.httpStatus === 401 || error.httpStatus === 403;
}

/** The facts for a connection not asked because its host's window outlasts what the run may wait. */
function blockedFacts(ctx: CoreContext, def: ProviderDefinition, retryAt: number): CheckFacts {
  const now = ctx.clock.now();
  const at = new Date(retryAt).toISOString();
  const error = new PatchbayError(
    'rate_limited',
    `${def.name} asked Patchbay to wait before calling it again, so this connection was not checked. Check again after ${at}.`,
    { retryAfterSeconds: Math.max(0, Math.ceil((retryAt - now) / 1000)) },
  );
  return {
    status: 'rate_limited',
    httpStatus: null,
    latencyMs: 0,
    checkedAt: new Date(now).toISOString(),
    error,
    tested: false,
    retryAt: at,
  };
}

function toResult({ record, def, trace }: Subject, facts: CheckFacts): CheckResult {
  return {
    id: record.id,
    providerId: record.providerId,
    label: providerText(facts.label ?? record.label, 120) || providerText(def.name, 120),
    status: facts.status,
    httpStatus: facts.httpStatus,
    latencyMs: facts.latencyMs,
    checkedAt: facts.checkedAt,
    error: facts.error
      ? toCheckError(facts.error, { providerName: def.name, auth: record.auth, trace: trace.entries() })
      : null,
  };
}
