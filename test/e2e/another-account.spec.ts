/**
 * User story: "Connect another account" lets the person pick another account, and warns before a
 * second connection for an account that is already connected.
 *
 * The Sandbox remembers who signed in (a session cookie in this browser), so without asking for
 * its sign-in again (`prompt=login`) it would go straight to consent as the same account.
 */
import { expect, providerRegion, test } from './fixtures';

test('Connect another account asks the provider to sign in again and refuses a silent duplicate', async ({ app }) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const first = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await first.getByLabel('Account name').fill('Acme');
  await first.getByRole('button', { name: 'Sign in' }).click();
  await first.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByRole('listitem')).toHaveCount(1);

  // Same browser, same Sandbox session: the sign-in form is shown again all the same.
  const again = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect another account' }).click());
  await expect(again.getByLabel('Account name')).toBeVisible();
  await again.getByLabel('Account name').fill('Acme');
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.getByRole('button', { name: 'Allow' }).click();
  await expect(
    sandbox.getByText('You signed in to Sandbox as Acme, which is already connected, so Patchbay saved nothing new.', {
      exact: false,
    }),
  ).toBeVisible();
  await expect(sandbox.getByRole('button', { name: 'Add the same account again' })).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(1);

  const bob = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect another account' }).click());
  await bob.getByLabel('Account name').fill('Bob');
  await bob.getByRole('button', { name: 'Sign in' }).click();
  await bob.getByRole('button', { name: 'Allow' }).click();
  await expect(
    sandbox
      .getByRole('listitem')
      .filter({ hasText: 'Bob' })
      .getByText(/Connected as Bob/),
  ).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(2);
});
