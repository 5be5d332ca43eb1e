/**
 * Connect: the whole OAuth 2.0 or API-key flow for one provider, start to saved connection.
 *
 * The order matters and is the point of this module: nothing is requested before the callback's
 * state is checked; the code is exchanged once; the token set reaches the keychain before the
 * connection record and before anyone hears "connected"; the "who am I" call only labels the
 * connection and never undoes it, and it holds the record back for at most IDENTIFY_GRACE_MS
 * (a quick answer is saved with the record in one settings write). Every step is reported as a
 * FlowEvent and written to a trace.
 */
import { randomBytes } from 'node:crypto';
import { testApiKey } from '../providers/who-am-i';
import { labelFromIdToken } from '../providers/identity-label';
import {
  appendTrace,
  beforeProviderHttp,
  clientFor,
  findProvider,
  httpFor,
  updateConnection,
  type CoreContext,
} from './context';
import { PatchbayError, toPatchbayError } from '../model/errors';
import { applyIdentity, identify, withinGrace, withoutSecretLabel, type Identity } from './identify';
import { revokeIssued } from './connect-safety';
import { boundTokenSet } from '../oauth/token-bounds';
import { splitScopes } from '../oauth/quirks';
export { IDENTIFY_GRACE_MS } from './identify';
import {
  buildAuthorizationRequest,
  clientAuthFor,
  exchangeCode,
  validateCallback,
  type OAuthClient,
} from '../oauth/authorization-code';
import { providerText } from '../providers/provider-text';
import { grantFor, obtainTokens } from './connect-grants';
import { redactUrl } from '../storage/redact';
import { TraceRecorder } from '../storage/trace';
import { callbackErrorOf } from '../diagnosis/provider-signals';
import { keepIdentity, reconnectTarget, saveConnection } from './save-connection';
import type {
  AccountPrompt,
  Authorizer,
  ConnectHooks,
  ConnectionRecord,
  ConnectionSecret,
  PreparedRedirect,
  SettingsData,
  TokenSet,
} from '../model/types';
import type { ConnectInput, FlowEvent, FlowStage, OAuthGrant, ProviderDefinition } from '../../../preload/contract';

export interface FlowDeps {
  ctx: CoreContext;
  authorizers: Authorizer[];
  flowTimeoutMs: number;
  /** One running flow per provider: its controller, so cancelFlow can stop it. */
  active: Map<string, AbortController>;
}

/**
 * Everything one connect attempt works with, passed as one object from step to step.
 *
 * Built once by runConnect: the provider, what the person asked for, the settings as read at the
 * start, the trace, the abort signal (cancel, timeout), the progress reporter, and what the
 * clean-up needs to know (the prepared redirect, the saved connection's id).
 */
export interface ConnectFlow {
  ctx: CoreContext;
  authorizers: Authorizer[];
  def: ProviderDefinition;
  input: ConnectInput;
  /** Settings as read when the flow started (client ID, ids already taken). */
  data: SettingsData;
  trace: TraceRecorder;
  signal: AbortSignal;
  emit: (stage: FlowStage, message: string, extra?: Partial<FlowEvent>) => void;
  /** The provider's account-picker prompt, if the catalog records one. */
  accountPrompt: AccountPrompt | null;
  /** The connection a reconnect replaces (same id and label), or null for a new connection. */
  replaces: ConnectionRecord | null;
  /** Filled in as the flow goes, for runConnect's clean-up. */
  prepared: PreparedRedirect | null;
  connectionId: string | null;
  /** Set when a reconnect failed after its new secret was kept under the existing record. */
  secretKept: boolean;
}

/** Run one connect flow; resolves with the saved connection record and its provider's name. */
export async function runConnect(
  deps: FlowDeps,
  input: ConnectInput,
  hooks: ConnectHooks = {},
): Promise<{ record: ConnectionRecord; providerName: string; renewsByClient: boolean }> {
  const { ctx } = deps;
  const data = ctx.settings.read();
  const provider = findProvider(ctx, input.providerId, data);
  const def = provider.definition;
  // A reconnect names a connection of this provider; checked before anyone signs in.
  const replaces = reconnectTarget(input, def, data);
  if (deps.active.has(def.id)) {
    throw new PatchbayError(
      'busy',
      `A sign-in to ${def.name} is already in progress. Finish it or cancel it, then try again.`,
    );
  }
  const controller = new AbortController();
  deps.active.set(def.id, controller);
  const timer = setTimeout(
    () =>
      controller.abort(
        new PatchbayError(
          'timeout',
          `The sign-in to ${def.name} took too long, so Patchbay stopped waiting. {connect} to try again.`,
        ),
      ),
    deps.flowTimeoutMs,
  );
  timer.unref();
  const onOuterAbort = (): void => controller.abort(cancelled(def));
  hooks.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (hooks.signal?.aborted) onOuterAbort();
  const flowId = randomBytes(8).toString('hex');
  const flow: ConnectFlow = {
    ctx,
    authorizers: deps.authorizers,
    def,
    input,
    data,
    replaces,
    accountPrompt: provider.accountPrompt,
    trace: new TraceRecorder(`provider:${def.id}`, ctx.clock),
    signal: controller.signal,
    emit: (stage, message, extra = {}) => {
      try {
        hooks.onEvent?.({
          flowId,
          providerId: def.id,
          stage,
          message,
          at: new Date(ctx.clock.now()).toISOString(),
          ...extra,
        });
      } catch {
        // A broken progress listener must not break the sign-in itself.
      }
    },
    prepared: null,
    connectionId: null,
    secretKept: false,
  };
  const { trace, emit } = flow;
  emit('started', `Connecting to ${def.name}.`);
  trace.add({
    step: 'start',
    detail: `Connect to ${def.name} (${def.auth === 'apiKey' ? 'API key' : 'OAuth 2.0'}).`,
    ok: true,
  });
  try {
    const record = def.auth === 'apiKey' ? await connectApiKey(flow) : await connectOAuth(flow);
    emit('connected', `Connected to ${def.name} as ${record.label}.`, { connectionId: record.id });
    trace.add({ step: 'connected', detail: `Connected as ${record.label}.`, ok: true });
    return { record, providerName: def.name, renewsByClient: def.grant === 'client_credentials' };
  } catch (thrown) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    // The abort reason (cancel, timeout) explains the stop, unless the sign-in was ended by forged answers.
    const forged = thrown instanceof PatchbayError && thrown.code === 'state_mismatch';
    const error = reason instanceof PatchbayError && !forged ? reason : toPatchbayError(thrown);
    trace.add({ step: 'failed', detail: `Stopped: ${error.code}.`, ok: false });
    emit(error.code === 'cancelled' ? 'cancelled' : 'failed', error.message, { error: error.toBridge() });
    throw error;
  } finally {
    clearTimeout(timer);
    hooks.signal?.removeEventListener('abort', onOuterAbort);
    deps.active.delete(def.id);
    // Independent clean-ups, so they run side by side; both are done before the caller hears back.
    await Promise.all([
      flow.prepared?.dispose().catch(() => undefined),
      appendTrace(ctx, flow.connectionId ?? `provider:${def.id}`, trace).catch(() => undefined),
    ]);
  }
}

async function connectOAuth(flow: ConnectFlow): Promise<ConnectionRecord> {
  const grant = grantFor(flow.def, flow.input);
  if (grant !== 'authorization_code') {
    const { client, tokens } = await obtainTokens(flow, grant);
    return keepTokens(flow, client, tokens, grant);
  }
  const { ctx, def, trace, signal, emit } = flow;
  const authorizer = pickAuthorizer(flow.authorizers, flow.input.mode, def);
  // The client secret is read from the keychain (a D-Bus round trip) while the redirect is prepared.
  // Both settle before anything is opened (a missing secret is still reported before the user signs
  // in) and before a failure propagates, so runConnect's finally disposes whatever was prepared.
  const preparing = authorizer.prepare(def).then((prepared) => (flow.prepared = prepared));
  const [read] = await Promise.allSettled([clientFor(ctx, def, flow.data), preparing]);
  if (read.status === 'rejected') throw read.reason;
  const client = read.value;
  trace.registerSecret(client.clientSecret);
  clientAuthFor(def, client); // A missing client secret is reported now, not after the user signed in.
  await beforeProviderHttp(ctx, def);
  const prepared = await preparing;
  const request = await buildAuthorizationRequest(def, client.clientId, prepared.redirectUri);
  if (flow.input.anotherAccount && flow.accountPrompt) askForAccountChoice(request.url, flow.accountPrompt);
  trace.registerSecret(request.state);
  trace.registerSecret(request.codeVerifier);
  trace.add({
    step: 'authorize',
    detail: `Opened the ${def.name} sign-in page (${authorizer.mode}).`,
    ok: true,
    url: redactUrl(request.url),
  });
  emit('waiting_for_user', `Sign in at ${def.name} and allow access.`, {
    authorizeUrl: request.url.href,
    mode: authorizer.mode,
  });
  // A cancel or timeout that landed while the page was being prepared ends the flow here: an
  // authorizer only listens for aborts that happen after it starts.
  signal.throwIfAborted();
  const callback = await prepared.authorize(request.url, signal);
  trace.registerSecret(callback.searchParams.get('code'));
  const callbackError = callbackErrorOf(callback);
  trace.add({
    step: 'callback',
    detail: 'The browser came back to Patchbay.',
    ok: callbackError === undefined,
    url: redactUrl(callback),
    ...(callbackError === undefined ? {} : { oauthError: callbackError }),
  });
  const params = validateCallback(def, client.clientId, callback, request);
  emit('exchanging', `Getting tokens from ${def.name}.`);
  const tokens = await exchangeCode(httpFor(ctx, def, trace, signal), def, client, params, request);
  return keepTokens(flow, client, tokens, 'authorization_code');
}

/**
 * Keep a token set the provider just issued: bound it, save it (keychain first), label it.
 * Shared by every grant; `grant` only decides the label used until "who am I" answers.
 */
async function keepTokens(
  flow: ConnectFlow,
  client: OAuthClient,
  tokens: TokenSet,
  grant: OAuthGrant,
): Promise<ConnectionRecord> {
  const { ctx, def, trace, signal, emit } = flow;
  trace.registerSecret(tokens.accessToken);
  trace.registerSecret(tokens.refreshToken);
  trace.registerSecret(tokens.idToken);
  // Nobody signed in to a client-credentials connection: the app's client ID names it.
  const fallbackLabel = grant === 'client_credentials' ? providerText(client.clientId, 120) || def.name : def.name;
  // From here on the provider has issued live tokens: any failure before the record is saved
  // revokes them (best effort) and says so, instead of dropping them where nobody can see them.
  // A reconnect keeps the connection's id (and label, creation time): it replaces it in place.
  const id = flow.replaces?.id ?? newConnectionId(def.id, flow.data);
  const secrets = [tokens.accessToken, tokens.refreshToken, tokens.idToken, client.clientSecret];
  const answered: { quick: Identity | null; call: Promise<Identity> | null } = { quick: null, call: null };
  let saved: ConnectionRecord;
  try {
    const bounded = boundTokenSet(def, tokens);
    for (const notice of bounded.notices) {
      trace.add({ step: 'token_answer', detail: notice, ok: true });
      emit('saving', notice, { notice });
    }
    emit('saving', 'Saving the connection in the keychain.');
    const kept = bounded.tokens;
    const record: ConnectionRecord = keepIdentity(
      {
        // The ID token's claims name the account until (and unless) the "who am I" answer does.
        id,
        providerId: def.id,
        auth: 'oauth2',
        label: labelFromIdToken(kept.idToken) ?? fallbackLabel,
        scopes: kept.scope ? splitScopes(kept.scope) : [...(def.scopes ?? [])],
        expiresAt: kept.expiresAt === undefined ? null : new Date(kept.expiresAt).toISOString(),
        createdAt: new Date(ctx.clock.now()).toISOString(),
        state: 'ok',
        hasRefreshToken: kept.refreshToken !== undefined,
        lastTest: null,
        lastError: null,
      },
      flow.replaces,
    );
    const secret: ConnectionSecret = { kind: 'oauth2', ...kept };
    if (!def.testUrl) return await saveConnection(ctx, trace, secret, record, flow, flow.replaces);
    // "Who am I" only needs the tokens in memory, so it runs while the keychain write does. The
    // record still waits for the keychain; when the answer is in by then (or within the grace
    // period after it), the record is saved already labelled: one settings write instead of two.
    // A slow or hanging test call never holds the record back longer than IDENTIFY_GRACE_MS.
    const call = identify(httpFor(ctx, def, trace, signal), def, kept, secrets);
    answered.call = call;
    // Another account for a provider that has connections: wait for "who am I" before saving, so
    // signing in as an account that is already connected is caught before a duplicate is made
    // (and the tokens just issued for it are revoked below).
    const hasOthers = flow.data.connections.some((c) => c.providerId === def.id);
    if (hasOthers && !flow.replaces && !flow.input.allowSameAccount) refuseSameAccount(flow, await call);
    saved = await saveConnection(ctx, trace, secret, record, flow, flow.replaces, async () => {
      emit('identifying', `Asking ${def.name} which account this is.`);
      answered.quick = await withinGrace(call);
      if (answered.quick) applyIdentity(record, def, answered.quick, ctx.clock.now());
    });
  } catch (error) {
    // A reconnect that kept its new secret under the existing record still works with it: revoking
    // those tokens would break the connection it was meant to repair.
    if (flow.secretKept) throw error;
    throw await revokeIssued(ctx, def, client, tokens, trace, error);
  }
  if (answered.quick || answered.call === null) return saved;
  const late = await answered.call;
  // The connection is saved; a failed label update must not turn it into a failed connect.
  return (
    (await updateConnection(ctx, id, (r) => applyIdentity(r, def, late, ctx.clock.now())).catch(() => null)) ?? saved
  );
}

async function connectApiKey(flow: ConnectFlow): Promise<ConnectionRecord> {
  const { ctx, def, trace, signal, emit } = flow;
  const apiKey = (flow.input.apiKey ?? '').trim();
  if (!apiKey) throw new PatchbayError('invalid_input', `Paste your ${def.name} API key first.`, { field: 'apiKey' });
  if (/[\r\n]/.test(apiKey))
    throw new PatchbayError('invalid_input', 'The API key has a line break in it. Copy it again as one line.', {
      field: 'apiKey',
    });
  trace.registerSecret(apiKey);
  await beforeProviderHttp(ctx, def);
  emit('exchanging', `Checking the key with ${def.name}.`);
  // Tested first: a rejected key throws here and nothing is saved.
  const http = httpFor(ctx, def, trace, signal);
  const result = withoutSecretLabel(await testApiKey(http, def, apiKey), [apiKey], trace, def.name);
  emit('saving', 'Saving the key in the keychain.');
  const id = flow.replaces?.id ?? newConnectionId(def.id, flow.data);
  const now = new Date(ctx.clock.now()).toISOString();
  const record = keepIdentity(
    {
      id,
      providerId: def.id,
      auth: 'apiKey',
      label: def.name,
      scopes: [],
      expiresAt: null,
      createdAt: now,
      state: 'ok',
      hasRefreshToken: false,
      lastTest: { ok: true, httpStatus: result.httpStatus, latencyMs: result.latencyMs, at: now },
      lastError: null,
    },
    flow.replaces,
  );
  // The provider's own name for the account wins over a kept label: it says whose key this is.
  if (result.label) record.label = result.label;
  return saveConnection(ctx, trace, { kind: 'apiKey', apiKey }, record, flow, flow.replaces);
}

/** Stop before saving a second connection for an account this provider already has (unless asked to). */
function refuseSameAccount(flow: ConnectFlow, identity: Identity): void {
  const label = identity.result?.label;
  if (!label) return;
  const same = flow.data.connections.find((c) => c.providerId === flow.def.id && c.label === label);
  if (!same) return;
  flow.trace.add({ step: 'same_account', detail: `Already connected as ${label}; nothing new was saved.`, ok: false });
  throw new PatchbayError(
    'duplicate_account',
    `You signed in to ${flow.def.name} as ${label}, which is already connected, so Patchbay saved nothing new. Sign in as another account, or add ${label} a second time on purpose.`,
    { field: 'account' },
  );
}

/**
 * Add the account-picker prompt to the authorization URL, keeping any prompt the definition
 * already sends (the Sandbox's "consent"): OIDC prompt values are a space-separated list.
 */
export function askForAccountChoice(url: URL, prompt: AccountPrompt): void {
  const values = new Set((url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean));
  values.add(prompt);
  url.searchParams.set('prompt', [...values].join(' '));
}

function pickAuthorizer(authorizers: Authorizer[], mode: ConnectInput['mode'], def: ProviderDefinition): Authorizer {
  const chosen = mode ? authorizers.find((a) => a.mode === mode) : authorizers[0];
  if (!chosen) {
    throw new PatchbayError(
      'invalid_input',
      mode
        ? `This version of Patchbay cannot open the ${def.name} sign-in in ${mode} mode. Try the other option.`
        : 'Patchbay has no way to show a sign-in page here.',
      { field: 'mode' },
    );
  }
  return chosen;
}

function cancelled(def: ProviderDefinition): PatchbayError {
  return new PatchbayError('cancelled', `The sign-in to ${def.name} was cancelled. Nothing was connected.`);
}

/**
 * A readable, unique connection id: "<provider>-<8 hex>".
 *
 * Never one of the ids in `data` (when given), so the vault may treat it as brand new.
 */
export function newConnectionId(providerId: string, data?: SettingsData): string {
  for (;;) {
    const id = `${providerId}-${randomBytes(4).toString('hex')}`;
    if (!data?.connections.some((c) => c.id === id)) return id;
  }
}

export { cancelled as cancelledError };
