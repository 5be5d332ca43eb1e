/**
 * Core model and ports.
 *
 * The core is pure Node: everything that differs per host (how the sign-in page is shown, where
 * settings live, the keychain, time, HTTP) comes in through these interfaces, so the same engine
 * runs in Electron, in the web host, in the CLI and in tests.
 */
import type {
  ArgsOf,
  AuthKind,
  AuthorizeMode,
  BridgeError,
  Channel,
  ConnectionStatus,
  FlowEvent,
  LastCheck,
  LastTest,
  MethodOf,
  ProviderDefinition,
  ResultOf,
  TraceEntry,
} from '../../../preload/contract';
import type { PatchbayConfig } from './config';
import type { RunnerOptions } from '../health/check-runner';
import type { CheckRunOptions } from '../health/check-connections';

/** A provider as the core keeps it: the definition plus catalog facts. */
export interface ProviderRecord {
  definition: ProviderDefinition;
  builtIn: boolean;
  family: string;
  documented: boolean;
  note: string | null;
  /**
   * How to ask this provider for its account picker on "Connect another account" (the OAuth
   * `prompt` value it supports), or null when it documents none: then the sign-in may go
   * straight to the account already signed in there.
   */
  accountPrompt: AccountPrompt | null;
}

/** `prompt` values that make a provider show its sign-in or account choice again (OIDC Core §3.1.2.1). */
export type AccountPrompt = 'select_account' | 'login';

/** A connection as stored in settings. Non-secret: the tokens live in the vault. */
export interface ConnectionRecord {
  id: string;
  providerId: string;
  auth: AuthKind;
  label: string;
  scopes: string[];
  expiresAt: string | null;
  createdAt: string;
  /** needs_reconnect and error are sticky states; connected/expiring/expired are derived from expiresAt. */
  state: 'ok' | 'needs_reconnect' | 'error';
  hasRefreshToken: boolean;
  lastTest: LastTest | null;
  lastError: BridgeError | null;
  /** When a test or check last confirmed it works (absent in files from before health checks). */
  lastVerifiedAt?: string;
  /** The last test or check's outcome; its `retryAt` keeps a provider's Retry-After across restarts. */
  lastCheck?: LastCheck;
}

/** Client credentials per provider (the client ID is not secret; the secret lives in the vault). */
export interface ClientRecord {
  clientId: string;
  /**
   * Whether a client secret is saved in the vault for this provider. Kept here so
   * listing providers never reads the keychain; written by setClientCredentials.
   */
  hasClientSecret?: boolean;
}

/** The whole non-secret settings document (schema-validated, versioned). */
export interface SettingsData {
  schemaVersion: number;
  providers: ProviderDefinition[];
  clients: Record<string, ClientRecord>;
  connections: ConnectionRecord[];
  preferences: { theme: 'system' | 'light' | 'dark' };
}

/** Settings port. Implementations lock across processes around `update`. */
export interface SettingsStore {
  read(): SettingsData;
  /** Read-modify-write under a cross-process lock; the mutator sees the latest file contents. */
  update<T>(mutate: (data: SettingsData) => T): Promise<T>;
  /** A sentence to show once if the file was corrupt and was moved aside; otherwise null. */
  readonly notice: string | null;
  readonly path: string;
}

/** The secret set of one connection. Lives only in the vault and in main-process memory. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
  scope?: string;
  idToken?: string;
}

export interface ApiKeySecret {
  apiKey: string;
}

export type ConnectionSecret = ({ kind: 'oauth2' } & TokenSet) | ({ kind: 'apiKey' } & ApiKeySecret);

/** Keychain port (keytar in production and in keychain tests). */
export interface SecretVault {
  getConnectionSecret(connectionId: string): Promise<ConnectionSecret | null>;
  /**
   * Save a connection's secret. `options.isNew` says the id was just made up for a connection
   * that never existed, so no stale chunk entries can sit under it and the vault may skip the
   * clean-up probe (one keychain round trip per connect).
   */
  setConnectionSecret(connectionId: string, secret: ConnectionSecret, options?: { isNew?: boolean }): Promise<void>;
  deleteConnectionSecret(connectionId: string): Promise<void>;
  getClientSecret(providerId: string): Promise<string | null>;
  setClientSecret(providerId: string, secret: string): Promise<void>;
  deleteClientSecret(providerId: string): Promise<void>;
}

export interface Clock {
  now(): number;
}

export type FetchLike = typeof fetch;

/** A redirect the host is ready to catch for one authorization attempt. */
export interface PreparedRedirect {
  readonly redirectUri: string;
  /**
   * Show the authorization page and resolve with the callback URL (the first navigation to the
   * redirect URI, or the provider's error page). Rejects with PatchbayError `cancelled` when the
   * user closes the window/tab or `signal` aborts, `timeout` when the host gives up.
   */
  authorize(authorizationUrl: URL, signal: AbortSignal): Promise<URL>;
  dispose(): Promise<void>;
}

/** How a host shows the sign-in page and catches the redirect (docs/architecture.md, the connect path). */
export interface Authorizer {
  readonly mode: AuthorizeMode;
  prepare(provider: ProviderDefinition): Promise<PreparedRedirect>;
  /** The redirect URI this authorizer would use, for the "register this redirect URI" hint. */
  describeRedirectUri(provider: ProviderDefinition): string;
}

export interface ConnectHooks {
  onEvent?: (event: FlowEvent) => void;
  signal?: AbortSignal;
}

/**
 * Starts (or finds) the built-in Sandbox before the core talks to it.
 *
 * A port, not an import: the Sandbox server lives in main/sandbox and is built on the core, so the
 * host hands the core a starter (main/sandbox/starter.ts) instead of the core reaching back.
 */
export type SandboxStarter = (config: PatchbayConfig) => Promise<unknown>;

export interface CoreOptions {
  /** PATCHBAY_HOME: settings, locks, traces, sandbox state. */
  home: string;
  /** keytar service name (PATCHBAY_KEYCHAIN_SERVICE). */
  keychainService: string;
  settings: SettingsStore;
  vault: SecretVault;
  /** Authorizers this host offers; the first is the default. */
  authorizers: Authorizer[];
  clock?: Clock;
  fetch?: FetchLike;
  /** Whole-flow timeout for connect, in ms (default 10 minutes). */
  flowTimeoutMs?: number;
  /** HTTP timeout per provider request, in ms (default 20 s). */
  httpTimeoutMs?: number;
  /** Sandbox port (PATCHBAY_SANDBOX_PORT; default 47615): the catalog's Sandbox URLs and its starter need it. */
  sandboxPort?: number;
  /** Starts the Sandbox on demand; without it a Sandbox connect expects one to be running already. */
  startSandbox?: SandboxStarter;
  /**
   * Waits between device-code polls (default: a timer). Tests pass one that records the waits and
   * moves a fake clock, so the RFC 8628 intervals are checked without waiting for them.
   */
  sleep?: Sleep;
  /** The app's version, written into support bundles (the core cannot read package.json itself). */
  appVersion?: string;
  /** Health-check rules: concurrency per host, retries, backoff, longest Retry-After wait, timers. */
  checks?: RunnerOptions;
}

/** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A core method's name, as the contract lists it (channels the host answers have none). */
export type CoreMethod = NonNullable<MethodOf<Channel>>;
/** The channel a core method answers. */
type ChannelOf<M extends CoreMethod> = { [C in Channel]: MethodOf<C> extends M ? C : never }[Channel];

/** One async method per contract channel, its arguments and result taken from preload/contract.ts. */
export type ContractMethods = { [M in CoreMethod]: (...args: ArgsOf<ChannelOf<M>>) => Promise<ResultOf<ChannelOf<M>>> };

/**
 * What every host calls: the contract's methods, plus what only hosts need.
 *
 * Two methods widen the contract's shape for hosts: `connect` also takes progress hooks and an
 * abort signal (the bridge forwards the events; the CLI cancels on Ctrl+C), and `cancelFlow` is
 * synchronous so a signal handler can call it.
 */
export interface PatchbayCore extends Omit<ContractMethods, 'connect' | 'cancelFlow' | 'request' | 'checkConnections'> {
  connect(...args: [...ArgsOf<'connections:connect'>, hooks?: ConnectHooks]): Promise<ResultOf<'connections:connect'>>;
  cancelFlow(...args: ArgsOf<'flows:cancel'>): ResultOf<'flows:cancel'>;
  /**
   * Ask the keychain for an entry that never exists: null when it answers, otherwise the
   * keychain_unavailable error with the fix. Optional so stand-in cores need not implement it.
   */
  checkKeychain?(): Promise<BridgeError | null>;
  /**
   * One API call through a connection (origin rule, refresh when due, one 401 retry, bounded
   * body); the answer never carries the connection's secrets. Hosts also pass how much of the
   * body to keep (the app keeps less than the CLI) and a signal to cancel it.
   */
  request(
    ...args: [...ArgsOf<'connections:request'>, options?: { maxBodyBytes?: number; signal?: AbortSignal }]
  ): Promise<ResultOf<'connections:request'>>;
  /**
   * Health-check connections (all when `ids` is undefined) under the per-host rules; hosts may
   * also spread the starts, stop the run, and hear each result as it is recorded.
   */
  checkConnections(
    ...args: [...ArgsOf<'connections:check'>, options?: CheckRunOptions]
  ): Promise<ResultOf<'connections:check'>>;
  /** Called after any change to connections or providers (this process or, on re-read, another). */
  onChange(listener: (what: 'connections' | 'providers') => void): () => void;
  close(): Promise<void>;
}

/**
 * The one door through which a secret leaves the core: for `patchbay token` and `patchbay exec`.
 *
 * Deliberately not part of PatchbayCore, which mirrors the bridge: no channel can be wired to it,
 * so the renderer can never ask for a token.
 */
export interface CredentialSource {
  /** The access token (refreshed when due) or API key, and the provider's API base. */
  credentialFor(connectionId: string): Promise<{ value: string; apiBase: string | null; refreshed: boolean }>;
}

export type { ConnectionStatus, TraceEntry };
