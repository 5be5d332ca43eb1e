/**
 * User story: someone connects a provider that signs in with a code (RFC 8628), as from a
 * computer without a usable browser: Patchbay shows the code large, Copy puts it on the
 * clipboard, "Open the verification page" opens the Sandbox's code page (here in another tab,
 * standing in for a phone), the code is confirmed and access allowed there, and the row says
 * Connected.
 */
import { expect, providerRegion, test } from './fixtures';

test('connect with a device code: code shown, copied, entered elsewhere, connected', async ({ app }) => {
  const { page } = app;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  // The device-code Sandbox is one of the Sandbox's other ways to connect.
  await page.getByText('Other ways to connect Sandbox').click();
  const device = providerRegion(page, 'Sandbox (device code)');
  await expect(device.getByText('Ready to connect')).toBeVisible();

  await device.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(device.getByText('Waiting for the code to be entered at Sandbox (device code)…')).toBeVisible();
  const code = device.getByLabel('Code to enter');
  await expect(code).toHaveText(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
  const userCode = (await code.textContent()) ?? '';
  // Shown large: a code read out or typed on another device must be easy to read.
  const size = await code.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(28);
  await expect(device.getByText(`http://127.0.0.1:${app.env.PATCHBAY_SANDBOX_PORT}/device`)).toBeVisible();

  await device.getByRole('button', { name: 'Copy the code' }).click();
  await expect(device.getByRole('button', { name: 'Copy the code' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(userCode);

  // The verification page opens through the host's link policy, in a new tab on the web host.
  const opened = page.waitForEvent('popup');
  await device.getByRole('button', { name: 'Open the verification page' }).click();
  const other = await opened;
  await expect(other.getByText(userCode)).toBeVisible();
  await other.getByRole('button', { name: 'Allow this device' }).click();
  await other.getByLabel('Account name').fill('Acme');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByRole('button', { name: 'Allow' }).click();
  await expect(other.getByRole('heading', { name: 'Device connected' })).toBeVisible();

  await expect(device.getByText(/Connected as Acme/)).toBeVisible({ timeout: 30_000 });
  await expect(device.getByLabel('Code to enter')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'connected as Acme' })).toBeAttached();
});

test('a device-code sign-in can be cancelled, and says so', async ({ app }) => {
  const { page } = app;
  await page.getByText('Other ways to connect Sandbox').click();
  const device = providerRegion(page, 'Sandbox (device code)');
  await device.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(device.getByLabel('Code to enter')).toBeVisible();
  await device.getByRole('button', { name: 'Cancel' }).click();
  await expect(device.getByText('Sign-in cancelled. Nothing was saved.')).toBeVisible();
  await expect(device.getByLabel('Code to enter')).toHaveCount(0);
});
