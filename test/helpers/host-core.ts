/**
 * A scripted core for host-layer tests: real provider views from the built-in catalog's shape,
 * change events the test fires, and a refresh scheduler whose start and stop are recorded.
 *
 * It stands in for the core only; the host layer, the bridge and each host's wiring under test
 * are the real ones.
 */
import type { ConnectionView, ProviderDefinition, ProviderView } from '../../preload/contract';
import type { HostCore } from '../../main/host/types';

export interface ScriptedCore extends HostCore {
  providers: ProviderView[];
  connections: ConnectionView[];
  /** Calls of listProviders / listConnections, to count batched lists. */
  listed: { providers: number; connections: number };
  /** 'start' and 'stop' of the refresh scheduler, in order. */
  scheduler: string[];
  /** Fire core.onChange as the real core does after a write. */
  change(what: 'connections' | 'providers'): void;
  listeners(): number;
}

/** A provider view as the core builds it (redirect URI left to the caller). */
export function providerView(
  definition: ProviderDefinition,
  builtIn: boolean,
  redirectUri: string | null = null,
): ProviderView {
  return {
    id: definition.id,
    name: definition.name,
    auth: definition.auth,
    builtIn,
    family: definition.id,
    documented: true,
    note: null,
    definition,
    redirectUri,
    clientId: null,
    hasClientSecret: false,
    needs: null,
    warnings: [],
  };
}

/** A connection view with the given id. */
export function connectionView(id: string, providerId = 'sandbox'): ConnectionView {
  return {
    id,
    providerId,
    providerName: providerId,
    auth: 'oauth2',
    label: `Account ${id}`,
    status: 'connected',
    scopes: [],
    expiresAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastTestedAt: null,
    lastTest: null,
    lastError: null,
    canRefresh: true,
  };
}

/** Build the scripted core. */
export function scriptedCore(providers: ProviderView[] = [], connections: ConnectionView[] = []): ScriptedCore {
  const listeners = new Set<(what: 'connections' | 'providers') => void>();
  const unexpected = (name: string) => async () => {
    throw new Error(`${name} is not scripted`);
  };
  const core: ScriptedCore = {
    providers,
    connections,
    listed: { providers: 0, connections: 0 },
    scheduler: [],
    change: (what) => listeners.forEach((l) => l(what)),
    listeners: () => listeners.size,
    listProviders: async () => {
      core.listed.providers += 1;
      return structuredClone(core.providers);
    },
    listConnections: async () => {
      core.listed.connections += 1;
      return structuredClone(core.connections);
    },
    saveProvider: unexpected('saveProvider'),
    importProviders: unexpected('importProviders'),
    exportProviders: unexpected('exportProviders'),
    deleteProvider: unexpected('deleteProvider'),
    setClientCredentials: unexpected('setClientCredentials'),
    removeClientCredentials: unexpected('removeClientCredentials'),
    connect: unexpected('connect'),
    cancelFlow: () => false,
    test: unexpected('test'),
    checkConnections: unexpected('checkConnections'),
    refresh: unexpected('refresh'),
    disconnect: unexpected('disconnect'),
    trace: unexpected('trace'),
    request: unexpected('request'),
    diagnose: unexpected('diagnose'),
    supportBundle: unexpected('supportBundle'),
    readSupportBundle: unexpected('readSupportBundle'),
    previewProviderImport: unexpected('previewProviderImport'),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => undefined,
    startRefreshScheduler: () => {
      core.scheduler.push('start');
      return { stop: async () => void core.scheduler.push('stop') };
    },
  };
  return core;
}
