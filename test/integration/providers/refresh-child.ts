/**
 * A separate Patchbay process for the cross-process single-flight test.
 *
 * Builds the default core from PATCHBAY_HOME / PATCHBAY_KEYCHAIN_SERVICE, prints "ready", waits
 * for "go" on stdin, then runs `test` or `refresh` on one connection and prints one JSON line.
 */
import readline from 'node:readline';
import { createDefaultCore } from '../../../main/core/facade/create-core';
import { toPatchbayError } from '../../../main/core/model/errors';

const [op, connectionId] = process.argv.slice(2);
const core = createDefaultCore({ authorizers: [] });
const lines = readline.createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  try {
    if (op === 'test') {
      const result = await core.test(connectionId!);
      process.stdout.write(
        `${JSON.stringify({ ok: result.ok, error: result.error, status: result.connection.status })}\n`,
      );
    } else {
      const view = await core.refresh(connectionId!);
      process.stdout.write(`${JSON.stringify({ ok: true, error: null, status: view.status })}\n`);
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: toPatchbayError(error).toBridge() })}\n`);
  }
  break;
}
lines.close();
await core.close();
