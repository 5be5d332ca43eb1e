/**
 * The e2e fixture: a fresh Patchbay (own home, keychain service and Sandbox port) on the web host
 * or on Electron, and a page showing it.
 *
 * Specs are user stories written once; `app.signIn(click)` hides the one difference between the
 * hosts (a browser tab on the web host, the auth window on Electron): both appear as a new page in
 * the same browser context.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports';
import { electronPlan, launchElectronHost } from './electron-host';
import { startWebHostProcess } from './web-host-process';

export interface HostOptions {
  hostKind: 'web' | 'electron';
}

/** The environment a launched Patchbay gets. */
export interface PatchbayEnv {
  PATCHBAY_HOME: string;
  PATCHBAY_KEYCHAIN_SERVICE: string;
  PATCHBAY_SANDBOX_PORT: string;
  PATCHBAY_WEB_PORT: string;
}

export interface PatchbayApp {
  page: Page;
  env: PatchbayEnv;
  host: 'web' | 'electron';
  /** Run `trigger` (a click) and return the sign-in page it opens. */
  signIn(trigger: () => Promise<void>): Promise<Page>;
}

/**
 * Print the loud "no Electron" line once per run: workers are separate processes, so the first one
 * to create a marker file named after the shared runner process prints it.
 */
function warnOnce(reason: string): void {
  try {
    writeFileSync(path.join(os.tmpdir(), `patchbay-e2e-no-electron-${process.ppid}`), '', { flag: 'wx' });
  } catch {
    return;
  }
  console.log(`\n!!! ELECTRON E2E SKIPPED: ${reason}. !!!\n`);
}

type Fixtures = {
  /**
   * Before anything launches: without an Electron binary, electron-project tests skip (one loud
   * line), or fail when PATCHBAY_REQUIRE_ELECTRON=1 says this machine must run them.
   */
  electronGate: void;
  /** Runs in the test process before launch, e.g. to seed settings. */
  seed: ((env: PatchbayEnv) => Promise<void>) | null;
  /** More environment for the launched Patchbay (e.g. PATCHBAY_HEALTH_INTERVAL_MS). */
  extraEnv: Record<string, string>;
  patchbayEnv: PatchbayEnv;
  app: PatchbayApp;
};

export const test = base.extend<Fixtures & HostOptions>({
  hostKind: ['web', { option: true }],
  seed: [null, { option: true }],
  extraEnv: [{}, { option: true }],

  electronGate: [
    async ({ hostKind }, use, testInfo) => {
      if (hostKind === 'electron') {
        const plan = electronPlan();
        if (plan.kind === 'fail') throw new Error(plan.reason);
        if (plan.kind === 'skip') {
          warnOnce(plan.reason);
          testInfo.skip(true, plan.reason);
        }
      }
      await use();
    },
    { auto: true },
  ],

  patchbayEnv: async ({}, use) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-e2e-'));
    await use({
      PATCHBAY_HOME: home,
      PATCHBAY_KEYCHAIN_SERVICE: `PatchbayE2E-${randomBytes(6).toString('hex')}`,
      PATCHBAY_SANDBOX_PORT: String(await freePort()),
      PATCHBAY_WEB_PORT: '0',
    });
    await rm(home, { recursive: true, force: true });
  },

  app: async ({ hostKind, seed, extraEnv, patchbayEnv, page }, use, testInfo) => {
    if (seed) await seed(patchbayEnv);
    const env = { ...extraEnv, ...patchbayEnv };
    const signInWith = (p: Page) => async (trigger: () => Promise<void>) => {
      const [signInPage] = await Promise.all([p.context().waitForEvent('page'), trigger()]);
      await signInPage.waitForLoadState('domcontentloaded');
      return signInPage;
    };

    if (hostKind === 'electron') {
      const launched = await launchElectronHost({ ...env });
      try {
        await use({ page: launched.page, env, host: 'electron', signIn: signInWith(launched.page) });
      } finally {
        await launched.close();
      }
      return;
    }

    const host = await startWebHostProcess({ ...env });
    try {
      await page.goto(host.url);
      await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 30_000 });
      await use({ page, env, host: 'web', signIn: signInWith(page) });
    } finally {
      await page.close().catch(() => undefined);
      await host.close();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('web-host-output', { body: host.output(), contentType: 'text/plain' });
      }
    }
  },
});

export { expect };

/** The region of one provider, found by its accessible name like a person would. */
export function providerRegion(page: Page, name: string) {
  return page.getByRole('region', { name, exact: true });
}
