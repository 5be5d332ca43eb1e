/**
 * User story: Patchbay starts on a machine with no keychain at all. The first screen says so,
 * with the fix, before anyone spends a whole sign-in finding out.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../helpers/ports';
import { startWebHostProcess } from './web-host-process';

test('no Secret Service: a banner with the fix on the first screen', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'starts the web host itself');
  const home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-e2e-nokeychain-'));
  // A session bus address that leads nowhere: keytar cannot reach any Secret Service.
  const host = await startWebHostProcess({
    PATCHBAY_HOME: home,
    PATCHBAY_KEYCHAIN_SERVICE: `PatchbayE2E-${randomBytes(6).toString('hex')}`,
    PATCHBAY_SANDBOX_PORT: String(await freePort()),
    PATCHBAY_WEB_PORT: '0',
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home, 'no-bus')}`,
  });
  try {
    await page.goto(host.url);
    const banner = page
      .getByRole('alert')
      .filter({ has: page.getByRole('heading', { name: 'Your keychain is not available' }) });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('install and unlock a Secret Service such as GNOME Keyring');
    // Nothing was tried yet: the banner came from start-up, not from a failed sign-in.
    await expect(
      page.getByRole('region', { name: 'Sandbox', exact: true }).getByText('Ready to connect'),
    ).toBeVisible();
  } finally {
    await host.close();
    await rm(home, { recursive: true, force: true });
  }
});

test('with a keychain, no banner', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'web', 'starts the web host itself');
  const home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-e2e-keychain-'));
  const host = await startWebHostProcess({
    PATCHBAY_HOME: home,
    PATCHBAY_KEYCHAIN_SERVICE: `PatchbayE2E-${randomBytes(6).toString('hex')}`,
    PATCHBAY_SANDBOX_PORT: String(await freePort()),
    PATCHBAY_WEB_PORT: '0',
  });
  try {
    await page.goto(host.url);
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    // app:info (which carries the check) has answered once the version is known to the page.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const key = sessionStorage.getItem('patchbay-launch-key');
          const r = await fetch('/api/invoke/app:info', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-patchbay-key': key ?? '' },
            body: '[]',
          });
          return ((await r.json()) as { value: { keychainProblem: string | null } }).value.keychainProblem;
        }),
      )
      .toBeNull();
    await expect(page.getByRole('heading', { name: 'Your keychain is not available' })).toHaveCount(0);
  } finally {
    await host.close();
    await rm(home, { recursive: true, force: true });
  }
});
