/**
 * The CLI's dispatcher: pick the command, run it, turn any failure into output and an exit code.
 *
 * Kept free of process globals (streams, env, signals come in through CliIo and AbortSignals)
 * so the whole CLI can also be driven in-process.
 */
import { COMMAND_HELP, OVERVIEW } from './help';
import { type CliIo, EXIT, type ExitCode, Printer, UsageError } from './output';

export interface RunSignals {
  /** Aborted on the first Ctrl+C: cancels a running connect, stops `patchbay sandbox`. */
  interrupt: AbortSignal;
  /**
   * Stop treating SIGINT/SIGTERM as "cancel Patchbay": `patchbay exec` forwards them to its
   * child instead and exits with the child's code.
   */
  releaseSignals?: () => void;
}

const COMMANDS = [
  'providers',
  'credentials',
  'connect',
  'status',
  'test',
  'check',
  'refresh',
  'disconnect',
  'request',
  'token',
  'exec',
  'sandbox',
  'bundle',
] as const;
type Command = (typeof COMMANDS)[number];

function isCommand(value: string | undefined): value is Command {
  return (COMMANDS as readonly string[]).includes(value ?? '');
}

/** Run one CLI invocation (`argv` without node and script) and return its exit code. */
export async function runCli(argv: string[], io: CliIo, signals: RunSignals): Promise<ExitCode | number> {
  const [command, ...args] = argv;
  // After "--" the words belong to the command `patchbay exec` runs ("-- grep --help"), not to Patchbay.
  const end = args.indexOf('--');
  const own = end >= 0 ? args.slice(0, end) : args;
  const printer = new Printer(io, own.includes('--json'), isCommand(command) ? command : undefined);

  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? args[0] : undefined;
    io.stdout(topic && COMMAND_HELP[topic] ? COMMAND_HELP[topic] : OVERVIEW);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${await version()}\n`);
    return EXIT.ok;
  }
  if (!isCommand(command)) {
    return printer.fail(
      new UsageError(`"${command}" is not a patchbay command. Run "patchbay --help" to see the commands.`, 'command'),
    );
  }
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout(COMMAND_HELP[command] ?? OVERVIEW);
    return EXIT.ok;
  }

  try {
    // Each command's module is loaded only when it runs, so `--help` and `status` start fast.
    switch (command) {
      case 'providers':
        return await (await import('./commands/providers')).providersCommand(args, printer);
      case 'credentials':
        return await (await import('./commands/credentials')).credentialsCommand(args, printer);
      case 'connect':
        return await (await import('./commands/connect')).connectCommand(args, printer, signals.interrupt);
      case 'status':
        return await (await import('./commands/connections')).statusCommand(args, printer);
      case 'test':
        return await (await import('./commands/connections')).testCommand(args, printer);
      case 'check':
        return await (await import('./commands/check')).checkCommand(args, printer, signals.interrupt);
      case 'refresh':
        return await (await import('./commands/connections')).refreshCommand(args, printer);
      case 'disconnect':
        return await (await import('./commands/connections')).disconnectCommand(args, printer);
      case 'request':
        return await (await import('./commands/request')).requestCommand(args, printer, signals.interrupt);
      case 'token':
        return await (await import('./commands/token')).tokenCommand(args, printer);
      case 'exec':
        return await (await import('./commands/exec')).execCommand(args, printer, signals);
      case 'sandbox':
        return await (await import('./commands/sandbox')).sandboxCommand(args, printer, signals.interrupt);
      case 'bundle':
        return await (await import('./commands/bundle')).bundleCommand(args, printer);
    }
  } catch (error) {
    return printer.fail(error);
  }
}

async function version(): Promise<string> {
  const pkg = (await import('../../package.json', { with: { type: 'json' } })) as { default: { version: string } };
  return pkg.default.version;
}
