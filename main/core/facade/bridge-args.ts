/**
 * The bridge's argument checks: one schema per argument of every contract channel.
 *
 * Electron IPC and the loopback web host both receive untrusted argument arrays. The table below
 * is typed from preload/contract.ts: each schema's output must be the contract's argument type
 * and each channel must list exactly its arguments, so the checks cannot drift from the contract.
 * Anything missing, extra or malformed is refused with `invalid_input` naming the argument.
 */
import { z } from '../model/zod';
import type { ArgsOf, Channel } from '../../../preload/contract';
import { invalidInput } from '../model/errors';
import { parseProviderDefinition } from '../providers/provider-schema';

/** The check of one argument whose contract type is `T` (optional arguments say so). */
type ArgSpec<T> = undefined extends T
  ? { name: string; schema: z.ZodMiniType<Exclude<T, undefined>>; optional: true }
  : { name: string; schema: z.ZodMiniType<T>; optional?: false };
/** The checks of an argument list, position by position. */
type ArgSpecs<A extends readonly unknown[]> = { readonly [K in keyof A]: ArgSpec<A[K]> };

/** A string of at most `max` characters (the message completes "<argument> ..."). */
const text = (max: number, tooLong = 'is too long') => z.string().check(z.maxLength(max, tooLong));
/** A non-empty string of at most `max` characters. */
const filled = (max: number) => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, 'is too long'));

const id = filled(200);
const connectInput = z.strictObject({
  providerId: id,
  apiKey: z.optional(filled(16_384)),
  mode: z.optional(z.enum(['embedded', 'browser'])),
  reconnect: z.optional(id),
  anotherAccount: z.optional(z.boolean()),
  allowSameAccount: z.optional(z.boolean()),
  device: z.optional(z.boolean()),
});
const credentialsInput = z.strictObject({
  providerId: id,
  clientId: text(2_000),
  clientSecret: z.optional(text(16_384)),
});
const apiRequestInput = z.strictObject({
  connectionId: id,
  method: z.optional(filled(20)),
  path: filled(8_192),
  headers: z.optional(z.array(z.tuple([text(200), text(8_192)])).check(z.maxLength(50, 'has too many headers'))),
  body: z.optional(text(10 * 1024 * 1024)),
});
// The definition format has one schema, the core's provider schema: here the argument only has to
// be a plain object, then that schema checks every field and throws a PatchbayError naming it.
const definition = z.pipe(
  z.record(z.string(), z.unknown()),
  z.transform((value: Record<string, unknown>) => parseProviderDefinition(value)),
);
const importJson = text(1_000_000);
/** Settings > Network; the core checks the values themselves and names the field at fault. */
const networkInput = z.strictObject({
  proxyUrl: z.nullable(text(2_048)),
  noProxy: text(4_096),
  caFile: z.nullable(text(4_096)),
  proxyUser: z.optional(z.nullable(text(256))),
  proxyPassword: z.optional(text(1_024)),
});
/** A provider update's confirmation (an origin change of a provider in use). */
const changeOptions = z.strictObject({ allowOriginChange: z.optional(z.boolean()) });

/** The person's ID and name for a discovered provider; the provider schema checks them after. */
const discoverOptions = z.strictObject({
  id: z.optional(text(200)),
  name: z.optional(text(1_000)),
});
const idList = z.array(id).check(z.maxLength(10_000));
const subject = z.string().check(z.minLength(1), z.maxLength(300));

/** Argument checks per channel; a channel or argument missing here does not compile. */
const ARGS: { readonly [C in Channel]: ArgSpecs<ArgsOf<C>> } = {
  'app:info': [],
  'providers:list': [],
  'providers:save': [
    { name: 'definition', schema: definition },
    { name: 'options', schema: changeOptions, optional: true },
  ],
  'providers:import': [
    { name: 'json', schema: importJson },
    { name: 'options', schema: changeOptions, optional: true },
  ],
  'providers:preview': [{ name: 'json', schema: importJson }],
  'providers:export': [{ name: 'ids', schema: idList, optional: true }],
  'providers:discover': [
    { name: 'issuer', schema: filled(2_048) },
    { name: 'options', schema: discoverOptions, optional: true },
  ],
  'providers:delete': [{ name: 'providerId', schema: id }],
  'credentials:set': [{ name: 'input', schema: credentialsInput }],
  'credentials:remove': [{ name: 'providerId', schema: id }],
  'connections:list': [],
  'connections:connect': [{ name: 'input', schema: connectInput }],
  'flows:cancel': [{ name: 'providerId', schema: id }],
  'flows:useBrowser': [{ name: 'providerId', schema: id }],
  'links:open': [{ name: 'url', schema: filled(2_048) }],
  'connections:test': [{ name: 'connectionId', schema: id }],
  'connections:check': [{ name: 'ids', schema: idList, optional: true }],
  'connections:refresh': [{ name: 'connectionId', schema: id }],
  'connections:disconnect': [{ name: 'connectionId', schema: id }],
  'connections:trace': [{ name: 'subject', schema: subject }],
  'connections:request': [{ name: 'input', schema: apiRequestInput }],
  'network:get': [],
  'network:save': [{ name: 'input', schema: networkInput }],
  'health:status': [],
  'health:checkNow': [],
  'connections:diagnose': [{ name: 'subject', schema: subject }],
  'connections:bundle': [{ name: 'connectionId', schema: id }],
  'bundles:save': [{ name: 'connectionId', schema: id }],
  // The reader bounds the file itself (and names the size); this only keeps absurd strings out.
  'bundles:read': [{ name: 'text', schema: text(4 * 1024 * 1024, 'is too large for a support bundle') }],
};

/**
 * Check an argument array against a channel's spec and return the parsed, typed arguments.
 *
 * Throws PatchbayError invalid_input whose `field` names the argument (and the property inside
 * it, e.g. "input.providerId"), so a host bug or a hostile caller gets a precise refusal.
 */
export function parseArgs<C extends Channel>(channel: C, args: unknown[]): ArgsOf<C> {
  // Read position by position; the table's type already tied each schema to its contract type.
  const specs = ARGS[channel] as readonly { name: string; schema: z.ZodMiniType; optional?: boolean }[];
  if (!Array.isArray(args)) throw invalidInput('args', 'The request must carry a list of arguments.');
  if (args.length > specs.length) {
    const field = `args[${specs.length}]`;
    throw invalidInput(
      field,
      `${field} is not expected: "${channel}" takes at most ${specs.length} argument(s); remove the extra ones.`,
    );
  }
  const parsed = specs.map((spec, index) => {
    const value = args[index];
    if (value === undefined) {
      if (spec.optional) return undefined;
      throw invalidInput(spec.name, `"${spec.name}" is required for "${channel}".`);
    }
    const result = spec.schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const path = [spec.name, ...(issue?.path ?? []).map(String)].join('.');
    throw invalidInput(path, `"${path}" ${describeIssue(issue)}.`);
  });
  // Each position was checked by the schema the contract's type for that position requires.
  return parsed as ArgsOf<C>;
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is not valid';
  if (issue.code === 'unrecognized_keys') return `has unknown properties (${issue.keys.join(', ')}); remove them`;
  if (/^(must|is) /.test(issue.message)) return issue.message;
  const text = issue.message.replace(/^Invalid input: /i, '');
  return `is not valid: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
