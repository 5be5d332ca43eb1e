/**
 * User story: a new user tries Patchbay with the Sandbox — signs in on its real pages, sees
 * "Connected as Acme", tests, refreshes, reads the details and disconnects.
 */
import { expect, providerRegion, test } from './fixtures';

test('connect the Sandbox, test, refresh, see details, disconnect', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  await expect(sandbox.getByText('Ready to connect')).toBeVisible();

  // First run: the Sandbox is offered without an account.
  const signIn = await app.signIn(() => page.getByRole('button', { name: 'Try it without an account' }).click());
  await expect(sandbox.getByText('Waiting for you to sign in at Sandbox…')).toBeVisible();
  await expect(sandbox.getByRole('button', { name: 'Cancel' })).toBeVisible();

  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();

  await expect(sandbox.getByText(/Connected as Acme · renews in \d+ (min|h)/)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'connected as Acme' })).toBeAttached();
  await expect(page.getByRole('button', { name: 'Try it without an account' })).toHaveCount(0);

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await row.getByRole('button', { name: 'Test connection' }).click();
  await expect(row.getByText(/Test passed \(HTTP 200, \d+ ms\)/)).toBeVisible();

  await row.getByRole('button', { name: 'Refresh' }).click();
  await expect(row.getByText('Access renewed.')).toBeVisible();

  await row.getByRole('button', { name: 'Details' }).click();
  const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
  await expect(details.getByText('openid')).toBeVisible();
  await expect(details.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first()).toBeVisible();
  await details.getByRole('button', { name: 'Copy diagnostics' }).click();
  const diagnostics = details.getByRole('textbox', { name: 'Diagnostics' });
  await expect(diagnostics).toHaveValue(/Account: Acme/);
  // Nothing that looks like a credential leaves the app in the diagnostics text.
  expect(await diagnostics.inputValue()).not.toMatch(/(code|access_token|refresh_token)=[^[&\s]/);
  await details.getByRole('button', { name: 'Done' }).click();
  await expect(details).toBeHidden();

  await row.getByRole('button', { name: 'Disconnect' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disconnect Acme?' });
  await expect(confirm.getByRole('button', { name: 'Keep connection' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Disconnect' }).click();
  await expect(sandbox.getByText('Disconnected Acme.')).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(0);
  await expect(sandbox.getByText('Ready to connect')).toBeVisible();
});
