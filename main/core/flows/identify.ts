/**
 * The "who am I" step of a connect: ask the provider which account the tokens belong to.
 *
 * Split from connect.ts (which decides when to wait for it): the answer only labels the
 * connection and never undoes it, so none of these functions throws.
 */
import { bearerHeaders } from '../providers/credential-headers';
import { probe, type ProbeResult } from '../providers/who-am-i';
import type { httpFor } from './context';
import { PatchbayError, toPatchbayError } from '../model/errors';
import type { ConnectionRecord, TokenSet } from '../model/types';
import type { TraceSink } from '../providers/provider-http';
import { containsSecret } from '../providers/provider-text';
import type { ProviderDefinition } from '../../../preload/contract';

/**
 * How long after the keychain write the record waits for the "who am I" answer.
 *
 * Within this window the record and its label are written in one locked settings update; past
 * it the record is saved first and labelled when the answer arrives. The secret is in the
 * keychain either way, so the only thing the window delays is the settings write.
 */
export const IDENTIFY_GRACE_MS = 500;

/** What the "who am I" call found: its result, or why it failed (for the record's lastError). */
export interface Identity {
  result: ProbeResult | null;
  failure: PatchbayError | null;
}

/** The "who am I" call; never throws (a failure only labels the connection). */
export async function identify(
  http: ReturnType<typeof httpFor>,
  def: ProviderDefinition,
  tokens: TokenSet,
  secrets: ReadonlyArray<string | null | undefined>,
): Promise<Identity> {
  try {
    const result = withoutSecretLabel(await probe(http, def, bearerHeaders(tokens)), secrets, http.trace, def.name);
    const failure = result.ok
      ? null
      : new PatchbayError(
          'provider_error',
          `${def.name} answered the test call with HTTP ${result.httpStatus}. The connection is saved. {test} to try again.`,
          { httpStatus: result.httpStatus },
        );
    return { result, failure };
  } catch (error) {
    return { result: null, failure: toPatchbayError(error) };
  }
}

/**
 * Drop a label that carries a credential (a provider that echoes the Authorization header into
 * its "name" field would otherwise put the token in settings.json, `status` and bridge events).
 */
export function withoutSecretLabel(
  result: ProbeResult,
  secrets: ReadonlyArray<string | null | undefined>,
  trace: TraceSink,
  providerName: string,
): ProbeResult {
  if (result.label === null || !containsSecret(result.label, secrets)) return result;
  trace.add({
    step: 'label',
    detail: `The account name ${providerName} sent contained a credential, so Patchbay did not use it.`,
    ok: false,
  });
  return { ...result, label: null };
}

/** The identity when it arrives within IDENTIFY_GRACE_MS, otherwise null (the call keeps running). */
export async function withinGrace(pending: Promise<Identity>): Promise<Identity | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), IDENTIFY_GRACE_MS);
  });
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Label a record from the "who am I" answer and note the test result (or why it failed). */
export function applyIdentity(
  r: ConnectionRecord,
  def: ProviderDefinition,
  { result, failure }: Identity,
  now: number,
): void {
  const at = new Date(now).toISOString();
  if (result?.label) r.label = result.label;
  r.lastTest = result
    ? { ok: result.ok, httpStatus: result.httpStatus, latencyMs: result.latencyMs, at }
    : { ok: false, httpStatus: failure?.httpStatus ?? null, latencyMs: 0, at };
  r.lastError = failure
    ? { code: failure.code, message: `Connected, but the test call to ${def.name} failed: ${failure.message}` }
    : null;
}
