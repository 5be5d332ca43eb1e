/**
 * What a test's outcome means for a check, and how it is written onto the connection record.
 *
 * One module for both the manual Test and the health checks, so "last verified", the check
 * status and the record's state never disagree about what the same answer meant.
 */
import type { PatchbayError } from '../model/errors';
import { MAX_RETRY_AFTER_MS } from './host-gate';
import type { ConnectionRecord } from '../model/types';
import type { CheckError, CheckStatus, LastCheck } from '../../../preload/contract';

/**
 * The one place an error becomes the `{ code, message }` a check reports.
 *
 * A diagnosis module can enrich the sentence here (and only here) for the CLI, the app and the
 * records alike.
 */
export function toCheckError(error: PatchbayError): CheckError {
  return { code: error.code, message: error.message };
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
