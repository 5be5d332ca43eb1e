/**
 * What a test's outcome means for a check, and how it is written onto the connection record.
 *
 * One module for both the manual Test and the health checks, so "last verified", the check
 * status and the record's state never disagree about what the same answer meant.
 */
import type { PatchbayError } from '../model/errors';
import { diagnose } from '../diagnosis/diagnose';
import type { TraceEntry } from '../../../preload/contract';
import { MAX_RETRY_AFTER_MS } from './host-gate';
import type { ConnectionRecord } from '../model/types';
import type { CheckError, CheckStatus, LastCheck } from '../../../preload/contract';

const KEEPS_OWN_SENTENCE = new Set<string>(['invalid_grant', 'not_found', 'rate_limited']);

/** What the diagnosis needs besides the error: whose failure it was and what the flow recorded. */
export interface CheckContext {
  providerName: string;
  auth: ConnectionRecord['auth'];
  trace: readonly TraceEntry[];
}

/**
 * The one place an error becomes the `{ code, message }` a check reports.
 *
 * A failure with a known signature (a clock that is off, a missing scope, a refused client, a
 * certificate or proxy problem) is said with the diagnosis's sentence and next step, the same
 * words the app and support bundles use. A connection that needs a new sign-in, or a host that
 * asked to be left alone, keeps its own sentence: it already names the exact command that fixes
 * it, or the exact time to try again.
 */
export function toCheckError(error: PatchbayError, context?: CheckContext): CheckError {
  if (!context || KEEPS_OWN_SENTENCE.has(error.code)) return { code: error.code, message: error.message };
  const diagnosis = diagnose({
    providerName: context.providerName,
    error: error.toBridge(),
    httpStatus: error.httpStatus ?? null,
    trace: context.trace,
    auth: context.auth,
  });
  return { code: error.code, message: diagnosis?.sentence ?? error.message };
}

/** The check status an error (or none) stands for. */
export function checkStatusOf(error: PatchbayError | null, auth: ConnectionRecord['auth']): CheckStatus {
  if (!error) return 'ok';
  if (error.code === 'rate_limited') return 'rate_limited';
  // invalid_grant: the grant is gone; not_found: the keychain lost the secret; a refused API key.
  if (error.code === 'invalid_grant' || error.code === 'not_found') return 'needs_reconnect';
  if (error.code === 'invalid_client' && auth === 'apiKey') return 'needs_reconnect';
  return 'error';
}

/**
 * Whether an error is worth another attempt: the provider's side (5xx), the network or a timeout.
 * A 4xx is the provider's considered answer and asking again would only repeat it.
 */
export function isTransient(error: PatchbayError): boolean {
  if (error.code === 'network' || error.code === 'timeout') return true;
  return error.code === 'provider_error' && (error.httpStatus ?? 0) >= 500;
}

/** When a 429 said the host may be asked again (ISO), bounded like the runner's windows; else undefined. */
export function retryAtOf(error: PatchbayError | null, now: number): string | undefined {
  if (error?.retryAfterSeconds === undefined) return undefined;
  return new Date(now + Math.min(error.retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS)).toISOString();
}

/** A check's facts, as recorded. */
export interface CheckFacts {
  status: CheckStatus;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: string;
  error: PatchbayError | null;
  /** Whether a request was made (false when the host's Retry-After window kept the check back). */
  tested: boolean;
  retryAt?: string;
  label?: string | null;
}

/**
 * Write a check onto its record: last test, last error, last check, last verified, state.
 *
 * The state changes only on answers that say something about the connection itself: working
 * (ok), a lost grant or key (needs_reconnect), or a provider that answered with a failure
 * (error). A network failure or a timeout says more about this computer than about the
 * connection, and a rate limit says nothing, so neither changes the state.
 */
export function applyCheck(record: ConnectionRecord, facts: CheckFacts): void {
  const retryAt = facts.retryAt ?? retryAtOf(facts.error, Date.parse(facts.checkedAt));
  const lastCheck: LastCheck = {
    at: facts.checkedAt,
    status: facts.status,
    httpStatus: facts.httpStatus,
    latencyMs: facts.latencyMs,
    error: facts.error ? toCheckError(facts.error) : null,
    ...(retryAt === undefined ? {} : { retryAt }),
  };
  record.lastCheck = lastCheck;
  if (!facts.tested) return;
  record.lastTest = {
    ok: facts.status === 'ok',
    httpStatus: facts.httpStatus,
    latencyMs: facts.latencyMs,
    at: facts.checkedAt,
  };
  record.lastError = facts.error ? facts.error.toBridge() : null;
  if (facts.status === 'ok') {
    record.state = 'ok';
    record.lastVerifiedAt = facts.checkedAt;
  } else if (facts.status === 'needs_reconnect') {
    record.state = 'needs_reconnect';
  } else if (facts.status === 'error' && facts.httpStatus !== null && facts.error && facts.error.code !== 'network') {
    record.state = 'error';
  }
  if (facts.label) record.label = facts.label;
}
