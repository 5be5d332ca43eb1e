/**
 * The PatchbayCore facade: providers, client credentials and connections in one object.
 *
 * Every host (Electron, the web host, the CLI, tests) calls this and nothing else. It owns the
 * wiring (stores, authorizers, the refresh coordinator, change listeners); the flows themselves
 * live in flows/connect.ts and flows/operations.ts. Listing providers and connections reads
 * settings only, never the keychain.
 *
 * The flow modules (OAuth engine, HTTP, locks, traces) are loaded on first use, and `fetch` is
 * looked up on first call: `patchbay status` only lists, and must start about as fast as Node.
 */
import { allProviders, findConnection, findProvider, timerSleep, type CoreContext } from '../flows/context';
import { applyProviderUpdate, previewProviders } from '../flows/provider-update';
import { BUILT_IN_CLIENT_IDS } from '../providers/catalog';
import type { FlowDeps } from '../flows/connect';
import type { PatchbayConfig } from '../model/config';
import { invalidInput, notFound, PatchbayError, toPatchbayError } from '../model/errors';
import {
  exportProviders as exportDefinitions,
  parseProviderDefinition,
  parseProviderImport,
} from '../providers/provider-schema';
import type { RefreshCoordinator, RefreshScheduler } from '../flows/refresh';
import type { CheckRunOptions } from '../health/check-connections';
import type { CheckRunner } from '../health/check-runner';
import { watchSettings, type SettingsWatcher } from '../storage/settings-watch';
import { healthCheckSetting } from '../storage/settings-schema';
import type {
  ConnectHooks,
  ConnectionRecord,
  CoreOptions,
  CredentialSource,
  FetchLike,
  PatchbayCore,
} from '../model/types';
import type {
  ApiRequestInput,
  ApiResponseView,
  BridgeError,
  CheckResult,
  ConnectInput,
  ConnectionView,
  CredentialsInput,
  NetworkSettingsInput,
  NetworkSettingsView,
  DiscoverOptions,
  Diagnosis,
  SupportBundleFile,
  SupportBundleView,
  ProviderChangeOptions,
  ProviderDefinition,
  ProviderDiscovery,
  ProviderImportPreview,
  ProviderView,
  TestResult,
  TraceView,
} from '../../../preload/contract';
import { toConnectionView, toProviderView } from './views';

/** The keychain account the start-up check asks for; it is never written. */
const KEYCHAIN_CHECK_ACCOUNT = 'patchbay-keychain-check';

type ChangeListener = (what: 'connections' | 'providers') => void;

/** A module loaded once, on first use (later calls share the same promise). */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  return () => (loaded ??= load());
}

const loadConnectFlow = lazy(() => import('../flows/connect'));
const loadConnectSafety = lazy(() => import('../flows/connect-safety'));
const loadConnectionOps = lazy(() => import('../flows/operations'));
const loadRefresh = lazy(() => import('../flows/refresh'));
const loadTraceModule = lazy(() => import('../storage/trace'));
const loadApiRequest = lazy(() => import('../requests/api-request'));
const loadCredential = lazy(() => import('../requests/connection-credential'));
const loadApiTarget = lazy(() => import('../requests/api-target'));
const loadNetworkSettings = lazy(() => import('../network/network-settings'));
const loadDiscovery = lazy(() => import('../providers/discovery'));
const loadDiagnose = lazy(() => import('../diagnosis/diagnose-subject'));
const loadBundle = lazy(() => import('../diagnosis/support-bundle'));
const loadBundleSchema = lazy(() => import('../diagnosis/bundle-schema'));
const loadChecks = lazy(() => import('../health/check-connections'));
const loadCheckRunner = lazy(() => import('../health/check-runner'));

/**
 * The global fetch, looked up when first called: reading `globalThis.fetch` makes Node load its
 * HTTP client (undici), which commands that never call a provider should not pay for.
 */
const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/** The core. Build it with createCore / createDefaultCore. */
export class PatchbayEngine implements PatchbayCore, CredentialSource {
  private readonly ctx: CoreContext;
  private readonly listeners = new Set<ChangeListener>();
  /** One coordinator per core (created on first use), so in-process callers share a refresh. */
  private refresherPromise: Promise<RefreshCoordinator> | null = null;
  /** The sweep of interrupted connects, run once per core before the first keychain operation. */
  private swept: Promise<void> | null = null;
  private readonly flows: FlowDeps;
  /** Set once a connect has run; a flow can only be active (and cancelled) after that. */
  private connectFlow: Awaited<ReturnType<typeof loadConnectFlow>> | null = null;
  private readonly schedulers = new Set<RefreshScheduler>();
  private watcher: SettingsWatcher | null = null;
  /** One runner per core, so a host's Retry-After window and slots hold across runs. */
  private checkRunner: CheckRunner | null = null;

  constructor(
    private readonly options: CoreOptions,
    config: PatchbayConfig,
  ) {
    this.ctx = {
      config,
      settings: options.settings,
      vault: options.vault,
      clock: options.clock ?? { now: () => Date.now() },
      fetch: options.fetch ?? globalFetch,
      httpTimeoutMs: options.httpTimeoutMs ?? 20_000,
      sleep: options.sleep ?? timerSleep,
      emit: (what) => this.emit(what),
      ...(options.startSandbox ? { startSandbox: options.startSandbox } : {}),
    };
    this.flows = {
      ctx: this.ctx,
      authorizers: options.authorizers,
      flowTimeoutMs: options.flowTimeoutMs ?? 10 * 60_000,
      active: new Map(),
    };
  }

  /** The settings store's one-time notice (a corrupt file was moved aside), for hosts to show. */
  get settingsNotice(): string | null {
    return this.ctx.settings.notice;
  }

  async listProviders(): Promise<ProviderView[]> {
    const data = this.ctx.settings.read();
    return allProviders(this.ctx, data).map((p) =>
      toProviderView(p, data.clients[p.definition.id], this.options.authorizers[0], BUILT_IN_CLIENT_IDS),
    );
  }

  /**
   * Save a custom provider. The definition is parsed here even when the bridge already did:
   * callers inside the process (tests, future hosts) may hand over anything.
   */
  async saveProvider(input: unknown, options: ProviderChangeOptions = {}): Promise<ProviderView> {
    const def = parseProviderDefinition(input);
    await applyProviderUpdate(this.ctx, [def], options);
    return this.providerView(def.id);
  }

  async importProviders(json: string, options: ProviderChangeOptions = {}): Promise<ProviderView[]> {
    const defs = parseProviderImport(json);
    await applyProviderUpdate(this.ctx, defs, options);
    return Promise.all(defs.map((d) => this.providerView(d.id)));
  }

  async previewProviderImport(json: string): Promise<ProviderImportPreview[]> {
    return previewProviders(this.ctx, parseProviderImport(json));
  }

  async exportProviders(ids?: string[]): Promise<string> {
    const all = allProviders(this.ctx);
    const chosen =
      ids === undefined
        ? all
        : ids.map((id) => {
            const found = all.find((p) => p.definition.id === id);
            if (!found) throw notFound('provider', id);
            return found;
          });
    return exportDefinitions(chosen.map((p) => p.definition));
  }

  /** Draft a provider definition from an issuer's metadata (providers/discovery.ts); nothing is saved. */
  async discoverProvider(issuer: string, options: DiscoverOptions = {}): Promise<ProviderDiscovery> {
    const { discoverProvider } = await loadDiscovery();
    return discoverProvider(this.ctx, issuer, options);
  }

  async deleteProvider(providerId: string): Promise<null> {
    const provider = findProvider(this.ctx, providerId);
    if (provider.builtIn)
      throw invalidInput('providerId', `${provider.definition.name} is built in and cannot be deleted.`);
    const used = this.ctx.settings.read().connections.filter((c) => c.providerId === providerId).length;
    if (used > 0) {
      throw invalidInput(
        'providerId',
        `${provider.definition.name} still has ${used} connection${used === 1 ? '' : 's'}. Disconnect ${used === 1 ? 'it' : 'them'} first, then delete the provider.`,
      );
    }
    await this.ctx.vault.deleteClientSecret(providerId);
    await this.ctx.settings.update((data) => {
      data.providers = data.providers.filter((d) => d.id !== providerId);
      delete data.clients[providerId];
    });
    this.emit('providers');
    return null;
  }

  async setClientCredentials(input: CredentialsInput): Promise<ProviderView> {
    await this.sweepInterrupted();
    const def = findProvider(this.ctx, input.providerId).definition;
    if (def.auth !== 'oauth2')
      throw invalidInput('providerId', `${def.name} uses an API key, so it has no client ID or secret.`);
    const clientId = input.clientId.trim();
    // An empty field is a mistake to point at, never a silent "remove": that is removeClientCredentials.
    if (clientId === '')
      throw invalidInput('clientId', `Client ID is empty. Paste the client ID of your ${def.name} app.`);
    if (/\s/.test(clientId))
      throw invalidInput('clientId', 'The client ID has spaces or line breaks in it. Copy it again from the provider.');
    let hasSecret: boolean | undefined;
    if (input.clientSecret === '') {
      await this.ctx.vault.deleteClientSecret(def.id);
      hasSecret = false;
    } else if (input.clientSecret !== undefined) {
      await this.ctx.vault.setClientSecret(def.id, input.clientSecret.trim());
      hasSecret = true;
    }
    await this.ctx.settings.update((data) => {
      const previous = data.clients[def.id];
      data.clients[def.id] = { clientId, hasClientSecret: hasSecret ?? previous?.hasClientSecret === true };
    });
    this.emit('providers');
    return this.providerView(def.id);
  }

  async removeClientCredentials(providerId: string): Promise<ProviderView> {
    const def = findProvider(this.ctx, providerId).definition;
    if (def.auth !== 'oauth2')
      throw invalidInput('providerId', `${def.name} uses an API key, so it has no client ID or secret.`);
    await this.ctx.vault.deleteClientSecret(def.id);
    await this.ctx.settings.update((data) => {
      delete data.clients[def.id];
    });
    this.emit('providers');
    return this.providerView(def.id);
  }

  async listConnections(): Promise<ConnectionView[]> {
    const data = this.ctx.settings.read();
    // Only the providers the connections use: a look-up each, not the whole catalog validated and copied.
    const defs = new Map<string, ProviderDefinition | undefined>();
    for (const { providerId } of data.connections) {
      if (defs.has(providerId)) continue;
      try {
        defs.set(providerId, findProvider(this.ctx, providerId, data).definition);
      } catch (error) {
        // A record whose provider was removed still lists, under its provider id.
        if (!(error instanceof PatchbayError && error.code === 'not_found')) throw error;
        defs.set(providerId, undefined);
      }
    }
    const now = this.ctx.clock.now();
    return data.connections.map((c) => {
      const def = defs.get(c.providerId);
      return toConnectionView(c, def?.name ?? c.providerId, now, def?.grant === 'client_credentials');
    });
  }

  async checkKeychain(): Promise<BridgeError | null> {
    try {
      await this.ctx.vault.getClientSecret(KEYCHAIN_CHECK_ACCOUNT);
      return null;
    } catch (error) {
      const mapped = toPatchbayError(error);
      // Only "no keychain" is a start-up banner; anything else shows where it happens.
      return mapped.code === 'keychain_unavailable' ? mapped.toBridge() : null;
    }
  }

  async connect(input: ConnectInput, hooks?: ConnectHooks): Promise<ConnectionView> {
    await this.sweepInterrupted();
    this.connectFlow ??= await loadConnectFlow();
    const { record, providerName, renewsByClient } = await this.connectFlow.runConnect(this.flows, input, hooks);
    // The record as it was just written under the settings lock: no need to read the file again.
    return toConnectionView(record, providerName, this.ctx.clock.now(), renewsByClient);
  }

  cancelFlow(providerId: string): boolean {
    const running = this.flows.active.get(providerId);
    if (!running || !this.connectFlow) return false;
    const def = findProvider(this.ctx, providerId).definition;
    running.abort(this.connectFlow.cancelledError(def));
    return true;
  }

  async test(connectionId: string): Promise<TestResult> {
    await this.sweepInterrupted();
    const [{ testConnection }, refresher] = await Promise.all([loadConnectionOps(), this.refresher()]);
    const outcome = await testConnection(this.ctx, refresher, connectionId);
    return {
      ok: outcome.ok,
      connectionId,
      httpStatus: outcome.httpStatus,
      latencyMs: outcome.latencyMs,
      checkedAt: outcome.checkedAt,
      label: outcome.label,
      error: outcome.error ? outcome.error.toBridge() : null,
      connection: this.viewOf(outcome.record),
    };
  }

  async checkConnections(ids?: string[], options: CheckRunOptions = {}): Promise<CheckResult[]> {
    await this.sweepInterrupted();
    const [{ checkConnections }, { CheckRunner, realTimers }, refresher] = await Promise.all([
      loadChecks(),
      loadCheckRunner(),
      this.refresher(),
    ]);
    this.checkRunner ??= new CheckRunner({
      timers: { now: () => this.ctx.clock.now(), sleep: realTimers.sleep },
      ...this.options.checks,
    });
    return checkConnections(this.ctx, refresher, this.checkRunner, ids, options);
  }

  async refresh(connectionId: string): Promise<ConnectionView> {
    await this.sweepInterrupted();
    const [{ refreshConnection }, refresher] = await Promise.all([loadConnectionOps(), this.refresher()]);
    const record = await refreshConnection(this.ctx, refresher, connectionId);
    return this.viewOf(record);
  }

  async disconnect(connectionId: string): Promise<null> {
    await this.sweepInterrupted();
    const { disconnectConnection } = await loadConnectionOps();
    await disconnectConnection(this.ctx, connectionId);
    return null;
  }

  async getNetworkSettings(): Promise<NetworkSettingsView> {
    const { networkView, savedNetwork } = await loadNetworkSettings();
    return networkView(this.options.env ?? {}, savedNetwork(this.ctx.settings), this.options.describeNetwork);
  }

  async saveNetworkSettings(input: NetworkSettingsInput): Promise<NetworkSettingsView> {
    const { networkView, saveNetwork } = await loadNetworkSettings();
    const saved = await saveNetwork(this.ctx.settings, this.ctx.vault, input);
    return networkView(this.options.env ?? {}, saved, this.options.describeNetwork);
  }

  async trace(subject: string): Promise<TraceView> {
    const { loadTrace } = await loadTraceModule();
    return loadTrace(this.ctx.config.home, subject);
  }

  /**
   * The diagnosis of a connection's last failure, from its saved trace and last error; for
   * "provider:<id>", of that provider's last attempt that made no connection.
   */
  async diagnose(subject: string): Promise<Diagnosis | null> {
    const { diagnoseSubject } = await loadDiagnose();
    return diagnoseSubject(this.ctx, subject, (id) => this.redirectUriOf(id));
  }

  /** A connection's support bundle (see diagnosis/support-bundle.ts); refused if a secret slipped in. */
  async supportBundle(connectionId: string): Promise<SupportBundleFile> {
    const { buildSupportBundle } = await loadBundle();
    const record = findConnection(this.ctx, connectionId);
    return buildSupportBundle(this.ctx, connectionId, {
      appVersion: this.options.appVersion ?? 'unknown',
      redirectUri: this.redirectUriOf(record.providerId),
    });
  }

  /** Read a support bundle someone sent, for display only (hostile input: see bundle-schema.ts). */
  async readSupportBundle(text: string): Promise<SupportBundleView> {
    const { readSupportBundle } = await loadBundleSchema();
    return readSupportBundle(text);
  }

  async request(
    input: ApiRequestInput,
    options: { maxBodyBytes?: number; signal?: AbortSignal } = {},
  ): Promise<ApiResponseView> {
    const { runApiRequest } = await loadApiRequest();
    return runApiRequest(this.ctx, () => this.refresher(), input, options);
  }

  async credentialFor(connectionId: string): Promise<{ value: string; apiBase: string | null; refreshed: boolean }> {
    const [{ freshCredential }, { apiBaseOf }] = await Promise.all([loadCredential(), loadApiTarget()]);
    const fresh = await freshCredential(this.ctx, () => this.refresher(), connectionId);
    return { value: fresh.value, apiBase: apiBaseOf(fresh.def), refreshed: fresh.refreshed };
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    this.watcher ??= watchSettings(this.ctx.settings, (what) => this.notify(what));
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  /** Refresh connections expiring within `marginMs` (used by startRefreshScheduler). */
  async refreshDue(marginMs: number): Promise<void> {
    await this.sweepInterrupted();
    const [{ refreshDue }, refresher] = await Promise.all([loadConnectionOps(), this.refresher()]);
    return refreshDue(this.ctx, refresher, marginMs);
  }

  /** How often a running host checks every connection (settings: preferences.healthCheckHours). */
  healthSettings(): { intervalMs: number; problem: string | null } {
    return healthCheckSetting(this.ctx.settings.read().preferences);
  }

  /** Keep tokens fresh while this host runs; returns the scheduler's stop handle. */
  startRefreshScheduler(marginMs = 5 * 60_000, intervalMs?: number): RefreshScheduler {
    let stopped = false;
    // The scheduler starts as soon as its module is loaded, unless stop() came first.
    const started = loadRefresh().then(({ startRefreshScheduler }) =>
      stopped ? null : startRefreshScheduler(this, { marginMs, ...(intervalMs === undefined ? {} : { intervalMs }) }),
    );
    const handle: RefreshScheduler = {
      stop: async () => {
        stopped = true;
        this.schedulers.delete(handle);
        await (await started)?.stop();
      },
    };
    this.schedulers.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    for (const [providerId] of this.flows.active) this.cancelFlow(providerId);
    await Promise.all([...this.schedulers].map((s) => s.stop()));
    this.schedulers.clear();
    this.listeners.clear();
    this.stopWatching();
  }

  /** The refresh coordinator, created on first use. */
  /**
   * Revoke and delete what connects killed mid-save left in the keychain (connect-safety.ts).
   * A failure (a locked keychain) leaves the notes for the next start and never blocks the call.
   */
  private sweepInterrupted(): Promise<void> {
    return (this.swept ??= loadConnectSafety()
      .then(({ sweepPending }) => sweepPending(this.ctx))
      .catch(() => undefined));
  }

  private refresher(): Promise<RefreshCoordinator> {
    return (this.refresherPromise ??= loadRefresh().then(({ RefreshCoordinator }) => new RefreshCoordinator(this.ctx)));
  }

  /** A change this process made: announce it and mark it seen for the file watcher. */
  private emit(what: 'connections' | 'providers'): void {
    this.watcher?.sync();
    this.notify(what);
  }

  private stopWatching(): void {
    this.watcher?.stop();
    this.watcher = null;
  }

  private notify(what: 'connections' | 'providers'): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(what);
      } catch {
        // A listener's failure must not break the operation that changed the data.
      }
    }
  }

  private providerView(providerId: string): ProviderView {
    const data = this.ctx.settings.read();
    const provider = findProvider(this.ctx, providerId, data);
    return toProviderView(provider, data.clients[providerId], this.options.authorizers[0], BUILT_IN_CLIENT_IDS);
  }

  /** The redirect URI this host registers for a provider (null for API-key providers or no authorizer). */
  private redirectUriOf(providerId: string): string | null {
    const def = findProvider(this.ctx, providerId).definition;
    const authorizer = this.options.authorizers[0];
    return def.auth === 'oauth2' && authorizer ? authorizer.describeRedirectUri(def) : null;
  }

  private viewOf(record: ConnectionRecord): ConnectionView {
    const def = allProviders(this.ctx).find((p) => p.definition.id === record.providerId)?.definition;
    return toConnectionView(
      record,
      def?.name ?? record.providerId,
      this.ctx.clock.now(),
      def?.grant === 'client_credentials',
    );
  }
}
