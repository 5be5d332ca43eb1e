/**
 * User story: a connection that breaks while the app is open shows up as needing attention,
 * with a notification, and nobody pressed Test.
 *
 * The person connects the Sandbox in the web app and allowed notifications for it. Then the grant
 * is revoked at the Sandbox itself (as an admin revoking the app's access would), while the app
 * stays open. The background health check (every 2 s here, PATCHBAY_HEALTH_INTERVAL_MS) finds it:
 * the row says it needs a new sign-in, the header says "1 connection needs you", exactly one
 * browser notification is shown, and clicking it opens that connection's details.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import { expect, providerRegion, test as base } from './fixtures';

interface Shown {
  title: string;
  body: string;
}

/** Every browser notification the page creates, recorded (the real one still runs). */
const test = base.extend({
  page: async ({ page }, use) => {
    await page.addInitScript(() => {
      const Real = window.Notification;
      const shown: Notification[] = [];
      (window as unknown as { shownNotifications: Notification[] }).shownNotifications = shown;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(this);
        }
      }
      window.Notification = Recorded as typeof Notification;
    });
    await use(page);
  },
});

const shownNotifications = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { shownNotifications: Notification[] }).shownNotifications.map((n) => ({
      title: n.title,
      body: n.body,
    })),
  ) as Promise<Shown[]>;

/** Revoke the connection's tokens at the Sandbox (RFC 7009), as its administrator would. */
async function revokeAtSandbox(env: { PATCHBAY_KEYCHAIN_SERVICE: string; PATCHBAY_SANDBOX_PORT: string }, id: string) {
  const secret = await createKeytarVault(env.PATCHBAY_KEYCHAIN_SERVICE).getConnectionSecret(id);
  if (secret?.kind !== 'oauth2' || !secret.refreshToken) throw new Error('the Sandbox connection has no refresh token');
  for (const [token, hint] of [
    [secret.refreshToken, 'refresh_token'],
    [secret.accessToken, 'access_token'],
  ] as const) {
    const answer = await fetch(`http://127.0.0.1:${env.PATCHBAY_SANDBOX_PORT}/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: hint, client_id: 'patchbay-desktop' }),
    });
    expect(answer.status).toBe(200);
  }
}

test.use({ permissions: ['notifications'], extraEnv: { PATCHBAY_HEALTH_INTERVAL_MS: '2000' } });

test('a connection that breaks while the app is open needs attention, with one notification that opens it', async ({
  app,
}) => {
  test.skip(app.host !== 'web', "the browser's Notification API is the web host's; the desktop app's are unit-tested");
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');

  const tab = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  await tab.getByLabel('Account name').fill('Acme');
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.getByRole('button', { name: 'Allow' }).click();
  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await expect(row.getByText(/Connected as Acme/)).toBeVisible();
  // Closed only now: a sign-in tab closed before its redirect arrives cancels the sign-in.
  if (!tab.isClosed()) await tab.close();
  // The background checks run and say so, with the exact time in the tooltip.
  await expect(row.locator('time')).toHaveText(/^Checked (just now|1 minute ago)$/);
  await expect(row.locator('time')).toHaveAttribute('title', /\d/);
  const attention = page.getByRole('status').filter({ hasText: /need/ });
  await expect(page.getByRole('button', { name: /needs? you/ })).toHaveCount(0);
  // Notifications are allowed already, so the page does not ask.
  await expect(page.getByRole('button', { name: 'Allow notifications' })).toHaveCount(0);

  const [connection] = openSettings({ home: app.env.PATCHBAY_HOME }).read().connections;
  await revokeAtSandbox(app.env, String(connection?.id));

  await expect(row.getByText('Needs you to sign in again')).toBeVisible({ timeout: 30_000 });
  await expect(row.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await expect(attention).toHaveText('1 connection needs you');
  await expect
    .poll(() => shownNotifications(page))
    .toEqual([
      {
        title: 'Acme at Sandbox needs you',
        body: 'Patchbay can no longer use this sign-in. Open it and click Reconnect.',
      },
    ]);
  // The attention strip and the broken row keep the page free of axe violations.
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  // More rounds find it still broken: still one notification.
  const checkedAt = () => openSettings({ home: app.env.PATCHBAY_HOME }).read().connections[0]?.lastCheck?.at;
  const first = checkedAt();
  await expect.poll(checkedAt, { timeout: 20_000 }).not.toBe(first);
  expect(await shownNotifications(page)).toHaveLength(1);

  // The person clicks the notification: the details of that connection open.
  await page.evaluate(() =>
    (window as unknown as { shownNotifications: Notification[] }).shownNotifications[0]!.dispatchEvent(
      new Event('click'),
    ),
  );
  const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
  await expect(details).toBeVisible();
  await expect(details.getByText('Needs you to sign in again')).toBeVisible();
  await details.getByRole('button', { name: 'Done' }).click();

  // The header count takes the person to the row that needs them.
  await page.getByRole('button', { name: '1 connection needs you' }).click();
  await expect(row.locator('.connection-text')).toBeFocused();
});
