/**
 * Diagnosis: a known failure signature turned into one plain sentence and one action.
 *
 * Works only from what is saved anyway (the subject's trace and its last error), never from a
 * live request, so the app's details dialog, `patchbay` commands, `patchbay check` and support
 * bundles all say the same thing about the same failure, even on another computer.
 */
import type { AuthKind, BridgeError, Diagnosis, TraceEntry } from '../../../preload/contract';
import { isTlsError } from './provider-signals';

/** A clock more than this far from the provider's is reported (tokens are checked to the minute). */
export const CLOCK_SKEW_LIMIT_SECONDS = 5 * 60;
/** How far back in a trace the last attempt is looked for. */
const LOOK_BACK = 40;
/** Redirect URIs and scopes shown in a sentence are cut to this. */
const MAX_SHOWN = 300;

/** What a diagnosis is made from; everything but the provider's name is optional. */
export interface FailureFacts {
  providerName: string;
  /** The failure: a connection's `lastError`, a test's or connect's error. Null when the last check worked. */
  error: BridgeError | null;
  /** The HTTP status of the failing call, when known (a connection's `lastTest.httpStatus`). */
  httpStatus?: number | null;
  /** The subject's trace, oldest first (as saved). */
  trace?: readonly TraceEntry[];
  /** The redirect URI this host registers for the provider, used when the trace shows none. */
  redirectUri?: string | null;
  auth?: AuthKind;
  /** True when the environment routes requests through a proxy (HTTPS_PROXY and the like). */
  proxyConfigured?: boolean;
}

/**
 * The diagnosis of a failure, or null when it matches no known signature (its own message then
 * says it all). Without an error, only a clock that is off is worth a word.
 */
export function diagnose(facts: FailureFacts): Diagnosis | null {
  const recent = (facts.trace ?? []).slice(-LOOK_BACK);
  const attempt = facts.error ? lastAttempt(recent) : [];
  const name = facts.providerName;
  const signal = <K extends keyof TraceEntry>(key: K): TraceEntry | undefined =>
    attempt.find((e) => e[key] !== undefined);
  const oauthErrors = new Set(attempt.map((e) => e.oauthError).filter((v): v is string => v !== undefined));

  if (oauthErrors.has('redirect_uri_mismatch')) return redirectMismatch(name, redirectUriOf(recent, facts));
  if (facts.error) {
    const clientRefused =
      oauthErrors.has('invalid_client') ||
      oauthErrors.has('unauthorized_client') ||
      (facts.error.code === 'invalid_client' && facts.error.field === 'clientId');
    if (clientRefused && facts.auth !== 'apiKey') {
      return {
        code: 'invalid_client',
        sentence: `${name} did not accept the client ID or client secret Patchbay sent. Check both in Set up against the app registered at ${name}.`,
        action: { kind: 'setup', label: 'Open Set up' },
      };
    }
    const scoped = signal('scopeNeeded');
    if (scoped || oauthErrors.has('invalid_scope') || oauthErrors.has('insufficient_scope')) {
      return missingScope(name, scoped?.scopeNeeded, oauthErrors.has('invalid_scope'));
    }
    const limited = attempt.find((e) => e.httpStatus === 429);
    if (limited || facts.error.code === 'rate_limited') return rateLimited(name, limited, facts.error);
    const transport = signal('transportError')?.transportError;
    if (transport !== undefined && isTlsError(transport)) return tls(name, transport);
    if (attempt.some((e) => e.httpStatus === 407) || (transport !== undefined && facts.proxyConfigured))
      return proxy(name, transport);
  }
  const skew = [...recent].reverse().find((e) => e.clockSkewSeconds !== undefined)?.clockSkewSeconds;
  if (skew !== undefined && Math.abs(skew) > CLOCK_SKEW_LIMIT_SECONDS) return clockSkew(name, skew);
  if (facts.error && (facts.error.code === 'invalid_grant' || oauthErrors.has('invalid_grant'))) {
    return {
      code: 'invalid_grant',
      sentence: `${name} no longer accepts this connection's sign-in (it was revoked, expired or replaced). Sign in again to get a new one.`,
      action: { kind: 'reconnect', label: 'Sign in again' },
    };
  }
  return null;
}

/** The entries of the last attempt: newest first, back to the last step that worked end to end. */
function lastAttempt(recent: readonly TraceEntry[]): TraceEntry[] {
  const out: TraceEntry[] = [];
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const e = recent[i]!;
    if (e.ok && (e.step === 'connected' || e.step === 'test_call')) break;
    out.push(e);
    if (e.step === 'start') break;
  }
  return out;
}

/** The redirect URI the last sign-in used (its authorize URL's `redirect_uri`), else the host's. */
function redirectUriOf(recent: readonly TraceEntry[], facts: FailureFacts): string | null {
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const e = recent[i]!;
    if (e.step !== 'authorize' || !e.url) continue;
    try {
      const uri = new URL(e.url).searchParams.get('redirect_uri');
      if (uri) return uri.slice(0, MAX_SHOWN);
    } catch {
      // A URL that does not parse says nothing about the redirect URI.
    }
  }
  return facts.redirectUri ? facts.redirectUri.slice(0, MAX_SHOWN) : null;
}

function redirectMismatch(name: string, uri: string | null): Diagnosis {
  if (uri === null) {
    return {
      code: 'redirect_uri_mismatch',
      sentence: `${name} does not accept the redirect URI Patchbay used. Register the redirect URI shown in Set up at ${name}, exactly as shown.`,
      action: { kind: 'setup', label: 'Open Set up' },
    };
  }
  return {
    code: 'redirect_uri_mismatch',
    sentence: `${name} does not accept the redirect URI Patchbay used. Register exactly ${uri} as a redirect URI of your app at ${name}, then sign in again.`,
    action: { kind: 'copy', label: 'Copy redirect URI', value: uri },
    redirectUri: uri,
  };
}

function missingScope(name: string, scope: string | undefined, atSignIn: boolean): Diagnosis {
  const shown = scope?.slice(0, MAX_SHOWN);
  const what = shown ? `the "${shown}" permission (scope)` : 'a permission (scope) it was not given';
  const sentence = atSignIn
    ? `${name} refused the permissions (scopes) Patchbay asked for. Check the scopes in Set up against what ${name} allows your app.`
    : `${name} says this connection lacks ${what}. Add it to the provider's scopes in Set up, then sign in again.`;
  return {
    code: 'insufficient_scope',
    sentence,
    action: { kind: 'setup', label: 'Open Set up' },
    ...(shown ? { scope: shown } : {}),
  };
}

function rateLimited(name: string, entry: TraceEntry | undefined, error: BridgeError): Diagnosis {
  const seconds = entry?.retryAfterSeconds ?? error.retryAfterSeconds;
  const from = entry ? Date.parse(entry.at) : NaN;
  const retryAt =
    seconds !== undefined && Number.isFinite(from) ? new Date(from + seconds * 1000).toISOString() : undefined;
  const when = retryAt ? `after ${retryAt.slice(11, 16)} UTC (${retryAt.slice(0, 10)})` : 'in a few minutes';
  return {
    code: 'rate_limited',
    sentence: `${name} is limiting how often Patchbay may call it. Try again ${when}; nothing is wrong with the connection itself.`,
    action: { kind: 'retry', label: retryAt ? `Try again after ${retryAt.slice(11, 16)} UTC` : 'Try again later' },
    ...(retryAt ? { retryAt } : {}),
  };
}

function tls(name: string, code: string): Diagnosis {
  return {
    code: 'tls',
    sentence: `The secure connection to ${name} failed (${code}): its certificate was not trusted. If your network inspects HTTPS (a company proxy or antivirus), ask its administrator to allow ${name}; otherwise check the computer's date and try again.`,
    action: { kind: 'check_network', label: 'Check the network and try again' },
  };
}

function proxy(name: string, code: string | undefined): Diagnosis {
  return {
    code: 'proxy',
    sentence: `Patchbay's requests to ${name} stopped at a proxy${code ? ` (${code})` : ''}. Check the proxy settings (HTTPS_PROXY) or the proxy's sign-in, then try again.`,
    action: { kind: 'check_network', label: 'Check the proxy and try again' },
  };
}

function clockSkew(name: string, skew: number): Diagnosis {
  const minutes = Math.round(Math.abs(skew) / 60);
  const way = skew > 0 ? 'behind' : 'ahead of';
  return {
    code: 'clock_skew',
    sentence: `This computer's clock is about ${minutes} minute${minutes === 1 ? '' : 's'} ${way} ${name}'s. Sign-ins and tokens are checked against the time, so fix the computer's clock (turn on automatic time) and try again.`,
    action: { kind: 'fix_clock', label: "Fix the computer's clock" },
    clockSkewSeconds: skew,
  };
}
