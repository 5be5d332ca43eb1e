/**
 * The bridge's argument checks: one schema per argument of every contract channel.
 *
 * Electron IPC and the loopback web host both receive untrusted argument arrays. The table below
 * is typed from preload/contract.ts: each schema's output must be the contract's argument type
 * and each channel must list exactly its arguments, so the checks cannot drift from the contract.
 * Anything missing, extra or malformed is refused with `invalid_input` naming the argument.
 */
import { z } from 'zod';
import type { ArgsOf, Channel } from '../../../preload/contract';
import { invalidInput } from '../model/errors';
import { parseProviderDefinition } from '../providers/provider-schema';

/** The check of one argument whose contract type is `T` (optional arguments say so). */
type ArgSpec<T> = undefined extends T
  ? { name: string; schema: z.ZodType<Exclude<T, undefined>>; optional: true }
  : { name: string; schema: z.ZodType<T>; optional?: false };
/** The checks of an argument list, position by position. */
type ArgSpecs<A extends readonly unknown[]> = { readonly [K in keyof A]: ArgSpec<A[K]> };

const id = z.string().min(1, 'must not be empty').max(200, 'is too long');
const connectInput = z.strictObject({
  providerId: id,
  apiKey: z.string().min(1, 'must not be empty').max(16_384, 'is too long').optional(),
  mode: z.enum(['embedded', 'browser']).optional(),
  reconnect: id.optional(),
  anotherAccount: z.boolean().optional(),
  allowSameAccount: z.boolean().optional(),
  device: z.boolean().optional(),
});
const credentialsInput = z.strictObject({
  providerId: id,
  clientId: z.string().max(2_000, 'is too long'),
  clientSecret: z.string().max(16_384, 'is too long').optional(),
});
const apiRequestInput = z.strictObject({
  connectionId: id,
  method: z.string().min(1, 'must not be empty').max(20, 'is too long').optional(),
  path: z.string().min(1, 'must not be empty').max(8_192, 'is too long'),
  headers: z
    .array(z.tuple([z.string().max(200, 'is too long'), z.string().max(8_192, 'is too long')]))
    .max(50, 'has too many headers')
    .optional(),
  body: z
    .string()
    .max(10 * 1024 * 1024, 'is too long')
    .optional(),
});
// The definition format has one schema, the core's provider schema: here the argument only has to
// be a plain object, then that schema checks every field and throws a PatchbayError naming it.
const definition = z.record(z.string(), z.unknown()).transform((value) => parseProviderDefinition(value));
const importJson = z.string().max(1_000_000, 'is too long');
/** A provider update's confirmation (an origin change of a provider in use). */
const changeOptions = z.strictObject({ allowOriginChange: z.boolean().optional() });

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
  'providers:export': [{ name: 'ids', schema: z.array(id).max(10_000), optional: true }],
  'providers:delete': [{ name: 'providerId', schema: id }],
  'credentials:set': [{ name: 'input', schema: credentialsInput }],
  'credentials:remove': [{ name: 'providerId', schema: id }],
  'connections:list': [],
  'connections:connect': [{ name: 'input', schema: connectInput }],
  'flows:cancel': [{ name: 'providerId', schema: id }],
  'flows:useBrowser': [{ name: 'providerId', schema: id }],
  'links:open': [{ name: 'url', schema: z.string().min(1, 'must not be empty').max(2_048, 'is too long') }],
  'connections:test': [{ name: 'connectionId', schema: id }],
  'connections:check': [{ name: 'ids', schema: z.array(id).max(10_000), optional: true }],
  'connections:refresh': [{ name: 'connectionId', schema: id }],
  'connections:disconnect': [{ name: 'connectionId', schema: id }],
  'connections:trace': [{ name: 'subject', schema: z.string().min(1).max(300) }],
  'connections:request': [{ name: 'input', schema: apiRequestInput }],
  'connections:diagnose': [{ name: 'subject', schema: z.string().min(1).max(300) }],
  'connections:bundle': [{ name: 'connectionId', schema: id }],
  'bundles:save': [{ name: 'connectionId', schema: id }],
  // The reader bounds the file itself (and names the size); this only keeps absurd strings out.
  'bundles:read': [{ name: 'text', schema: z.string().max(4 * 1024 * 1024, 'is too large for a support bundle') }],
};

/**
 * Check an argument array against a channel's spec and return the parsed, typed arguments.
 *
 * Throws PatchbayError invalid_input whose `field` names the argument (and the property inside
 * it, e.g. "input.providerId"), so a host bug or a hostile caller gets a precise refusal.
 */
export function parseArgs<C extends Channel>(channel: C, args: unknown[]): ArgsOf<C> {
  // Read position by position; the table's type already tied each schema to its contract type.
  const specs = ARGS[channel] as readonly { name: string; schema: z.ZodType; optional?: boolean }[];
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
