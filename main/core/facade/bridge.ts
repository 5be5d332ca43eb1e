/**
 * The bridge handlers: one validated function per contract channel, shared by every host.
 *
 * Electron IPC and the loopback web host both receive untrusted argument arrays; bridge-args.ts
 * checks them against the contract before the core is called. Every outcome is a `Result`,
 * because Electron keeps only the message of a rejected `invoke` and HTTP has no exceptions.
 */
import {
  CHANNELS,
  CORE_METHODS,
  type AppInfo,
  type ArgsOf,
  type Channel,
  type FlowEvent,
  type LinkDecision,
  type Result,
  type ResultOf,
} from '../../../preload/contract';
import { PatchbayError, invalidInput, toPatchbayError } from '../model/errors';
import type { PatchbayCore } from '../model/types';
import { parseArgs } from './bridge-args';

export { parseArgs } from './bridge-args';

/** What a host tells the bridge about itself, and where flow progress goes. */
export interface BridgeContext {
  host: AppInfo['host'];
  version: string;
  embeddedAuth: boolean;
  /** The settings store's one-time notice (corrupt file moved aside), if any. */
  settingsNotice?: () => string | null;
  /** Receives each flow:progress event of a connect started through the bridge. */
  onFlowEvent?: (event: FlowEvent) => void;
  /**
   * The host's link policy (main/host). Without one, no link is opened: a host that forgot to
   * wire it fails closed.
   */
  openLink?: (url: string) => Promise<LinkDecision>;
  /** Move a provider's open sign-in window to the system browser; absent where there is no such window. */
  useBrowser?: (providerId: string) => Promise<boolean>;
  /**
   * Ask where to save a file and write it (the desktop host's save dialog). Absent on the web host:
   * the page then downloads the text itself. Resolves false when the person cancelled.
   */
  saveFile?: (suggestedName: string, text: string) => Promise<boolean>;
}

/** Response bodies shown in the app are cut here: enough to read, small enough to render. */
export const APP_MAX_RESPONSE_BYTES = 256 * 1024;

export type BridgeHandlers = {
  [C in Channel]: (...args: unknown[]) => Promise<Result<ResultOf<C>>>;
};

async function run<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toPatchbayError(error).toBridge() };
  }
}

/** A channel's answer, typed from the contract. */
type Answer<C extends Channel> = (...args: ArgsOf<C>) => Promise<ResultOf<C>>;

/**
 * The plain answer of a channel: call the core method the contract names for it.
 *
 * The contract ties each channel's arguments and result to that method's (PatchbayCore is derived
 * from it), so the one cast here only restates what the types already guarantee.
 */
function coreAnswer<C extends Channel>(core: PatchbayCore, channel: C): Answer<C> {
  const method = CORE_METHODS[channel];
  if (method === null) throw new Error(`The host must answer "${channel}" itself.`);
  const call = core[method] as (...args: unknown[]) => ResultOf<C> | Promise<ResultOf<C>>;
  return async (...args) => call.apply(core, args);
}

/**
 * Build the handler table a host exposes: validate, call the core, wrap the result.
 *
 * Every channel calls its core method, except those the host answers: `app:info` (facts about
 * the host), `connections:connect` (its progress events go to the host), `connections:request`
 * (the app keeps less of a response body than the CLI), `flows:useBrowser` (the host's sign-in
 * window), `links:open` (the host layer's link policy) and `bundles:save` (the desktop host's save
 * dialog, or the page's download on the web host).
 * Handlers never throw; the host only has to serialise the returned Result.
 */
export function createBridgeHandlers(core: PatchbayCore, ctx: BridgeContext): BridgeHandlers {
  const own: { [C in Channel]?: Answer<C> } = {
    'app:info': async () => ({
      host: ctx.host,
      version: ctx.version,
      embeddedAuth: ctx.embeddedAuth,
      settingsNotice: ctx.settingsNotice?.() ?? null,
      keychainProblem: (await core.checkKeychain?.())?.message ?? null,
    }),
    'connections:connect': (input) => core.connect(input, { onEvent: (event) => ctx.onFlowEvent?.(event) }),
    'flows:useBrowser': async (providerId) => {
      if (!ctx.useBrowser) {
        throw invalidInput(
          'providerId',
          'This Patchbay shows every sign-in in your web browser already; there is no sign-in window to switch.',
        );
      }
      return ctx.useBrowser(providerId);
    },
    'links:open': async (url) => (ctx.openLink ? ctx.openLink(url) : { allowed: false, openInRenderer: false }),
    'connections:request': (input) => core.request(input, { maxBodyBytes: APP_MAX_RESPONSE_BYTES }),
    'bundles:save': async (connectionId) => {
      const file = await core.supportBundle(connectionId);
      if (!ctx.saveFile) return { saved: false, fileName: file.fileName, text: file.text };
      return { saved: await ctx.saveFile(file.fileName, file.text), fileName: file.fileName, text: null };
    },
  };
  const handlers = {} as Record<Channel, (...args: unknown[]) => Promise<Result<unknown>>>;
  for (const channel of CHANNELS) {
    const answer = (own[channel] ?? coreAnswer(core, channel)) as (...args: unknown[]) => Promise<unknown>;
    handlers[channel] = (...args: unknown[]) => run(() => answer(...parseArgs(channel, args)));
  }
  return handlers as BridgeHandlers;
}

/** Dispatch an untrusted channel name; unknown channels get not_found rather than a crash. */
export async function invokeChannel(
  handlers: BridgeHandlers,
  channel: string,
  args: unknown[],
): Promise<Result<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(handlers, channel)) {
    return {
      ok: false,
      error: new PatchbayError(
        'not_found',
        'Patchbay does not know that request. Update Patchbay and try again.',
      ).toBridge(),
    };
  }
  return handlers[channel as Channel](...args);
}
