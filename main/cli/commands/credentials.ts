/**
 * `patchbay credentials set <provider> --client-id <id> [--client-secret-stdin]`.
 *
 * The client ID goes to settings; the client secret only ever comes from stdin (never argv,
 * which other users of the machine can read) and goes straight to the keychain.
 */
import { expectPositionals, parseCommand, stringOption } from '../args';
import { openCliCore } from '../core';
import { EXIT, type ExitCode, type Printer, UsageError } from '../output';
import { readSecret } from '../stdin';

/** Run `patchbay credentials ...`. */
export async function credentialsCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('credentials set', args, {
    'client-id': { type: 'string' },
    'client-secret-stdin': { type: 'boolean' },
  });
  const [sub, ...rest] = parsed.positionals;
  if (sub !== 'set') {
    throw new UsageError(
      'Use "patchbay credentials set <provider> --client-id <id> [--client-secret-stdin]".',
      sub === undefined ? 'set' : undefined,
    );
  }
  const [providerId = ''] = expectPositionals('credentials set', rest, ['provider']);
  const clientId = stringOption(parsed, 'client-id')?.trim();
  if (!clientId) {
    throw new UsageError(
      '"patchbay credentials set" needs --client-id <id>: the client ID of the app you registered at the provider.',
      '--client-id',
    );
  }
  const clientSecret =
    parsed.values['client-secret-stdin'] === true
      ? await readSecret(printer.io, 'client secret', '--client-secret-stdin')
      : undefined;

  const core = await openCliCore(printer.io);
  try {
    const view = await core.setClientCredentials({
      providerId,
      clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
    });
    printer.emit({ providerId: view.id, clientId: view.clientId, hasClientSecret: view.hasClientSecret });
    printer.say(
      `Saved the client ID for ${view.name}.${view.hasClientSecret ? ' The client secret is in your keychain.' : ''}`,
    );
    if (view.redirectUri)
      printer.say(`Register this redirect URI at ${view.name} if you have not yet: ${view.redirectUri}`);
    return EXIT.ok;
  } finally {
    await core.close();
  }
}
