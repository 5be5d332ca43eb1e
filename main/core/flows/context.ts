/**
 * What the engine's parts share inside one core: stores, clock, fetch and a few look-ups.
 *
 * The facade (facade/patchbay-engine.ts) and every flow (connect, operations, refresh) work on
 * this one object, so each stays a small module that can be read alone, and the look-ups
 * (provider by id, client credentials, the Sandbox start) are written once.
 */
import path from 'node:path';
import { BUILT_IN_CLIENT_IDS, builtInProvider, builtInProviders, SANDBOX_PROVIDER_IDS } from '../providers/catalog';
import type { PatchbayConfig } from '../model/config';
import { invalidInput, notFound, PatchbayError } from '../model/errors';
import type { HttpContext, TraceSink } from '../providers/provider-http';
import type { OAuthClient } from '../oauth/authorization-code';
import type * as TraceModule from '../storage/trace';
import type { TraceRecorder } from '../storage/trace';
import type {
  Clock,
  ConnectionRecord,
  ConnectionSecret,
  FetchLike,
  ProviderRecord,
  SandboxStarter,
  SecretVault,
  SettingsData,
  SettingsStore,
  Sleep,
} from '../model/types';
import type { ProviderDefinition } from '../../../preload/contract';

export interface CoreContext {
  config: PatchbayConfig;
  settings: SettingsStore;
  vault: SecretVault;
  clock: Clock;
  fetch: FetchLike;
  httpTimeoutMs: number;
  /** Waits between device-code polls. */
  sleep: Sleep;
  emit(what: 'connections' | 'providers'): void;
  /** Starts (or finds) the built-in Sandbox; supplied by the host, absent when nothing may start it. */
  startSandbox?: SandboxStarter;
}

const builtInCache = new WeakMap<PatchbayConfig, ProviderRecord[]>();

/**
 * The trace module, imported on first use and kept: reading settings (listing, `patchbay status`)
 * does not need it, and importing it again on every connect costs a module resolution each time.
 */
let traceModule: Promise<typeof TraceModule> | null = null;

/**
 * The catalog for one config, validated once per config object and handed out as a copy.
 *
 * Building it parses every built-in definition with zod; doing that on each provider look-up
 * (several times per connect) cost more than the look-ups themselves.
 */
function builtInsFor(config: PatchbayConfig): ProviderRecord[] {
  return structuredClone(sharedBuiltIns(config)) as ProviderRecord[];
}

/** The cached catalog itself: only for looking at, never handed out (see builtInsFor). */
function sharedBuiltIns(config: PatchbayConfig): readonly ProviderRecord[] {
  let cached = builtInCache.get(config);
  if (!cached) {
    cached = builtInProviders(config);
    builtInCache.set(config, cached);
  }
  return cached;
}

const builtInOneCache = new WeakMap<PatchbayConfig, Map<string, ProviderRecord | null>>();

/**
 * One built-in provider, never handed out (see findProvider): from the catalog when it is built,
 * else validated alone and kept, so a command about one connection validates one definition.
 */
function sharedBuiltIn(config: PatchbayConfig, id: string): ProviderRecord | null {
  const all = builtInCache.get(config);
  if (all) return all.find((p) => p.definition.id === id) ?? null;
  let one = builtInOneCache.get(config);
  if (!one) builtInOneCache.set(config, (one = new Map()));
  if (!one.has(id)) one.set(id, builtInProvider(config, id));
  return one.get(id) ?? null;
}

/** A custom definition saved in settings, as a provider record. */
function customRecord(definition: ProviderDefinition): ProviderRecord {
  return { definition, builtIn: false, family: definition.id, documented: false, note: null, accountPrompt: null };
}

/** Built-in providers plus the custom ones saved in settings (custom ids never shadow built-ins). */
export function allProviders(ctx: CoreContext, data: SettingsData = ctx.settings.read()): ProviderRecord[] {
  const builtIns = builtInsFor(ctx.config);
  const ids = new Set(builtIns.map((p) => p.definition.id));
  const custom = data.providers.filter((d) => !ids.has(d.id)).map(customRecord);
  return [...builtIns, ...custom];
}

/** The real wait: a timer that ends early (rejecting with the reason) when `signal` aborts. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** One provider by id, or not_found. */
export function findProvider(ctx: CoreContext, providerId: string, data?: SettingsData): ProviderRecord {
  // Only the one asked for is copied (copying the whole catalog cost more than the look-up).
  const builtIn = sharedBuiltIn(ctx.config, providerId);
  if (builtIn) return structuredClone(builtIn);
  const custom = (data ?? ctx.settings.read()).providers.find((d) => d.id === providerId);
  if (!custom) throw notFound('provider', providerId);
  return customRecord(custom);
}

/** One connection record by id (fresh from settings), or not_found. */
export function findConnection(ctx: CoreContext, connectionId: string): ConnectionRecord {
  const found = ctx.settings.read().connections.find((c) => c.id === connectionId);
  if (!found) throw notFound('connection', connectionId);
  return found;
}

/**
 * Client ID (settings, or the catalog's default) and secret (vault) for an OAuth provider.
 *
 * Fails with invalid_input on field "clientId" when nothing is set up yet. `data` saves a second
 * read of the settings file when the caller has just read it.
 */
export async function clientFor(
  ctx: CoreContext,
  def: ProviderDefinition,
  data: SettingsData = ctx.settings.read(),
): Promise<OAuthClient> {
  const saved = data.clients[def.id];
  const clientId = saved?.clientId || BUILT_IN_CLIENT_IDS[def.id];
  if (!clientId) {
    throw new PatchbayError('invalid_input', `${def.name} needs the client ID of your OAuth app first. {setup}.`, {
      field: 'clientId',
    });
  }
  const needsSecret = (def.tokenAuthMethod ?? 'client_secret_post') !== 'none';
  const clientSecret = needsSecret ? await ctx.vault.getClientSecret(def.id) : null;
  return { clientId, clientSecret };
}

/** An HttpContext for calls to one provider. */
export function httpFor(
  ctx: CoreContext,
  def: ProviderDefinition,
  trace: TraceSink,
  signal?: AbortSignal,
): HttpContext {
  return {
    fetch: ctx.fetch,
    clock: ctx.clock,
    timeoutMs: ctx.httpTimeoutMs,
    trace,
    providerName: def.name,
    ...(signal ? { signal } : {}),
  };
}

/** Start (or find) the built-in Sandbox before any HTTP to it; other providers need nothing. */
export async function beforeProviderHttp(ctx: CoreContext, def: ProviderDefinition): Promise<void> {
  if (!SANDBOX_PROVIDER_IDS.has(def.id)) return;
  // The host passes the starter in: the core never imports the Sandbox (a host-side server built
  // on the core's types), so the two layers do not depend on each other.
  await ctx.startSandbox?.(ctx.config);
}

/** Append a flow's entries to a subject's saved trace (the newest 200 are kept). */
export async function appendTrace(ctx: CoreContext, subject: string, recorder: TraceRecorder): Promise<void> {
  // Several processes may finish a flow on one connection at once: each append is a new file of
  // its own (no read-modify-write, no lock), folded into the trace now and then (trace.ts).
  const { appendTraceEntries } = await (traceModule ??= import('../storage/trace'));
  await appendTraceEntries(ctx.config.home, subject, recorder.entries(), recorder.knownSecrets());
}

/** Lock file path for one connection's refresh. */
export function refreshLockPath(ctx: CoreContext, connectionId: string): string {
  return path.join(ctx.config.home, 'locks', connectionId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** Update one connection record under the settings lock; a missing record is left alone. */
export async function updateConnection(
  ctx: CoreContext,
  connectionId: string,
  change: (record: ConnectionRecord) => void,
): Promise<ConnectionRecord | null> {
  const updated = await ctx.settings.update((data) => {
    const record = data.connections.find((c) => c.id === connectionId);
    if (!record) return null;
    change(record);
    return { ...record };
  });
  ctx.emit('connections');
  return updated;
}

/**
 * A connection's secret, or: mark the connection "needs you to sign in again" and fail.
 *
 * The keychain can lose a secret behind Patchbay's back (another keyring, a wiped keychain, a
 * throwaway test keyring). Whichever operation notices first records it at once, so status,
 * lists and change events all say "needs you" instead of "connected" until someone reconnects.
 */
export async function secretOrReconnect(
  ctx: CoreContext,
  record: ConnectionRecord,
  def: ProviderDefinition,
): Promise<ConnectionSecret> {
  const secret = await ctx.vault.getConnectionSecret(record.id);
  if (secret && secret.kind === record.auth) return secret;
  const error = new PatchbayError(
    'not_found',
    `Your keychain no longer holds the ${record.auth === 'apiKey' ? 'API key' : 'sign-in'} for this ${def.name} connection (another keyring, or the keychain was reset). {reconnect} to ${record.auth === 'apiKey' ? 'paste the key' : 'sign in'} again.`,
  );
  await updateConnection(ctx, record.id, (r) => {
    r.state = 'needs_reconnect';
    r.lastError = error.toBridge();
  });
  throw error;
}

/** Refuse a custom definition that would reuse a built-in provider's id. */
export function checkNotBuiltIn(ctx: CoreContext, def: ProviderDefinition): void {
  if (sharedBuiltIns(ctx.config).some((p) => p.definition.id === def.id)) {
    throw invalidInput(
      'id',
      `"${def.id}" is the ID of a built-in provider. Choose another ID, for example "${def.id}-custom".`,
    );
  }
}
