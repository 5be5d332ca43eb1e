import { defineConfig } from 'vitest/config';

// Two projects: unit (pure, fast) and integration (real keyring, real local servers, child
// processes). Integration tests refuse to start outside test/with-keyring.sh.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          setupFiles: ['test/setup-fast-check.ts'],
          // A hang guard, not a speed check: the 10,000-case property tests need room on a busy machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Never against the developer's own keychain: only inside test/with-keyring.sh.
          globalSetup: ['test/integration/require-keyring.ts'],
          environment: 'node',
          setupFiles: ['test/setup-fast-check.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Child processes and shared loopback ports: keep files in one worker at a time per core.
          maxWorkers: 2,
        },
      },
    ],
  },
});
