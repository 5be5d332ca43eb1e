/**
 * Read one secret from standard input (--api-key-stdin, --client-secret-stdin).
 *
 * Secrets never come from argv, which any local user can read in the process list. Piped input
 * is read to the end; one trailing line break (from `echo`) is dropped; an empty result is a
 * usage error naming the flag.
 */
import { type CliIo, UsageError } from './output';

/** Read all of stdin as text. */
export async function readAllStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The secret on stdin, without its trailing newline. */
export async function readSecret(io: CliIo, what: string, flag: string): Promise<string> {
  const raw = await io.readStdin();
  const value = raw.replace(/\r?\n$/, '');
  if (value.trim() === '') {
    throw new UsageError(
      `${flag} was given but standard input was empty. Pipe the ${what} in, for example: printf '%s' "$VALUE" | patchbay ...`,
      flag,
    );
  }
  return value;
}
