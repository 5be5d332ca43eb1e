#!/usr/bin/env node
/**
 * `patchbay`: the command-line entry point (built to dist/node/patchbay.js, package.json "bin").
 *
 * Wires the real process to runCli: stdout/stderr, stdin for secrets, the environment, and
 * Ctrl+C (first press cancels the running flow cleanly, a second one quits at once). It exits
 * explicitly once output is flushed, so nothing left open (a Sandbox started on demand, a
 * keychain connection) keeps a finished command alive.
 */
import { runCli } from './run';
import { readAllStdin } from './stdin';

const interrupt = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: () => readAllStdin(process.stdin),
    env: process.env,
  },
  { interrupt: interrupt.signal },
);

await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
