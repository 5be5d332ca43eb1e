/**
 * User stories: Set up never reports a false success and removing a set-up is its own confirmed
 * action; Add a provider shows every mistake at once at its field; Import points at the line of its
 * own editor, suggests the field that was meant and says on screen what it added.
 */
import { expect, providerRegion, test } from './fixtures';

test('Set up: an empty client ID is an error at the field; removing the set-up asks first', async ({ app }) => {
  const { page } = app;
  const livechat = providerRegion(page, 'LiveChat');
  await livechat.getByRole('button', { name: 'Set up' }).click();
  const setup = page.getByRole('dialog', { name: 'Set up LiveChat' });
  const clientId = setup.getByLabel('Client ID');
  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(setup).toBeVisible();
  await expect(clientId).toHaveAttribute('aria-invalid', 'true');
  await expect(clientId).toBeFocused();
  await expect(setup.getByText('Client ID is empty. Paste the client ID of your LiveChat app.')).toBeVisible();
  await expect(setup.getByRole('button', { name: 'Remove set-up…' })).toHaveCount(0);
  await setup.getByRole('button', { name: 'Cancel' }).click();
  await expect(livechat.getByText('LiveChat is set up.')).toHaveCount(0);
  await expect(livechat.getByText('Not set up')).toBeVisible();

  await livechat.getByRole('button', { name: 'Set up' }).click();
  await setup.getByLabel('Client ID').fill('lc-client-1');
  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(setup).toBeHidden();
  await expect(livechat.getByText('LiveChat is set up.')).toBeVisible();
  await expect(livechat.getByText('Ready to connect')).toBeVisible();

  // Clearing the field of an existing set-up is a mistake to point at, not a silent removal.
  await livechat.getByRole('button', { name: 'Change set-up' }).click();
  await setup.getByLabel('Client ID').fill('   ');
  await setup.getByRole('button', { name: 'Save' }).click();
  await expect(setup.getByText('Client ID is empty. Paste the client ID of your LiveChat app.')).toBeVisible();
  await setup.getByRole('button', { name: 'Cancel' }).click();
  await expect(livechat.getByText('Ready to connect')).toBeVisible();

  // Removing is its own button, and it asks; keeping is the default.
  await livechat.getByRole('button', { name: 'Change set-up' }).click();
  await setup.getByRole('button', { name: 'Remove set-up…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove the set-up of LiveChat?' });
  await expect(confirm.getByRole('button', { name: 'Keep set-up' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Keep set-up' }).click();
  await expect(livechat.getByText('Ready to connect')).toBeVisible();

  await livechat.getByRole('button', { name: 'Change set-up' }).click();
  await setup.getByRole('button', { name: 'Remove set-up…' }).click();
  await confirm.getByRole('button', { name: 'Remove set-up' }).click();
  await expect(confirm).toBeHidden();
  await expect(livechat.getByText('LiveChat is no longer set up.')).toBeVisible();
  await expect(livechat.getByText('Not set up')).toBeVisible();
  await expect(livechat.getByRole('button', { name: 'Set up' })).toBeFocused();
});

test('Add a provider: every mistake at once, at its field, in the form’s words', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const editor = page.getByRole('dialog', { name: 'Add a provider' });
  // Optional fields say so; the Test URL is optional for OAuth only.
  await expect(editor.getByLabel('Scopes (optional)')).toBeVisible();
  await expect(editor.getByLabel('Test URL (optional)')).toBeVisible();
  await expect(editor.getByText(/the port is chosen when you connect/)).toBeVisible();

  await editor.getByRole('button', { name: 'Save provider' }).click();
  const name = editor.getByLabel('Name', { exact: true });
  await expect(name).toBeFocused();
  await expect(editor.locator('[aria-invalid="true"]')).toHaveCount(4);
  await expect(editor.getByText('Name is empty. Give the provider a name people will recognise.')).toBeVisible();
  await expect(editor.getByText(/^ID must be 1–63 lowercase letters/)).toBeVisible();
  await expect(editor.getByText(/^Authorization URL is missing\./)).toBeVisible();
  await expect(editor.getByText(/^Token URL is missing\./)).toBeVisible();
  await expect(editor.getByText(/Add it to the definition/)).toHaveCount(0);

  await editor.getByRole('radio', { name: 'API key' }).check();
  await expect(editor.getByLabel('Test URL', { exact: true })).toBeVisible();
  await editor.getByRole('radio', { name: 'OAuth 2.0' }).check();

  await name.fill('Port Co');
  await editor.getByLabel('Authorization URL').fill('https://port.example/authorize');
  await editor.getByLabel('Token URL').fill('https://port.example/token');
  const port = editor.getByLabel('Fixed port for the sign-in return (optional)');
  await port.fill('70000');
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByText('Loopback port must be from 1 to 65535.')).toBeVisible();
  await port.fill('47999');
  await expect(
    editor.getByText('Register http://127.0.0.1:47999/callback as the redirect URI at the provider.'),
  ).toBeVisible();
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(editor).toBeHidden();

  const region = providerRegion(page, 'Port Co');
  await expect(region.getByRole('heading', { name: 'Port Co' })).toBeFocused();
  await region.getByRole('button', { name: 'Set up' }).click();
  await expect(page.getByRole('dialog', { name: 'Set up Port Co' }).getByLabel('Redirect URI to register')).toHaveValue(
    'http://127.0.0.1:47999/callback',
  );
});

test('Import: the error names the line of its own editor and the field that was meant; success shows and focuses', async ({
  app,
}) => {
  const { page } = app;
  await page.getByRole('button', { name: 'Import providers' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import providers' });
  const text = dialog.getByLabel('Provider definitions (JSON)');
  const good = {
    id: 'gamma-desk',
    name: 'Gamma Desk',
    auth: 'apiKey',
    apiKeyHeader: 'Api-Token',
    testUrl: 'http://127.0.0.1:9/me',
  };
  const typo = JSON.stringify(
    [good, { ...good, id: 'delta-desk', name: 'Delta Desk', testUrl: undefined, testURL: 'http://127.0.0.1:9/me' }],
    null,
    2,
  );
  await text.fill(typo);
  await dialog.getByRole('button', { name: 'Review import' }).click();
  const line = typo.split('\n').findIndex((l) => l.includes('"testURL"')) + 1;
  await expect(dialog.getByText(`Line ${line}: Unknown field "testURL". Did you mean "testUrl"?`)).toBeVisible();
  await expect(dialog.getByText(/known fields are/)).toHaveCount(0);
  await expect(text).toBeFocused();
  const selected = await text.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toContain('"testURL"');

  await text.fill('{\n  "id": "x",\n  "name": "X",,\n}');
  await dialog.getByRole('button', { name: 'Review import' }).click();
  await expect(dialog.getByText(/mistake at line 3, column/)).toBeVisible();
  await expect(dialog.getByText(/text editor/)).toHaveCount(0);

  await text.fill(typo.replace('"testURL"', '"testUrl"'));
  await dialog.getByRole('button', { name: 'Review import' }).click();
  await dialog.getByRole('button', { name: 'Import 2 providers' }).click();
  await expect(dialog).toBeHidden();
  await expect(providerRegion(page, 'Gamma Desk').getByText('Gamma Desk imported.')).toBeVisible();
  await expect(providerRegion(page, 'Delta Desk').getByText('Delta Desk imported.')).toBeVisible();
  const heading = providerRegion(page, 'Gamma Desk').getByRole('heading', { name: 'Gamma Desk' });
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
});
