/**
 * User stories: a person changes their mind during sign-in — says no at the consent page, or
 * closes the sign-in page. Either way they get a plain sentence and nothing is saved.
 */
import { openSettings } from '../../main/core/storage/settings';
import { expect, providerRegion, test, type PatchbayEnv } from './fixtures';

/** Connection records in the settings file (none may be written when nothing was connected). */
async function savedConnections(env: PatchbayEnv): Promise<unknown[]> {
  return openSettings({ home: env.PATCHBAY_HOME }).read().connections;
}

test('deny at the consent page: a plain message and nothing saved', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Deny' }).click();

  await expect(
    sandbox.getByText('You said no at Sandbox, so nothing was connected. Click Connect to try again.'),
  ).toBeVisible();
  await expect(sandbox.getByText('Ready to connect')).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'You said no at Sandbox' })).toBeAttached();
  expect(await savedConnections(app.env)).toEqual([]);
});

test('close the sign-in page: the attempt is cancelled', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await expect(signIn.getByLabel('Account name')).toBeVisible();
  await expect(sandbox.getByText('Waiting for you to sign in at Sandbox…')).toBeVisible();

  await signIn.close();

  await expect(sandbox.getByText('Sign-in cancelled. Nothing was saved.')).toBeVisible();
  await expect(sandbox.getByText('Waiting for you to sign in at Sandbox…')).toHaveCount(0);
  await expect(sandbox.getByRole('button', { name: 'Connect' })).toBeVisible();
  expect(await savedConnections(app.env)).toEqual([]);
});

test('cancel from Patchbay while the sign-in page is open', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await expect(signIn.getByLabel('Account name')).toBeVisible();
  await sandbox.getByRole('button', { name: 'Cancel' }).click();
  await expect(sandbox.getByText('Sign-in cancelled. Nothing was saved.')).toBeVisible();
  expect(await savedConnections(app.env)).toEqual([]);
});
