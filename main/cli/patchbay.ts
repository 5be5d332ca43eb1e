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
import { handOverToSupportedNode } from './node-handover';
import { runCli } from './run';
import { readAllStdin } from './stdin';

// Reuse V8's compiled code across runs (Node's on-disk compile cache, in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). Commands are loaded after this line, so every run
// after the first skips compiling them: `patchbay status` is mostly start-up.
module.enableCompileCache?.();

// Started by an older Node (a system Node 20): the same command runs on the project's Node 22.
const handedOver = await handOverToSupportedNode();
if (handedOver !== null) process.exit(handedOver);

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
/**
 * process.stdout and process.stderr are built by Node on first use (for a pipe that loads and sets
 * up a socket, ~5 ms here each). `patchbay exec` never writes either (its command inherits them), so
 * they are touched only when something is written or asked of them, and flushed at the end only if
 * they were.
 */
let stdoutStream: NodeJS.WriteStream | null = null;
let stderrStream: NodeJS.WriteStream | null = null;
function stdout(): NodeJS.WriteStream {
  if (stdoutStream === null) {
    stdoutStream = process.stdout;
    // `patchbay status | head -1`: a reader that goes away is not an error worth a stack trace.
    stdoutStream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
  }
  return stdoutStream;
}
function stderr(): NodeJS.WriteStream {
  return (stderrStream ??= process.stderr);
}
/** The output streams something was written to (or asked about). */
function openedStreams(): NodeJS.WriteStream[] {
  return [stdoutStream, stderrStream].filter((stream) => stream !== null);
}

/** Read a secret from stdin; at a terminal, say how to finish typing it. */
function readStdin(): Promise<string> {
  if (process.stdin.isTTY) stderr().write('Paste it, press Enter, then Ctrl+D (Ctrl+Z then Enter on Windows).\n');
  return readAllStdin(process.stdin);
}

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => void stdout().write(text),
    stderr: (text) => void stderr().write(text),
    readStdin,
    env: process.env,
    get stdoutIsTTY() {
      return stdout().isTTY === true;
    },
  },
  {
    interrupt: interrupt.signal,
    releaseSignals: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  },
);

// Wait for what was written to reach its reader (Node writes to a pipe asynchronously on POSIX).
for (const stream of openedStreams()) await new Promise<void>((resolve) => stream.write('', () => resolve()));
process.exit(code);
