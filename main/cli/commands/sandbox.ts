/**
 * `patchbay sandbox`: run the practice OAuth server in the foreground until Ctrl+C.
 *
 * Same port and state as the Sandbox the app starts on demand, so connections made against
 * either keep working. If one is already running (another terminal, the app), say where and
 * exit successfully rather than fail.
 */
import { resolveConfig } from '../../core/model/config';
import { PatchbayError } from '../../core/model/errors';
import { probeSandbox, startSandboxServer, tokenTtlFromEnv } from '../../sandbox/index';
import { expectPositionals, parseCommand } from '../args';
import { EXIT, type ExitCode, type Printer } from '../output';

/** Run `patchbay sandbox`; resolves when `stop` aborts (SIGINT/SIGTERM) or at once if one already runs. */
export async function sandboxCommand(args: string[], printer: Printer, stop: AbortSignal): Promise<ExitCode> {
  const parsed = parseCommand('sandbox', args, {});
  expectPositionals('sandbox', parsed.positionals, []);
  const config = resolveConfig(printer.io.env);
  const tokenTtlSeconds = tokenTtlFromEnv(printer.io.env);

  let server;
  try {
    server = await startSandboxServer({ home: config.home, port: config.sandboxPort, tokenTtlSeconds });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (await probeSandbox(config.sandboxIssuer)) {
      printer.emit({ event: 'ready', issuer: config.sandboxIssuer, alreadyRunning: true });
      printer.say(`A Patchbay Sandbox is already running at ${config.sandboxIssuer}`);
      return EXIT.ok;
    }
    throw new PatchbayError(
      'network',
      `Port ${config.sandboxPort} on this computer is used by another program, so the Sandbox cannot start. Close that program, or set PATCHBAY_SANDBOX_PORT to a free port.`,
    );
  }

  printer.emit({ event: 'ready', issuer: server.issuer, alreadyRunning: false });
  printer.say(`The Patchbay Sandbox is running at ${server.issuer}`);
  printer.note(
    `Its state is kept in ${config.home}/sandbox. Access tokens last ${tokenTtlSeconds} seconds. Press Ctrl+C to stop it.`,
  );

  if (!stop.aborted)
    await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  printer.note('The Sandbox has stopped.');
  return EXIT.ok;
}
