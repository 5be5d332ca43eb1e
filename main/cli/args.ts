/**
 * Command-line parsing on node:util parseArgs, with errors people can act on.
 *
 * parseArgs is strict (unknown flags are errors, not silently ignored) and its messages are
 * replaced by sentences naming the flag and the command, as UsageError (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './output';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Parse `args` for `command` with its `options`, turning parseArgs errors into UsageError. */
export function parseCommand(command: string, args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const flag = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(
        `"patchbay ${command}" has no option ${flag ?? ''}. Run "patchbay ${command} --help" to see its options.`,
        flag,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        `The option ${flag?.split(' ')[0] ?? ''} of "patchbay ${command}" needs a value.`,
        flag?.split(' ')[0],
      );
    }
    throw new UsageError(
      `The command line for "patchbay ${command}" could not be read. Run "patchbay ${command} --help".`,
    );
  }
}

/** Exactly `count` positional arguments named `names`, or a usage error naming the missing one. */
export function expectPositionals(command: string, positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) {
    const missing = names[positionals.length] ?? 'argument';
    throw new UsageError(
      `"patchbay ${command}" needs ${/^[aeiou]/.test(missing) ? 'an' : 'a'} <${missing}>. Run "patchbay ${command} --help" for an example.`,
      missing,
    );
  }
  if (positionals.length > names.length) {
    // The extra value is not repeated: it may be a secret typed in the wrong place.
    const expected = names.length === 0 ? 'no arguments' : names.map((n) => `<${n}>`).join(' ');
    throw new UsageError(
      `"patchbay ${command}" takes ${expected}, but got more. Secrets are never accepted as arguments: use the --…-stdin options. Run "patchbay ${command} --help".`,
    );
  }
  return positionals;
}

/** A string option's value, or undefined. */
export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Parse `--timeout <seconds>`: a positive number of seconds, at most one day. */
export function parseTimeoutSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(value > 0) || value > 86_400) {
    throw new UsageError(
      `--timeout takes a number of seconds, for example --timeout 120 (you gave "${raw}").`,
      '--timeout',
    );
  }
  return value;
}
