/**
 * The bridge handlers: one validated function per contract channel, shared by every host.
 *
 * Electron IPC and the loopback web host both receive untrusted argument arrays. Each channel
 * declares its arguments here with zod; anything missing, extra or malformed is refused with
 * `invalid_input` naming the argument before the core is called. Every outcome is a `Result`,
 * because Electron keeps only the message of a rejected `invoke` and HTTP has no exceptions.
 */
import { z } from 'zod';
import type { AppInfo, Channel, FlowEvent, Result, ResultOf } from '../../preload/contract';
import { PatchbayError, invalidInput, toPatchbayError } from './errors';
import type { PatchbayCore } from './types';

/** What a host tells the bridge about itself, and where flow progress goes. */
export interface BridgeContext {
  host: AppInfo['host'];
  version: string;
  embeddedAuth: boolean;
  /** The settings store's one-time notice (corrupt file moved aside), if any. */
  settingsNotice?: () => string | null;
  /** Receives each flow:progress event of a connect started through the bridge. */
  onFlowEvent?: (event: FlowEvent) => void;
}

export type BridgeHandlers = {
  [C in Channel]: (...args: unknown[]) => Promise<Result<ResultOf<C>>>;
};

interface ArgSpec {
  name: string;
  schema: z.ZodType;
  optional?: boolean;
}

const id = z.string().min(1, 'must not be empty').max(200, 'is too long');
const connectInput = z.strictObject({
  providerId: id,
  apiKey: z.string().min(1, 'must not be empty').max(16_384, 'is too long').optional(),
  mode: z.enum(['embedded', 'browser']).optional(),
});
const credentialsInput = z.strictObject({
  providerId: id,
  clientId: z.string().max(2_000, 'is too long'),
  clientSecret: z.string().max(16_384, 'is too long').optional(),
});
// Field-by-field checks of a definition live in the core's provider schema (one source of truth);
// here it only has to be a plain object of reasonable size.
const definition = z.record(z.string(), z.unknown());

/** Argument specs per channel, checked against the contract so a forgotten channel does not compile. */
const ARGS: { readonly [C in Channel]: readonly ArgSpec[] } = {
  'app:info': [],
  'providers:list': [],
  'providers:save': [{ name: 'definition', schema: definition }],
  'providers:import': [{ name: 'json', schema: z.string().max(1_000_000, 'is too long') }],
  'providers:export': [{ name: 'ids', schema: z.array(id).max(10_000), optional: true }],
  'providers:delete': [{ name: 'providerId', schema: id }],
  'credentials:set': [{ name: 'input', schema: credentialsInput }],
  'credentials:remove': [{ name: 'providerId', schema: id }],
  'connections:list': [],
  'connections:connect': [{ name: 'input', schema: connectInput }],
  'flows:cancel': [{ name: 'providerId', schema: id }],
  'connections:test': [{ name: 'connectionId', schema: id }],
  'connections:refresh': [{ name: 'connectionId', schema: id }],
  'connections:disconnect': [{ name: 'connectionId', schema: id }],
  'connections:trace': [{ name: 'subject', schema: z.string().min(1).max(300) }],
};

/**
 * Check an argument array against a channel's spec and return the parsed values.
 *
 * Throws PatchbayError invalid_input whose `field` names the argument (and the property inside
 * it, e.g. "input.providerId"), so a host bug or a hostile caller gets a precise refusal.
 */
export function parseArgs(channel: Channel, args: unknown[]): unknown[] {
  const specs = ARGS[channel];
  if (!Array.isArray(args)) throw invalidInput('args', 'The request must carry a list of arguments.');
  if (args.length > specs.length) {
    const field = `args[${specs.length}]`;
    throw invalidInput(field, `${field} is not expected: "${channel}" takes at most ${specs.length} argument(s); remove the extra ones.`);
  }
  return specs.map((spec, index) => {
    const value = args[index];
    if (value === undefined) {
      if (spec.optional) return undefined;
      throw invalidInput(spec.name, `"${spec.name}" is required for "${channel}".`);
    }
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const path = [spec.name, ...(issue?.path ?? []).map(String)].join('.');
    throw invalidInput(path, `"${path}" ${describeIssue(issue)}.`);
  });
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is not valid';
  if (issue.code === 'unrecognized_keys') return `has unknown properties (${issue.keys.join(', ')}); remove them`;
  if (/^(must|is) /.test(issue.message)) return issue.message;
  const text = issue.message.replace(/^Invalid input: /i, '');
  return `is not valid: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

async function run<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: toPatchbayError(error).toBridge() };
  }
}

/**
 * Build the handler table a host exposes: validate, call the core, wrap the result.
 *
 * Handlers never throw; the host only has to serialise the returned Result.
 */
export function createBridgeHandlers(core: PatchbayCore, ctx: BridgeContext): BridgeHandlers {
  const str = (v: unknown) => v as string;
  const calls: { readonly [C in Channel]: (args: unknown[]) => Promise<ResultOf<C>> } = {
    'app:info': async () => ({
      host: ctx.host,
      version: ctx.version,
      embeddedAuth: ctx.embeddedAuth,
      settingsNotice: ctx.settingsNotice?.() ?? null,
    }),
    'providers:list': () => core.listProviders(),
    'providers:save': ([def]) => core.saveProvider(def),
    'providers:import': ([json]) => core.importProviders(str(json)),
    'providers:export': ([ids]) => core.exportProviders(ids as string[] | undefined),
    'providers:delete': async ([providerId]) => {
      await core.deleteProvider(str(providerId));
      return null;
    },
    'credentials:set': ([input]) => core.setClientCredentials(input as Parameters<PatchbayCore['setClientCredentials']>[0]),
    'credentials:remove': ([providerId]) => core.removeClientCredentials(str(providerId)),
    'connections:list': () => core.listConnections(),
    'connections:connect': ([input]) =>
      core.connect(input as Parameters<PatchbayCore['connect']>[0], {
        onEvent: (event) => ctx.onFlowEvent?.(event),
      }),
    'flows:cancel': async ([providerId]) => core.cancelFlow(str(providerId)),
    'connections:test': ([connectionId]) => core.test(str(connectionId)),
    'connections:refresh': ([connectionId]) => core.refresh(str(connectionId)),
    'connections:disconnect': async ([connectionId]) => {
      await core.disconnect(str(connectionId));
      return null;
    },
    'connections:trace': ([subject]) => core.trace(str(subject)),
  };
  const handlers = {} as Record<Channel, (...args: unknown[]) => Promise<Result<unknown>>>;
  for (const channel of Object.keys(calls) as Channel[]) {
    const call = calls[channel] as (args: unknown[]) => Promise<unknown>;
    handlers[channel] = (...args: unknown[]) => run(() => call(parseArgs(channel, args)));
  }
  return handlers as BridgeHandlers;
}

/** Dispatch an untrusted channel name; unknown channels get not_found rather than a crash. */
export async function invokeChannel(handlers: BridgeHandlers, channel: string, args: unknown[]): Promise<Result<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(handlers, channel)) {
    return { ok: false, error: new PatchbayError('not_found', 'Patchbay does not know that request. Update Patchbay and try again.').toBridge() };
  }
  return handlers[channel as Channel](...args);
}
