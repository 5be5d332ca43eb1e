/**
 * User stories: add a custom OAuth provider with mistakes (the error names the field and the fix,
 * next to that field), then set it up (client ID, write-only secret, redirect URI to copy),
 * export it, and import a broken definition.
 */
import { expect, providerRegion, test } from './fixtures';

test('a bad URL in a custom provider is reported at its field', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const editor = page.getByRole('dialog', { name: 'Add a provider' });
  await editor.getByLabel('Name', { exact: true }).fill('Acme CRM');
  await editor.getByLabel('ID', { exact: true }).fill('acme-crm');
  await editor.getByLabel('Authorization URL').fill('https://auth.acme.example/authorize');
  const tokenUrl = editor.getByLabel('Token URL');
  await tokenUrl.fill('not a url');
  await editor.getByRole('button', { name: 'Save provider' }).click();

  await expect(tokenUrl).toHaveAttribute('aria-invalid', 'true');
  await expect(tokenUrl).toBeFocused();
  await expect(
    editor.getByText('Token URL "not a url" is not a web address. Enter a full URL starting with https://.'),
  ).toBeVisible();
  await expect(editor.getByLabel('Authorization URL')).not.toHaveAttribute('aria-invalid', 'true');

  // Plain http:// to a real host is refused too, with the https fix spelled out.
  await tokenUrl.fill('http://auth.acme.example/token');
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(editor.getByText(/Token URL must start with https:\/\//)).toBeVisible();

  await tokenUrl.fill('https://auth.acme.example/token');
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(editor).toBeHidden();

  const region = providerRegion(page, 'Acme CRM');
  await expect(region.getByText('Not set up')).toBeVisible();
  await region.getByRole('button', { name: 'Set up' }).click();
  const setup = page.getByRole('dialog', { name: 'Set up Acme CRM' });
  await expect(setup.getByLabel('Redirect URI to register')).toHaveValue(/^http:\/\/127\.0\.0\.1/);
  await expect(setup.getByRole('button', { name: 'Copy redirect URI' })).toBeVisible();
  await setup.getByLabel('Client ID').fill('acme-client-1');
  await setup.getByLabel('Client secret').fill('s3cret-value-xyz');
  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(setup).toBeHidden();

  await expect(region.getByText('Ready to connect')).toBeVisible();
  await region.getByRole('button', { name: 'Change set-up' }).click();
  const again = page.getByRole('dialog', { name: 'Set up Acme CRM' });
  await expect(again.getByText('Saved in your keychain. Leave empty to keep it.')).toBeVisible();
  await expect(again.getByLabel('Client secret')).toHaveValue('');
  await again.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.content()).not.toContain('s3cret-value-xyz');

  await page.getByRole('button', { name: 'Export providers' }).click();
  const exported = page.getByRole('dialog', { name: 'Export providers' });
  await expect(exported.getByRole('textbox')).toHaveValue(/"tokenUrl": ?"https:\/\/auth\.acme\.example\/token"/);
  expect(await exported.getByRole('textbox').inputValue()).not.toContain('acme-client-1');
  await exported.getByRole('button', { name: 'Done' }).click();

  // Edit keeps the ID (read-only) and the fields the form does not show; delete asks first.
  await region.getByRole('button', { name: 'Edit provider' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Acme CRM' });
  await expect(edit.getByLabel('ID', { exact: true })).toHaveAttribute('readonly', '');
  await edit.getByLabel('Name', { exact: true }).fill('Acme CRM (EU)');
  await edit.getByRole('button', { name: 'Save provider' }).click();
  await expect(edit).toBeHidden();
  const renamed = providerRegion(page, 'Acme CRM (EU)');
  await expect(renamed.getByText('Ready to connect')).toBeVisible();
  await renamed.getByRole('button', { name: 'Delete provider' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete Acme CRM (EU)?' });
  await confirm.getByRole('button', { name: 'Delete provider' }).click();
  await expect(renamed).toHaveCount(0);
});

test('importing a broken definition names the field', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Import providers' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import providers' });
  const text = dialog.getByLabel('Provider definitions (JSON)');
  await text.fill(JSON.stringify({ id: 'helpdesk', name: 'Helpdesk', auth: 'apiKey', apiKeyHeader: 'Authorization' }));
  await dialog.getByRole('button', { name: 'Review import' }).click();
  await expect(text).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText(/^Line 1: Test URL is missing\./)).toBeVisible();

  await text.fill(
    JSON.stringify([
      {
        id: 'helpdesk',
        name: 'Helpdesk',
        auth: 'apiKey',
        apiKeyHeader: 'Authorization',
        apiKeyPrefix: 'Bearer ',
        testUrl: 'https://helpdesk.example/me',
      },
    ]),
  );
  await dialog.getByRole('button', { name: 'Review import' }).click();
  await expect(dialog.getByText('Helpdesk will be added.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Import 1 provider' }).click();
  await expect(dialog).toBeHidden();
  await expect(providerRegion(page, 'Helpdesk').getByText('Ready to connect')).toBeVisible();
});
