/**
 * User stories: a keyboard-only user connects, tests, refreshes and disconnects the Sandbox, cancels
 * a sign-in and deletes a provider, and after every step focus is somewhere that makes sense (the
 * new row, the same button, the provider's next step, the neighbouring provider), never the page.
 */
import { expect, providerRegion, test } from './fixtures';

test('connect, test, refresh and disconnect by keyboard: focus follows each step', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const focused = page.locator(':focus');

  const connect = sandbox.getByRole('button', { name: 'Connect', exact: true });
  await connect.focus();
  const signIn = await app.signIn(() => page.keyboard.press('Enter'));
  // The Connect button made way for the sign-in status, and focus went with it.
  await expect(sandbox.getByText('Waiting for you to sign in at Sandbox…')).toBeFocused();

  // The Sandbox's account field has the focus: Enter signs in.
  await expect(signIn.getByLabel('Account name')).toBeFocused();
  await signIn.keyboard.press('Enter');
  await signIn.getByRole('button', { name: 'Allow' }).focus();
  await signIn.keyboard.press('Enter');

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await expect(row.getByText(/Connected as Acme/)).toBeVisible();
  // Focus lands on the new connection: its label and status are read out.
  await expect(focused).toContainText('Connected as Acme');

  await page.keyboard.press('Tab');
  const test_ = row.getByRole('button', { name: 'Test connection' });
  await expect(test_).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row.getByText(/Test passed/)).toBeVisible();
  await expect(test_).toBeFocused();

  await page.keyboard.press('Tab');
  const refresh = row.getByRole('button', { name: 'Refresh' });
  await expect(refresh).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row.getByText('Access renewed.')).toBeVisible();
  await expect(refresh).toBeFocused();

  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(row.getByRole('button', { name: 'Disconnect' })).toBeFocused();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Disconnect Acme?' });
  await expect(confirm.getByRole('button', { name: 'Keep connection' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(sandbox.getByRole('listitem')).toHaveCount(0);
  // The row is gone; the provider's next step has the focus.
  await expect(connect).toBeFocused();
});

test('cancelling a sign-in and deleting a provider keep the keyboard focus on the page', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const connect = sandbox.getByRole('button', { name: 'Connect', exact: true });
  await connect.focus();
  const signIn = await app.signIn(() => page.keyboard.press('Enter'));
  await expect(signIn.getByLabel('Account name')).toBeVisible();
  await sandbox.getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  await expect(sandbox.getByText('Sign-in cancelled. Nothing was saved.')).toBeVisible();
  await expect(connect).toBeFocused();

  // Two providers of one's own; deleting the first moves focus to the next one's heading.
  await page.getByRole('button', { name: 'Import providers' }).click();
  const importer = page.getByRole('dialog', { name: 'Import providers' });
  const def = (id: string, name: string) => ({
    id,
    name,
    auth: 'apiKey',
    apiKeyHeader: 'Api-Token',
    testUrl: `http://127.0.0.1:9/${id}`,
  });
  await importer
    .getByLabel('Provider definitions (JSON)')
    .fill(JSON.stringify([def('alpha-desk', 'Alpha Desk'), def('beta-desk', 'Beta Desk')]));
  await importer.getByRole('button', { name: 'Review import' }).click();
  await importer.getByRole('button', { name: 'Import 2 providers' }).click();
  await expect(importer).toBeHidden();

  const alpha = providerRegion(page, 'Alpha Desk');
  await alpha.getByRole('button', { name: 'Delete provider' }).focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete Alpha Desk?' });
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Delete provider' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(alpha).toHaveCount(0);
  await expect(providerRegion(page, 'Beta Desk').getByRole('heading', { name: 'Beta Desk' })).toBeFocused();
});
