/**
 * `patchbay token <connection> [--json]`: print a fresh access token (or API key) for a script.
 *
 * Like `gh auth token` or `gcloud auth print-access-token`: refreshed first when it is due, then
 * the value and a newline on stdout and nothing else. When stdout is a terminal the value is now
 * on screen (and in the scroll-back), so a one-line warning goes to stderr.
 */
import { expectPositionals, parseCommand } from '../args';
import { EXIT, type ExitCode, type Printer } from '../output';
import { openCredentialCore, resolveConnection } from '../credential-core';

/** Run `patchbay token <connection>`. */
export async function tokenCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('token', args, {});
  const [ref = ''] = expectPositionals('token', parsed.positionals, ['connection']);
  const core = await openCredentialCore(printer.io);
  try {
    const connection = await resolveConnection(core, ref);
    const credential = await core.credentialFor(connection.id);
    if (printer.json) {
      printer.emit({ token: credential.value, apiBase: credential.apiBase, refreshed: credential.refreshed });
    } else {
      printer.io.stdout(`${credential.value}\n`);
    }
    if (printer.io.stdoutIsTTY) {
      printer.io.stderr(
        `Warning: this ${connection.auth === 'apiKey' ? 'API key' : 'access token'} for ${connection.label} is now on your screen; clear the terminal when done, or use "patchbay exec" to hand it to a command without showing it.\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await core.close();
  }
}
