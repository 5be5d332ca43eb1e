/**
 * Child-process entry for Sandbox tests: `ensureSandbox` from the environment, print one JSON
 * line `{"issuer":…,"pid":…}` (or `{"error":…}`), then stay alive until stdin closes.
 *
 * Lets tests run the Sandbox in another process, race two processes for the same port, and
 * kill the owner to prove state survives it.
 */
import { resolveConfig } from '../../main/core/model/config';
import { ensureSandbox } from '../../main/sandbox/index';

try {
  const { issuer } = await ensureSandbox(resolveConfig(process.env));
  process.stdout.write(`${JSON.stringify({ issuer, pid: process.pid })}\n`);
} catch (error) {
  const e = error as { code?: string; message?: string };
  process.stdout.write(`${JSON.stringify({ error: e.code ?? 'unknown', message: e.message ?? String(error) })}\n`);
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
