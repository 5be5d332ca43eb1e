/**
 * Free loopback ports and throwaway folders for tests.
 *
 * Tests that need a *stable* port (the Sandbox's, shared by several processes) ask the OS for a
 * free one first instead of using the default 47615, so parallel test files never collide.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh PATCHBAY_HOME-style folder and a function that removes it. */
export async function tempHome(prefix = 'patchbay-test-'): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}
