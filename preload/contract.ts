/**
 * The bridge contract: the only definition of what the renderer may ask for and receive.
 *
 * Every host (Electron IPC, the loopback web host) answers exactly these channels, and the
 * renderer only ever sees the *views* declared here. No view carries a token, authorization
 * code, client secret or API key; secrets only travel renderer -> main, as write-only inputs.
 * This file is imported for types everywhere and for the two runtime lists below; keep it free
 * of imports so the sandboxed preload bundle stays tiny.
 */

/** Stable error codes. The CLI's `--json` output and the bridge both use them. */
export const ERROR_CODES = [
  'access_denied',
  'state_mismatch',
  'invalid_grant',
  'invalid_client',
  'timeout',
  'network',
  'provider_error',
  'rate_limited',
  'cancelled',
  'keychain_unavailable',
  'invalid_input',
  'not_found',
  'busy',
  'duplicate_account',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses the bridge: a stable code and a sentence a person can act on. */
export interface BridgeError {
  code: ErrorCode;
  message: string;
  /** For invalid_input: the field at fault (e.g. "tokenUrl"). */
  field?: string;
  /** For rate_limited: seconds until a retry is allowed, when the provider said so. */
  retryAfterSeconds?: number;
  /** For invalid_input with several problems (a form): each one at its field; the first is `field`/`message`. */
  issues?: Array<{ field: string; message: string }>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type AuthKind = 'oauth2' | 'apiKey';
export type TokenAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'none';
export type TokenRequestFormat = 'form' | 'json';
export type RevocationStyle = 'rfc7009' | 'livechat-delete' | 'none';
/** embedded: the app's own auth window (Electron); browser: the system browser + a callback it can catch. */
export type AuthorizeMode = 'embedded' | 'browser';
/**
 * How an OAuth 2.0 connection gets its token: a person signing in through a browser
 * (authorization_code, the default), the app's own client ID and secret with nobody signing in
 * (client_credentials, machine to machine), or a code typed on another device (device_code,
 * RFC 8628, for machines without a usable browser).
 */
export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'device_code';

/**
 * A provider definition: the import/export format. Non-secret by construction (no client secret,
 * no client ID: those are set per machine with `credentials:set`).
 */
export interface ProviderDefinition {
  id: string;
  name: string;
  auth: AuthKind;
  // OAuth 2.0
  /** How a connection gets its token (default "authorization_code"). */
  grant?: OAuthGrant;
  authorizationUrl?: string;
  tokenUrl?: string;
  /** The device authorization endpoint (RFC 8628 §3.1); needed for grant "device_code" and `connect --device`. */
  deviceAuthorizationUrl?: string;
  revocationUrl?: string;
  revocationStyle?: RevocationStyle;
  /** Issuer identifier; when set, the `iss` callback parameter is required to match (RFC 9207). */
  issuer?: string;
  scopes?: string[];
  /** How scopes are joined in the authorization request (default " "). */
  scopeSeparator?: string;
  pkce?: boolean;
  /** Some providers document the method name in lower case ("s256"). Default "S256". */
  pkceMethodName?: string;
  tokenAuthMethod?: TokenAuthMethod;
  tokenRequestFormat?: TokenRequestFormat;
  extraAuthorizeParams?: Record<string, string>;
  /** A fixed redirect URI registered at the provider (e.g. an HTTPS URL the auth window catches). */
  redirectUri?: string;
  /** Fixed loopback port for the browser flow when the provider matches redirect URIs exactly. */
  loopbackPort?: number;
  /** A page the provider shows errors on instead of redirecting (LiveChat's /ooops). */
  errorPageUrl?: string;
  // API key
  apiKeyHeader?: string;
  apiKeyPrefix?: string;
  // Both
  /**
   * Base of the provider's API: relative paths in `patchbay request` and Try a request resolve
   * against it, and a connection's token is only ever sent to its origin (or to the origins of
   * the provider's other endpoints). Default: the origin of `testUrl`.
   */
  apiBaseUrl?: string;
  /** The cheap "who am I" call used to test a connection and label it. */
  testUrl?: string;
  /** Dot path into the test response JSON that names the account (e.g. "email" or "data.name"). */
  labelPath?: string;
  docsUrl?: string;
  apiKeyHelpUrl?: string;
}

export interface ProviderView {
  id: string;
  name: string;
  auth: AuthKind;
  builtIn: boolean;
  /** Groups the ways to connect one service (e.g. "landbot" API key and "landbot-oauth"). */
  family: string;
  /** True when this auth method is in the provider's own public docs. */
  documented: boolean;
  /** A sentence shown under the provider, e.g. why a method may not work for everyone. */
  note: string | null;
  definition: ProviderDefinition;
  /** For OAuth: the redirect URI to register at the provider for this host. */
  redirectUri: string | null;
  clientId: string | null;
  /** The client secret is write-only: the UI only learns whether one is saved. */
  hasClientSecret: boolean;
  /**
   * What is still missing before Connect can work, in a word; null when ready. A client-credentials
   * provider also needs its client secret, since nobody signs in.
   */
  needs: 'client_id' | 'client_secret' | null;
  /** Sentences about weaker settings the definition chose (e.g. PKCE turned off), shown wherever the provider is. */
  warnings: string[];
}

/** How a provider update may be applied. */
export interface ProviderChangeOptions {
  /**
   * Accept moving an endpoint of a provider that has connections or a client secret to another
   * origin. Its connections then need a new sign-in and the client secret must be entered again.
   */
  allowOriginChange?: boolean;
}

/** One field an import or save changes (values as they are in the definition). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** An endpoint whose origin (scheme, host, port) an update changes. */
export interface OriginChange {
  field: string;
  from: string;
  to: string;
}

/** What importing one definition would change, shown before it is applied. */
export interface ProviderImportPreview {
  id: string;
  name: string;
  action: 'added' | 'updated' | 'unchanged';
  changes: FieldChange[];
  originChanges: OriginChange[];
  /** Connections that would need a new sign-in if the origin change is accepted. */
  connections: number;
  hasClientSecret: boolean;
  /** True when applying it needs allowOriginChange. */
  needsConfirmation: boolean;
  warnings: string[];
}

export type ConnectionStatus = 'connected' | 'expiring' | 'expired' | 'needs_reconnect' | 'error';

export interface LastTest {
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  at: string;
}

export interface ConnectionView {
  id: string;
  providerId: string;
  providerName: string;
  auth: AuthKind;
  /** Account label from the provider's "who am I" call, or the provider name. */
  label: string;
  status: ConnectionStatus;
  scopes: string[];
  /** ISO time the access token expires; null when it does not (API keys, non-expiring tokens). */
  expiresAt: string | null;
  createdAt: string;
  lastTestedAt: string | null;
  lastTest: LastTest | null;
  lastError: BridgeError | null;
  canRefresh: boolean;
  /** ISO time a test or check last confirmed the connection works; absent when none has yet. */
  lastVerifiedAt?: string;
  /** The outcome of the last test or health check; absent when none has run yet. */
  lastCheck?: LastCheck;
}

/**
 * What a health check found: `ok` works; `needs_reconnect` needs the person to sign in (or paste
 * the key) again; `error` the provider or the network failed; `rate_limited` the provider asked
 * Patchbay to wait longer than the check may, so it was not asked (see `retryAt`).
 */
export type CheckStatus = 'ok' | 'needs_reconnect' | 'error' | 'rate_limited';

/** An error as a check reports it: the stable code and the sentence for people. */
export interface CheckError {
  code: ErrorCode;
  message: string;
}

/** The last test or check of a connection, kept on its record so it survives restarts. */
export interface LastCheck {
  at: string;
  status: CheckStatus;
  httpStatus: number | null;
  latencyMs: number;
  error: CheckError | null;
  /** With rate_limited: the first moment the provider's host may be asked again. */
  retryAt?: string;
}

/** One connection's health check (`patchbay check --json` prints an array of exactly these). */
export interface CheckResult {
  id: string;
  providerId: string;
  label: string;
  status: CheckStatus;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: string;
  error: CheckError | null;
}

export interface TestResult {
  ok: boolean;
  connectionId: string;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: string;
  label: string | null;
  error: BridgeError | null;
  connection: ConnectionView;
}

export interface TraceEntry {
  at: string;
  /** Short machine name of the step, e.g. "authorize", "token_request", "keychain_write". */
  step: string;
  /** One redacted sentence for people. */
  detail: string;
  ok: boolean;
  durationMs?: number;
  httpStatus?: number;
  method?: string;
  /** Redacted URL (query values of sensitive parameters replaced). */
  url?: string;
  /**
   * The technical line for support ("POST answered 200 (application/json, 798 bytes)"): shown in
   * the details' meta and the diagnostics, while `detail` stays in plain words.
   */
  technical?: string;
  /**
   * Seconds the provider's clock (its `Date` header) is ahead of this computer's, positive when
   * the provider is ahead. Measured on every answer; absent when the header was missing or unusable.
   */
  clockSkewSeconds?: number;
  /** The provider's OAuth error name (`redirect_uri_mismatch`, `invalid_client`, …), when it sent one. */
  oauthError?: string;
  /** The scope a 403 `WWW-Authenticate: Bearer error="insufficient_scope"` asked for. */
  scopeNeeded?: string;
  /** For a 429: the seconds the provider's Retry-After asked to wait. */
  retryAfterSeconds?: number;
  /** For a request that got no answer: the transport's error name (`CERT_HAS_EXPIRED`, `ECONNREFUSED`, …). */
  transportError?: string;
}

/** What a diagnosis is about: one known failure signature. */
export type DiagnosisCode =
  | 'redirect_uri_mismatch'
  | 'invalid_client'
  | 'insufficient_scope'
  | 'invalid_grant'
  | 'clock_skew'
  | 'rate_limited'
  | 'tls'
  | 'proxy';

/**
 * What the person can do about a diagnosis. `copy`: copy `value` (the redirect URI) and register
 * it at the provider; `setup`: open Set up; `reconnect`: sign in again; `retry`: try again at
 * `retryAt`; `fix_clock`: set the computer's clock; `check_network`: check the proxy or network.
 */
export interface DiagnosisAction {
  kind: 'copy' | 'setup' | 'reconnect' | 'retry' | 'fix_clock' | 'check_network';
  /** The button's words ("Copy redirect URI", "Open Set up"). */
  label: string;
  /** With `copy`: the text to copy. */
  value?: string;
}

/** A known failure, in one plain sentence and one action. Shared by the app, the CLI and support bundles. */
export interface Diagnosis {
  code: DiagnosisCode;
  sentence: string;
  action: DiagnosisAction;
  /** With redirect_uri_mismatch: the exact redirect URI to register. */
  redirectUri?: string;
  /** With insufficient_scope: the scope that is missing, when the provider named it. */
  scope?: string;
  /** With rate_limited: when a retry is allowed (ISO time), when the provider said. */
  retryAt?: string;
  /** With clock_skew: the provider's clock minus this computer's, in seconds. */
  clockSkewSeconds?: number;
}

/** A support bundle ready to be written: its suggested file name and its JSON text. */
export interface SupportBundleFile {
  fileName: string;
  text: string;
}

/** What "Save support bundle" did: saved by the host (desktop), or handed to the page to download (web). */
export interface BundleSaveResult {
  saved: boolean;
  fileName: string;
  /** When the page must save it itself (the web host): the bundle's text. */
  text: string | null;
}

/** One JWT's header and claims as a bundle keeps them: names, and values only for the safe claims. */
export interface JwtClaimsView {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * A support bundle as read back (format version 1): what the customer's Patchbay saw. Read-only,
 * validated and cleaned when opened; never imported as providers or connections.
 */
export interface SupportBundleView {
  format: 'patchbay-support-bundle';
  formatVersion: 1;
  createdAt: string;
  app: { version: string; os: string; arch: string; node: string };
  provider: ProviderDefinition;
  connection: ConnectionView;
  trace: TraceEntry[];
  scopes: { requested: string[]; granted: string[]; missing: string[] };
  tokens: { accessToken: JwtClaimsView | null; idToken: JwtClaimsView | null };
  clockSkewSeconds: number | null;
  diagnosis: Diagnosis | null;
}

export interface TraceView {
  /** The connection id, or "provider:<id>" for the last attempt that made no connection. */
  subject: string;
  entries: TraceEntry[];
}

export type FlowStage =
  'started' | 'waiting_for_user' | 'exchanging' | 'saving' | 'identifying' | 'connected' | 'failed' | 'cancelled';

/**
 * What a person needs to finish a device-code sign-in (RFC 8628) on another device. The values
 * come from the provider and were checked by the core: the addresses are https:// (or http:// on
 * this computer), the code is short and plain.
 */
export interface DeviceCodeView {
  /** The page where the code is entered. */
  verificationUri: string;
  /** The same page with the code already filled in, when the provider offers it. */
  verificationUriComplete: string | null;
  /** The code to enter; not a secret on its own (the device code that goes with it is). */
  userCode: string;
  /** Seconds until the code expires. */
  expiresIn: number;
}

export interface FlowEvent {
  flowId: string;
  providerId: string;
  stage: FlowStage;
  message: string;
  at: string;
  /** With waiting_for_user: the page the user signs in on (never contains a secret). */
  authorizeUrl?: string;
  /** With waiting_for_user on the web host: the renderer opens authorizeUrl in a new tab. */
  openInRenderer?: boolean;
  /**
   * With waiting_for_user: where the sign-in page is shown. `embedded` (the desktop app's own
   * window) is the one a person may switch to the system browser with `flows:useBrowser`.
   */
  mode?: AuthorizeMode;
  connectionId?: string;
  error?: BridgeError;
  /** Something the person should know that is not a failure (e.g. a provider's answer was cut to fit). */
  notice?: string;
  /** With waiting_for_user in a device-code sign-in: the address and the code to enter there. */
  device?: DeviceCodeView;
}

export interface AppInfo {
  host: 'electron' | 'web';
  version: string;
  /** Whether the Electron embedded auth window is available. */
  embeddedAuth: boolean;
  settingsNotice: string | null;
  /**
   * Why the system keychain cannot be used right now, with the fix; null when it answers. Checked
   * when the app starts, so nobody finds out only after a whole sign-in.
   */
  keychainProblem: string | null;
}

/**
 * What a host decided about a link the page wants to open. `allowed` false: nothing opens.
 * `openInRenderer`: the host has no window of its own (web host), so the page opens it in a tab.
 */
export interface LinkDecision {
  allowed: boolean;
  openInRenderer: boolean;
}

export interface ConnectInput {
  providerId: string;
  /** API-key providers only: the key to test and save. */
  apiKey?: string;
  mode?: AuthorizeMode;
  /**
   * Reconnect: the id of a connection of this provider to replace (same id and label, new
   * secret) instead of adding a new one. For a connection that needs you to sign in again.
   */
  reconnect?: string;
  /**
   * "Connect another account": ask the provider to show its sign-in or account choice again
   * (where the catalog says it supports that) instead of reusing the account signed in there.
   */
  anotherAccount?: boolean;
  /** Save even when the account signed in is already connected (otherwise `duplicate_account`). */
  allowSameAccount?: boolean;
  /**
   * Sign in with a code on another device (RFC 8628) instead of a browser here. Needs the
   * provider's deviceAuthorizationUrl; providers with grant "device_code" use it anyway.
   */
  device?: boolean;
}

export interface CredentialsInput {
  providerId: string;
  /** Required: an empty one is refused (removing a set-up is `credentials:remove`). */
  clientId: string;
  /** Omit to keep the saved one; empty string removes it. */
  clientSecret?: string;
}

/** One API call through a connection (Try a request, `patchbay request`). */
export interface ApiRequestInput {
  connectionId: string;
  /** HTTP method, upper case (GET, POST, …). Default GET. */
  method?: string;
  /** A path relative to the provider's API base, or an absolute URL on one of its origins. */
  path: string;
  /** Extra request headers; the credential header is set by Patchbay and cannot be given here. */
  headers?: Array<[name: string, value: string]>;
  body?: string;
}

/** What was cut from a response body that was longer than the bound. */
export interface ApiBodyCut {
  /** Bytes kept (the body shown is their UTF-8 text). */
  shownBytes: number;
  /** The whole body's size when the provider said (Content-Length), else null (only "more"). */
  totalBytes: number | null;
}

/**
 * The provider's answer to one API call. Known secrets (the connection's tokens or key) are
 * replaced by "[redacted]" in the headers and body, so a provider that echoes them cannot leak
 * them to the page or a terminal.
 */
export interface ApiResponseView {
  status: number;
  statusText: string;
  /** The URL that was called, with sensitive query values redacted. */
  url: string;
  method: string;
  /** Response headers in order, names lower case. */
  headers: Array<[name: string, value: string]>;
  /** The body as text (bounded: see `cut`). */
  body: string;
  /** The body parsed as JSON when it was JSON and complete; otherwise undefined. */
  json?: unknown;
  contentType: string;
  /** Null when the whole body is here. */
  cut: ApiBodyCut | null;
  durationMs: number;
  /** True when the access token was renewed for this call (it was due, or the provider said 401). */
  refreshed: boolean;
}

/**
 * Request channels: the arguments, the result and the core method that answers each one.
 *
 * This is the one place a channel is declared. The core's method signatures (PatchbayCore), the
 * bridge's argument checks and dispatch, the Electron IPC registration and the preload's allow-list
 * are all derived from it, so adding a channel is an entry here and in CORE_METHODS below, its
 * argument schema (main/core/facade/bridge-args.ts) and the core method itself; the compiler
 * points at each one. `method: null` means the host answers the channel itself.
 */
export interface PatchbayMethods {
  'app:info': { args: []; result: AppInfo; method: null };
  'providers:list': { args: []; result: ProviderView[]; method: 'listProviders' };
  'providers:save': {
    args: [definition: ProviderDefinition, options?: ProviderChangeOptions];
    result: ProviderView;
    method: 'saveProvider';
  };
  'providers:import': {
    args: [json: string, options?: ProviderChangeOptions];
    result: ProviderView[];
    method: 'importProviders';
  };
  'providers:preview': { args: [json: string]; result: ProviderImportPreview[]; method: 'previewProviderImport' };
  'providers:export': { args: [ids?: string[]]; result: string; method: 'exportProviders' };
  'providers:delete': { args: [providerId: string]; result: null; method: 'deleteProvider' };
  'credentials:set': { args: [input: CredentialsInput]; result: ProviderView; method: 'setClientCredentials' };
  /** Forget the client ID and delete the client secret: the provider is "Not set up" again. */
  'credentials:remove': { args: [providerId: string]; result: ProviderView; method: 'removeClientCredentials' };
  'connections:list': { args: []; result: ConnectionView[]; method: 'listConnections' };
  'connections:connect': { args: [input: ConnectInput]; result: ConnectionView; method: 'connect' };
  'flows:cancel': { args: [providerId: string]; result: boolean; method: 'cancelFlow' };
  /** Move the provider's open sign-in window to the system browser (same attempt). */
  'flows:useBrowser': { args: [providerId: string]; result: boolean; method: null };
  /** Ask the host to open a documentation or help link (the one link policy decides). */
  'links:open': { args: [url: string]; result: LinkDecision; method: null };
  'connections:test': { args: [connectionId: string]; result: TestResult; method: 'test' };
  /** Check the given connections (all when none are given) under the per-host rate rules. */
  'connections:check': { args: [ids?: string[]]; result: CheckResult[]; method: 'checkConnections' };
  'connections:refresh': { args: [connectionId: string]; result: ConnectionView; method: 'refresh' };
  'connections:disconnect': { args: [connectionId: string]; result: null; method: 'disconnect' };
  'connections:trace': { args: [subject: string]; result: TraceView; method: 'trace' };
  'connections:request': { args: [input: ApiRequestInput]; result: ApiResponseView; method: 'request' };
  /** The diagnosis of a connection's last failure (or of a provider's last attempt: "provider:<id>"). */
  'connections:diagnose': { args: [subject: string]; result: Diagnosis | null; method: 'diagnose' };
  /** Build a connection's support bundle (no secret in it, checked before it is handed out). */
  'connections:bundle': { args: [connectionId: string]; result: SupportBundleFile; method: 'supportBundle' };
  /**
   * "Save support bundle": the desktop host asks where to save and writes the file; the web host
   * hands the text back for the page to download.
   */
  'bundles:save': { args: [connectionId: string]; result: BundleSaveResult; method: null };
  /** Read a support bundle someone sent (hostile input: checked, bounded, cleaned), for display only. */
  'bundles:read': { args: [text: string]; result: SupportBundleView; method: 'readSupportBundle' };
}
export type Channel = keyof PatchbayMethods;
export type ArgsOf<C extends Channel> = PatchbayMethods[C]['args'];
export type ResultOf<C extends Channel> = PatchbayMethods[C]['result'];
/** The core method behind a channel (null for channels the host answers). */
export type MethodOf<C extends Channel> = PatchbayMethods[C]['method'];

/** Events pushed from main to the renderer. */
export interface PatchbayEvents {
  'connections:changed': ConnectionView[];
  'providers:changed': ProviderView[];
  'flow:progress': FlowEvent;
}
export type EventName = keyof PatchbayEvents;

/**
 * The channels at run time, with their core method. A channel missing here, misspelt, or with
 * another method than in PatchbayMethods is a compile error.
 */
export const CORE_METHODS: { readonly [C in Channel]: MethodOf<C> } = {
  'app:info': null,
  'providers:list': 'listProviders',
  'providers:save': 'saveProvider',
  'providers:import': 'importProviders',
  'providers:preview': 'previewProviderImport',
  'providers:export': 'exportProviders',
  'providers:delete': 'deleteProvider',
  'credentials:set': 'setClientCredentials',
  'credentials:remove': 'removeClientCredentials',
  'connections:list': 'listConnections',
  'connections:connect': 'connect',
  'flows:cancel': 'cancelFlow',
  'flows:useBrowser': null,
  'links:open': null,
  'connections:test': 'test',
  'connections:check': 'checkConnections',
  'connections:refresh': 'refresh',
  'connections:disconnect': 'disconnect',
  'connections:trace': 'trace',
  'connections:request': 'request',
  'connections:diagnose': 'diagnose',
  'connections:bundle': 'supportBundle',
  'bundles:save': null,
  'bundles:read': 'readSupportBundle',
};
export const CHANNELS = Object.keys(CORE_METHODS) as Channel[];

const EVENT_SET: { readonly [E in EventName]: true } = {
  'connections:changed': true,
  'providers:changed': true,
  'flow:progress': true,
};
export const EVENTS = Object.keys(EVENT_SET) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CORE_METHODS, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_SET, value);
}

/** What the renderer finds on `window.patchbay` (Electron preload) or builds over HTTP (web host). */
export interface PatchbayApi {
  invoke<C extends Channel>(channel: C, ...args: ArgsOf<C>): Promise<Result<ResultOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: PatchbayEvents[E]) => void): () => void;
}
