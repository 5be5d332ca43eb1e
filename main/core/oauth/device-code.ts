/**
 * The device authorization grant (RFC 8628), on oauth4webapi: sign in on another device.
 *
 * oauth4webapi sends the requests and parses the answers; this module adds what RFC 8628 leaves
 * to the client: treating every value the provider sends as hostile before a person sees it (a
 * verification address is only ever https://, or http:// on this computer; the code is short and
 * plain), and polling politely (the provider's interval, 5 s more after each `slow_down`, §3.5)
 * until the person says yes or no, the code expires, or the flow is cancelled or times out.
 */
import * as oauth from 'oauth4webapi';
import { PatchbayError } from '../model/errors';
import { isLoopbackUrl, type HttpContext } from '../providers/provider-http';
import type { TokenSet } from '../model/types';
import type { DeviceCodeView, ProviderDefinition } from '../../../preload/contract';
import {
  authorizationServer,
  clientAuthFor,
  errorName,
  mapTokenError,
  requestOptions,
  toTokenSet,
  type OAuthClient,
} from './authorization-code';

/** RFC 8628 §3.2: without an `interval`, the client waits 5 seconds between polls. */
export const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: each `slow_down` adds 5 seconds to the interval, for this and every later poll. */
export const SLOW_DOWN_STEP_SECONDS = 5;
/** Bounds on the provider's numbers: no poll storm below 1 s, no silent hour-long wait per poll. */
export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 60;
/** Longest a code is believed to live (an hour); `expires_in` above it is clamped. */
export const MAX_EXPIRES_IN_SECONDS = 3600;
/** A user code is typed by a person: short, letters, digits and dashes (RFC 8628 §6.1). */
export const USER_CODE = /^[A-Za-z0-9-]{1,32}$/;
const MAX_URL_CHARS = 2048;
const MAX_DEVICE_CODE_CHARS = 4096;

/** A started device authorization: what the person sees, and the secret device code kept here. */
export interface DeviceAuthorization {
  view: DeviceCodeView;
  /** Secret: whoever holds it can collect the tokens once the person approves. */
  deviceCode: string;
  intervalSeconds: number;
}

/** How the poll loop waits and reads the time (the core's clock; tests pass fakes). */
export interface PollTiming {
  now(): number;
  /** Resolve after `ms`, or reject with the signal's reason when it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
  /** Called after each answer that says "keep waiting", with the interval now in force. */
  onWait?: (intervalSeconds: number, reason: 'authorization_pending' | 'slow_down') => void;
}

function hostile(def: ProviderDefinition, what: string): PatchbayError {
  return new PatchbayError(
    'provider_error',
    `${def.name} sent a device sign-in answer Patchbay will not show you (${what}). Nothing was connected. Check the Device authorization endpoint in Set up, or ask ${def.name} about it.`,
    { field: 'deviceAuthorizationUrl' },
  );
}

/**
 * A verification address a person may be sent to: https://, or http:// only on this computer;
 * no user name or password; not overlong. Returns the normalised href, or null.
 */
export function safeVerificationUri(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_URL_CHARS || /[\u0000-\u001f\u007f-\u009f\s]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && isLoopbackUrl(url)) return url.href;
  return null;
}

/** Check the provider's device authorization answer; throws provider_error for anything unsafe. */
export function checkDeviceAuthorization(
  def: ProviderDefinition,
  res: oauth.DeviceAuthorizationResponse,
): DeviceAuthorization {
  const verificationUri = safeVerificationUri(res.verification_uri);
  if (!verificationUri) throw hostile(def, 'its verification address is not an https:// address');
  if (typeof res.user_code !== 'string' || !USER_CODE.test(res.user_code))
    throw hostile(def, 'its code is not a short code of letters, digits and dashes');
  if (typeof res.device_code !== 'string' || res.device_code === '' || res.device_code.length > MAX_DEVICE_CODE_CHARS)
    throw hostile(def, 'its device code is missing or too long');
  // The pre-filled address must lead to the same site as the plain one; otherwise it is left out.
  const complete = safeVerificationUri(res.verification_uri_complete);
  const sameSite = complete !== null && new URL(complete).origin === new URL(verificationUri).origin;
  const expires = Number.isFinite(res.expires_in) && res.expires_in > 0 ? res.expires_in : 0;
  if (expires === 0) throw hostile(def, 'it did not say how long the code lasts');
  const interval =
    typeof res.interval === 'number' && Number.isFinite(res.interval) ? res.interval : DEFAULT_INTERVAL_SECONDS;
  return {
    view: {
      verificationUri,
      verificationUriComplete: sameSite ? complete : null,
      userCode: res.user_code,
      expiresIn: Math.min(Math.round(expires), MAX_EXPIRES_IN_SECONDS),
    },
    deviceCode: res.device_code,
    intervalSeconds: Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, interval)),
  };
}

/** Step 1 (RFC 8628 §3.1): ask for a device code and a user code. */
export async function startDeviceAuthorization(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
): Promise<DeviceAuthorization> {
  if (!def.deviceAuthorizationUrl) {
    throw new PatchbayError(
      'invalid_input',
      `${def.name} has no Device authorization endpoint, so it cannot sign in with a code. Add it to the provider (often ending in /device or /device/code), or connect without --device.`,
      { field: 'deviceAuthorizationUrl' },
    );
  }
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  const params = new URLSearchParams();
  if (def.scopes && def.scopes.length > 0) params.set('scope', def.scopes.join(def.scopeSeparator ?? ' '));
  let res: oauth.DeviceAuthorizationResponse;
  try {
    const response = await oauth.deviceAuthorizationRequest(
      as,
      c,
      clientAuthFor(def, client),
      params,
      requestOptions(ctx, def, 'device', def.deviceAuthorizationUrl),
    );
    res = await oauth.processDeviceAuthorizationResponse(as, c, response);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && error.error !== 'invalid_client') {
      throw new PatchbayError(
        'provider_error',
        `${def.name} refused to start a sign-in with a code (${errorName(error.error)}). Check that your ${def.name} app allows the device flow, and its settings in Set up.`,
        { httpStatus: error.status, field: 'deviceAuthorizationUrl' },
      );
    }
    if (error instanceof oauth.OperationProcessingError)
      throw hostile(def, 'it is missing the code, the address or how long the code lasts');
    throw mapTokenError(def, error, 'exchange');
  }
  return checkDeviceAuthorization(def, res);
}

/**
 * Step 2 (RFC 8628 §3.4-3.5): poll the token endpoint until the person decides.
 *
 * Waits the interval before each poll; `authorization_pending` waits again, `slow_down` adds
 * SLOW_DOWN_STEP_SECONDS for this and later polls, `access_denied` and `expired_token` end the
 * flow with their own sentence, and so does reaching the code's expiry without an answer.
 */
export async function pollDeviceToken(
  ctx: HttpContext,
  def: ProviderDefinition,
  client: OAuthClient,
  device: DeviceAuthorization,
  timing: PollTiming,
): Promise<TokenSet> {
  const as = authorizationServer(def);
  const c: oauth.Client = { client_id: client.clientId };
  const auth = clientAuthFor(def, client);
  const deadline = timing.now() + device.view.expiresIn * 1000;
  let interval = device.intervalSeconds;
  for (;;) {
    await timing.sleep(interval * 1000, timing.signal);
    timing.signal.throwIfAborted();
    if (timing.now() >= deadline) throw codeExpired(def, device);
    try {
      const response = await oauth.deviceCodeGrantRequest(
        as,
        c,
        auth,
        device.deviceCode,
        requestOptions(ctx, def, 'token', def.tokenUrl),
      );
      return toTokenSet(await oauth.processDeviceCodeResponse(as, c, response), ctx, def);
    } catch (error) {
      const code = error instanceof oauth.ResponseBodyError ? error.error : null;
      if (code === 'authorization_pending') {
        timing.onWait?.(interval, code);
        continue;
      }
      if (code === 'slow_down') {
        interval = Math.min(MAX_INTERVAL_SECONDS * 2, interval + SLOW_DOWN_STEP_SECONDS);
        timing.onWait?.(interval, code);
        continue;
      }
      if (code === 'access_denied') {
        throw new PatchbayError(
          'access_denied',
          `You said no at ${def.name}, so nothing was connected. {connect} to try again.`,
        );
      }
      if (code === 'expired_token') throw codeExpired(def, device);
      throw mapTokenError(def, error, 'exchange');
    }
  }
}

function codeExpired(def: ProviderDefinition, device: DeviceAuthorization): PatchbayError {
  return new PatchbayError(
    'timeout',
    `The code ${device.view.userCode} expired before the sign-in at ${def.name} was finished, so nothing was connected. {connect} to get a new code.`,
  );
}
