/**
 * User stories: a provider in use (its client secret is saved) is moved to another host, once by a
 * re-imported file and once in the editor. Nothing moves until the person has read which host it
 * moves from and to, and ticked "I trust <new host>"; Back leaves everything as it was; after the
 * move the client secret is gone (it was never sent to the new host) and has to be entered again.
 */
import type { Page } from '@playwright/test';
import { expect, providerRegion, test } from './fixtures';

const definition = (tokenUrl: string) => ({
  id: 'acme-crm',
  name: 'Acme CRM',
  auth: 'oauth2',
  authorizationUrl: 'https://auth.acme.example/authorize',
  tokenUrl,
  scopes: ['read'],
});

async function importJson(page: Page, json: unknown) {
  await page.getByRole('button', { name: 'Import providers' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import providers' });
  await dialog.getByLabel('Provider definitions (JSON)').fill(JSON.stringify(json));
  await dialog.getByRole('button', { name: 'Review import' }).click();
  return dialog;
}

async function setUpWithSecret(page: Page) {
  const region = providerRegion(page, 'Acme CRM');
  await region.getByRole('button', { name: 'Set up' }).click();
  const setup = page.getByRole('dialog', { name: 'Set up Acme CRM' });
  await setup.getByLabel('Client ID').fill('acme-client-1');
  await setup.getByLabel('Client secret').fill('s3cret-value-xyz');
  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(setup).toBeHidden();
  await expect(region.getByText('Ready to connect')).toBeVisible();
}

async function secretIsSaved(page: Page): Promise<boolean> {
  await providerRegion(page, 'Acme CRM')
    .getByRole('button', { name: /Set up|Change set-up/ })
    .click();
  const setup = page.getByRole('dialog', { name: 'Set up Acme CRM' });
  await expect(setup.getByLabel('Client secret')).toBeVisible();
  const saved = await setup.getByText('Saved in your keychain. Leave empty to keep it.').isVisible();
  await setup.getByRole('button', { name: 'Cancel' }).click();
  return saved;
}

async function exportedTokenUrl(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Export providers' }).click();
  const exported = page.getByRole('dialog', { name: 'Export providers' });
  await expect(exported.getByRole('textbox')).toHaveValue(/acme-crm/);
  const json = JSON.parse(await exported.getByRole('textbox').inputValue()) as
    { tokenUrl: string } | Array<{ id: string; tokenUrl: string }>;
  await exported.getByRole('button', { name: 'Done' }).click();
  return Array.isArray(json) ? json.find((d) => d.id === 'acme-crm')!.tokenUrl : json.tokenUrl;
}

test('a re-import that moves a provider in use names both hosts and waits for "I trust"', async ({ app }) => {
  const { page } = app;
  const first = await importJson(page, definition('https://auth.acme.example/token'));
  await expect(first.getByText('Acme CRM will be added.')).toBeVisible();
  await first.getByRole('button', { name: 'Import 1 provider' }).click();
  await expect(first).toBeHidden();
  await setUpWithSecret(page);

  // The same ID, its token URL on another host: the review says so and Import waits.
  const moved = await importJson(page, definition('https://tokens.elsewhere.example/token'));
  await expect(moved.getByText('Acme CRM will be updated.')).toBeVisible();
  const move = moved.locator('.origin-move');
  await expect(move).toContainText('Token URL moves from auth.acme.example to tokens.elsewhere.example.');
  await expect(move).toContainText('deleted first, without being sent anywhere');
  await expect(move).toContainText('enter the client secret again');
  const importButton = moved.getByRole('button', { name: 'Import 1 provider' });
  await expect(importButton).toBeDisabled();

  // Back: nothing changed, the secret is still saved.
  await moved.getByRole('button', { name: 'Back' }).click();
  await expect(moved.getByLabel('Provider definitions (JSON)')).toBeVisible();
  await moved.getByRole('button', { name: 'Cancel' }).click();
  expect(await exportedTokenUrl(page)).toBe('https://auth.acme.example/token');
  expect(await secretIsSaved(page)).toBe(true);

  // Confirmed: the provider moves and the secret is gone, to be entered again.
  const again = await importJson(page, definition('https://tokens.elsewhere.example/token'));
  await again.getByLabel('I trust tokens.elsewhere.example and want to send sign-ins there').check();
  await again.getByRole('button', { name: 'Import 1 provider' }).click();
  await expect(again).toBeHidden();
  expect(await exportedTokenUrl(page)).toBe('https://tokens.elsewhere.example/token');
  expect(await secretIsSaved(page)).toBe(false);
});

test('moving a provider in use in the editor asks first; an edit that stays on its host does not', async ({ app }) => {
  const { page } = app;
  const first = await importJson(page, definition('https://auth.acme.example/token'));
  await first.getByRole('button', { name: 'Import 1 provider' }).click();
  await setUpWithSecret(page);
  const region = providerRegion(page, 'Acme CRM');

  // Same host, another path: saved at once, the secret kept.
  await region.getByRole('button', { name: 'Edit provider' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Acme CRM' });
  await edit.getByLabel('Token URL').fill('https://auth.acme.example/oauth/token');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await expect(edit).toBeHidden();
  expect(await secretIsSaved(page)).toBe(true);

  // Another host: the review replaces the form until confirmed.
  await region.getByRole('button', { name: 'Edit provider' }).click();
  await edit.getByLabel('Token URL').fill('https://tokens.elsewhere.example/token');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await expect(edit.locator('.origin-move')).toContainText(
    'Token URL moves from auth.acme.example to tokens.elsewhere.example.',
  );
  const moveButton = edit.getByRole('button', { name: 'Move and save' });
  await expect(moveButton).toBeDisabled();
  await edit.getByRole('button', { name: 'Back' }).click();
  await expect(edit.getByLabel('Token URL')).toHaveValue('https://tokens.elsewhere.example/token');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await edit.getByLabel('I trust tokens.elsewhere.example and want to send sign-ins there').check();
  await moveButton.click();
  await expect(edit).toBeHidden();
  expect(await exportedTokenUrl(page)).toBe('https://tokens.elsewhere.example/token');
  expect(await secretIsSaved(page)).toBe(false);
});
