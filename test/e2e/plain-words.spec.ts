/**
 * User story: a first-time user reads the first screen and a connection's details. Plain words
 * come first; the technical line (HTTP method, status, content type, size) is in the details'
 * small print and the diagnostics, and nowhere on the first screen.
 */
import { expect, providerRegion, test } from './fixtures';

/** Jargon a first-time user should not meet on the first screen. */
const JARGON = [/who am I/i, /127\.0\.0\.1/, /loopback/i, /answered \d{3} \(/, /Connected as connection /, /\bPOST\b/];

test('the first screen speaks plainly; details keep the technical line', async ({ app }) => {
  const { page } = app;
  const firstScreen = await page.locator('main').innerText();
  for (const pattern of JARGON) expect(firstScreen).not.toMatch(pattern);

  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByText(/Connected as Acme/)).toBeVisible();
  const afterConnect = await page.locator('main').innerText();
  for (const pattern of JARGON) expect(afterConnect).not.toMatch(pattern);

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await row.getByRole('button', { name: 'Details' }).click();
  const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
  const tokenStep = details
    .getByRole('list', { name: 'Timeline' })
    .getByRole('listitem')
    .filter({ hasText: 'token request' });
  await expect(tokenStep).toContainText('Sandbox answered.');
  await expect(tokenStep.locator('.meta')).toContainText(/POST answered 200 \(application\/json, \d+ bytes\)/);
  await expect(details.getByRole('list', { name: 'Timeline' })).toContainText('Connected as Acme.');
  await details.getByRole('button', { name: 'Copy diagnostics' }).click();
  await expect(details.getByRole('textbox', { name: 'Diagnostics' })).toHaveValue(
    /POST answered 200 \(application\/json/,
  );
});
