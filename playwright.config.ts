/**
 * Playwright end-to-end: the user stories in test/e2e, written once, run on two hosts.
 *
 * "web" launches the built web host (`npm run build` first) and drives Debian's Chromium;
 * "electron" launches the Electron app through test/e2e/electron-host.ts (`_electron.launch`, under
 * a display: xvfb-run in CI). With no Electron binary on the machine it skips with one loud line,
 * or fails every test when PATCHBAY_REQUIRE_ELECTRON=1. Run the suite inside test/with-keyring.sh.
 */
import { defineConfig } from '@playwright/test';
import type { HostOptions } from './test/e2e/fixtures';

export default defineConfig<HostOptions>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: '.tmp/playwright-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.PATCHBAY_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
  projects: [
    { name: 'web', use: { hostKind: 'web' } },
    { name: 'electron', use: { hostKind: 'electron' } },
  ],
});
