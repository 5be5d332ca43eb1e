/**
 * Sessions and their protocol handlers, as Patchbay's Electron layer uses them.
 *
 * A session can only be had after ready (electron_api_session.cc throws "Session can only be
 * received when app is ready"); `protocol.handle` on a scheme already handled throws, as
 * lib/browser/api/protocol.ts does. The stand-in answers custom-scheme loads through the handler
 * the app registered (so the boot test really reads dist/renderer through `app://`), and loads
 * nothing from the network.
 */
import { EventEmitter } from 'node:events';
import type { Lifecycle } from './lifecycle';

type Handler = (request: Request) => Response | Promise<Response>;
type Listener = (...args: unknown[]) => unknown;
/** What webRequest.onBeforeRequest was given (the last listener wins, as in Electron). */
export type BeforeRequest =
  ((details: { url: string; resourceType: string }, callback: (answer: { cancel?: boolean }) => void) => void) | null;

/** `session.protocol` of one session. */
export class ProtocolStandIn {
  readonly handlers = new Map<string, Handler>();

  /**
   * lib/browser/api/protocol.ts `Protocol.prototype.handle`: registering a scheme that already has
   * a handler fails, and Electron then throws `Failed to register protocol: <scheme>`.
   */
  handle(scheme: string, handler: Handler): void {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  /** Same file: unhandling a scheme that has no handler throws `Failed to unhandle protocol`. */
  unhandle(scheme: string): void {
    if (!this.handlers.delete(scheme)) throw new Error(`Failed to unhandle protocol: ${scheme}`);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** Answer one request the way a page load would reach the handler (null: nothing handles it). */
  async fetch(url: string, init?: RequestInit): Promise<Response | null> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    return handler ? handler(new Request(url, init)) : null;
  }
}

/** One Electron Session: permission handlers, webRequest, protocol, events. */
export class SessionStandIn extends EventEmitter {
  readonly protocol = new ProtocolStandIn();
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  beforeRequest: BeforeRequest = null;
  beforeRequestFilter: { urls: string[] } | null = null;
  storageClears = 0;

  constructor(readonly partition: string) {
    super();
  }

  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener | null): void {
    this.devicePermissionHandler = handler;
  }
  async clearStorageData(): Promise<void> {
    this.storageClears += 1;
  }

  /** Every config setProxy accepted, in order (the last one is in force). */
  readonly proxyConfigs: Array<Record<string, unknown>> = [];

  /**
   * docs/api/session.md: "ses.setProxy(config) ... Returns Promise<void> - Resolves when the proxy
   * setting process is complete." docs/api/structures/proxy-config.md: `mode` "Should be one of
   * direct, auto_detect, pac_script, fixed_servers or system"; anything else is refused here.
   */
  async setProxy(config: Record<string, unknown>): Promise<void> {
    const modes = ['direct', 'auto_detect', 'pac_script', 'fixed_servers', 'system'];
    if (config.mode !== undefined && !modes.includes(String(config.mode))) throw new Error('Invalid mode');
    await Promise.resolve();
    this.proxyConfigs.push({ ...config });
  }

  /** docs/api/web-request.md: `onBeforeRequest([filter, ]listener)`; `listener` null removes it. */
  readonly webRequest = {
    onBeforeRequest: (...args: unknown[]): void => {
      const [filter, listener] = args.length >= 2 ? args : [null, args[0]];
      this.beforeRequestFilter = (filter as { urls: string[] } | null) ?? null;
      this.beforeRequest = (listener as BeforeRequest) ?? null;
    },
  };
}

/** The `session` module: `defaultSession` and `fromPartition`, both only after ready. */
export function createSessionModule(lifecycle: Lifecycle) {
  const sessions = new Map<string, SessionStandIn>();
  const guard = () =>
    lifecycle.afterReady(
      'Session can only be received when app is ready',
      'shell/browser/api/electron_api_session.cc FromPartition',
      TypeError,
    );
  const fromPartition = (partition: string, _options?: { cache?: boolean }): SessionStandIn => {
    guard();
    let ses = sessions.get(partition);
    if (!ses) sessions.set(partition, (ses = new SessionStandIn(partition)));
    return ses;
  };
  return {
    sessions,
    module: {
      fromPartition,
      /** lib/browser/api/session.ts: `get defaultSession() { return fromPartition('') }`. */
      get defaultSession(): SessionStandIn {
        return fromPartition('');
      },
    },
  };
}
