/**
 * `patchbay exec <connection> [--env <NAME>] -- <command> [args...]`: run a command with the
 * connection's credential in its environment (what 1Password's `op run` does for secrets).
 *
 * The token (refreshed first when due) or API key goes into `NAME` (default PATCHBAY_TOKEN) and
 * the provider's API base into PATCHBAY_API_BASE, in the child's environment only: nothing is
 * written to disk and nothing is printed. The child inherits stdin, stdout and stderr; the
 * signals Patchbay receives are passed on; the child's exit code becomes Patchbay's (128 + the
 * signal number when a signal ended it, as shells report it; 127 when the command is not found).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { expectPositionals, parseCommand, stringOption } from '../args';
import type { RunSignals } from '../run';
import { type Printer, UsageError } from '../output';
import { openCredentialCore, resolveConnection } from '../credential-core';

/** Signals passed on to the child. SIGUSR1 is Node's debugger signal and is left alone. */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Variables that would change how the child (or its loader) runs rather than carry a token. */
const REFUSED_NAMES = new Set([
  'PATH',
  'HOME',
  'PATCHBAY_API_BASE',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'DYLD_INSERT_LIBRARIES',
  'NODE_OPTIONS',
  'IFS',
  'SHELL',
]);

/** Check `--env NAME`: a plain variable name that does not replace one the child needs. */
export function checkEnvName(name: string): string {
  if (!ENV_NAME.test(name)) {
    throw new UsageError(
      `--env takes a variable name of letters, digits and underscores, such as ACME_TOKEN (you gave "${name.slice(0, 60)}").`,
      '--env',
    );
  }
  if (REFUSED_NAMES.has(name.toUpperCase())) {
    throw new UsageError(
      `--env ${name} would replace a variable the command needs. Choose another name, such as ACME_TOKEN.`,
      '--env',
    );
  }
  return name;
}

/** Run `patchbay exec ...`; resolves with the child's exit code. */
export async function execCommand(args: string[], printer: Printer, signals: RunSignals): Promise<number> {
  const split = args.indexOf('--');
  if (split < 0 || split === args.length - 1) {
    throw new UsageError(
      'Put the command after "--", for example: patchbay exec sandbox -- curl -H "Authorization: Bearer $PATCHBAY_TOKEN" "$PATCHBAY_API_BASE/me"',
      'command',
    );
  }
  const parsed = parseCommand('exec', args.slice(0, split), { env: { type: 'string' } });
  const [ref = ''] = expectPositionals('exec', parsed.positionals, ['connection']);
  const name = checkEnvName(stringOption(parsed, 'env') ?? 'PATCHBAY_TOKEN');
  const [command, ...commandArgs] = args.slice(split + 1) as [string, ...string[]];

  const core = await openCredentialCore(printer.io);
  let credential: Awaited<ReturnType<typeof core.credentialFor>>;
  try {
    credential = await core.credentialFor((await resolveConnection(core, ref)).id);
  } finally {
    await core.close();
  }

  const env: NodeJS.ProcessEnv = { ...printer.io.env, [name]: credential.value };
  if (credential.apiBase) env.PATCHBAY_API_BASE = credential.apiBase;
  else delete env.PATCHBAY_API_BASE;
  signals.releaseSignals?.();
  const child = spawn(command, commandArgs, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => (): void => {
    child.kill(signal);
  };
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    return await new Promise<number>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        printer.io.stderr(
          error.code === 'ENOENT'
            ? `The command "${command}" was not found. Check its name, or give its full path.\n`
            : `The command "${command}" could not be started (${error.code ?? 'unknown error'}).\n`,
        );
        resolve(error.code === 'ENOENT' ? 127 : 126);
      });
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
