#!/usr/bin/env node
/**
 * `patchbay`: the command-line entry point (built to dist/node/patchbay.js, package.json "bin").
 *
 * Wires the real process to runCli: stdout/stderr, stdin for secrets, the environment, and
 * Ctrl+C (first press cancels the running flow cleanly, a second one quits). It exits
 * explicitly once output is flushed, so nothing left open (a Sandbox started on demand, a
 * keychain connection) keeps a finished command alive.
 */
import module from 'node:module';
import { runCli } from './run';
import { readAllStdin } from './stdin';

// Reuse V8's compiled code across runs (Node's on-disk compile cache, in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). Commands are loaded after this line, so every run
// after the first skips compiling them: `patchbay status` is mostly start-up.
module.enableCompileCache?.();

const interrupt = new AbortController();
let firstSignalAt = 0;
/**
 * First Ctrl+C: cancel the running command cleanly (a connect ends with "cancelled"), and quit
 * anyway if it has not finished within 5 seconds. A further Ctrl+C a moment later quits at once.
 * Signals within the first second are ignored: proper-lockfile's signal-exit re-raises the
 * signal it sees, which must not count as the person pressing Ctrl+C twice.
 */
const onSignal = (): void => {
  const now = Date.now();
  if (firstSignalAt === 0) {
    firstSignalAt = now;
    interrupt.abort();
    setTimeout(() => process.exit(130), 5_000).unref();
    return;
  }
  if (now - firstSignalAt > 1_000) process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// `patchbay status | head -1`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

/** Read a secret from stdin; at a terminal, say how to finish typing it. */
function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Paste it, press Enter, then Ctrl+D (Ctrl+Z then Enter on Windows).\n');
  return readAllStdin(process.stdin);
}

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin,
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
  },
  {
    interrupt: interrupt.signal,
    releaseSignals: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  },
);

await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
