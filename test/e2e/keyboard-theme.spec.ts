/**
 * User stories: a keyboard-only user opens and leaves a dialog without a mouse; a user who prefers
 * dark screens picks the dark theme and keeps it after a reload.
 */
import { expect, providerRegion, test } from './fixtures';

test('dialogs work from the keyboard: focus moves in, Escape closes, focus comes back', async ({ app }) => {
  const { page } = app;
  const add = page.getByRole('button', { name: 'Add a provider' });
  await add.focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('dialog', { name: 'Add a provider' });
  await expect(editor).toBeVisible();
  // The dialog starts at the issuer look-up; "Fill in by hand" is two Tabs away and moves to Name.
  await expect(editor.getByLabel('Issuer URL', { exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(editor.getByRole('button', { name: 'Fill in by hand' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(editor.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type('Keyboard Co');
  await expect(editor.getByLabel('ID', { exact: true })).toHaveValue('keyboard-co');
  await page.keyboard.press('Escape');
  await expect(editor).toBeHidden();
  await expect(add).toBeFocused();

  // A provider's one next step is reachable with Tab and works with Enter.
  const livechat = providerRegion(page, 'LiveChat');
  const setUp = livechat.getByRole('button', { name: 'Set up' });
  await setUp.focus();
  await page.keyboard.press('Enter');
  const setup = page.getByRole('dialog', { name: 'Set up LiveChat' });
  await expect(setup.getByLabel('Client ID')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(setup.getByLabel('Client secret')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(setup).toBeHidden();
  await expect(setUp).toBeFocused();

  // The documented method comes first; the guide-style OAuth variant opens from the keyboard.
  const variant = providerRegion(page, 'Landbot — OAuth 2.0 with your own app');
  await expect(variant).toBeHidden();
  await page.getByText('Other ways to connect Landbot').focus();
  await page.keyboard.press('Enter');
  await expect(variant.getByText("Not in Landbot's public docs")).toBeVisible();
  await expect(variant.getByText('Not set up')).toBeVisible();
  await expect(variant.getByRole('button', { name: 'Set up' })).toBeVisible();
});

test('the dark theme can be chosen and is remembered', async ({ app }) => {
  const { page } = app;
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'system');
  await page.getByLabel('Theme').selectOption('dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 19, 24)');
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  // Status changes are announced politely.
  await expect(page.locator('[role="status"][aria-live="polite"]')).toBeAttached();
});
