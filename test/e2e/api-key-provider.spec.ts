/**
 * User story: support staff add a provider that uses an API key (header Api-Token, like
 * WebinarGeek), paste a wrong key (refused, nothing saved), then the right one (connected).
 *
 * The provider is a small local server this spec starts: it accepts one key and names the account.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, providerRegion, test } from './fixtures';

const GOOD_KEY = 'wg-test-key-7f3a9c';

interface FakeProvider {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

async function startKeyServer(): Promise<FakeProvider> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const key = req.headers['api-token'];
    seen.push(typeof key === 'string' ? key : '');
    if (req.url !== '/me') return void res.writeHead(404).end();
    if (key !== GOOD_KEY) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'Invalid API token' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'Acme Webinars', id: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('set up and connect an API-key provider against its server', async ({ app }) => {
  const provider = await startKeyServer();
  try {
    const { page } = app;
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const editor = page.getByRole('dialog', { name: 'Add a provider' });
    await editor.getByRole('radio', { name: 'API key' }).check();
    await editor.getByLabel('Name', { exact: true }).fill('Acme Webinars');
    await editor.getByLabel('ID', { exact: true }).fill('acme-webinars');
    await editor.getByLabel('API key header').fill('Api-Token');
    await editor.getByLabel('Test URL').fill(`${provider.url}/me`);
    await editor.getByLabel('Account name path (optional)').fill('name');
    await editor.getByRole('button', { name: 'Save provider' }).click();
    await expect(editor).toBeHidden();

    const region = providerRegion(page, 'Acme Webinars');
    await expect(region.getByText('Ready to connect')).toBeVisible();
    await region.getByRole('button', { name: 'Connect' }).click();

    const dialog = page.getByRole('dialog', { name: 'Connect Acme Webinars' });
    const keyField = dialog.getByLabel('API key', { exact: true });
    await expect(keyField).toBeFocused();
    await expect(dialog.getByText('Patchbay sends it as "Api-Token: …"')).toBeVisible();

    await keyField.fill('wrong-key');
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    await expect(keyField).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.locator('.field-error')).toBeVisible();
    expect(provider.seen).toContain('wrong-key');
    await expect(region.getByRole('listitem')).toHaveCount(0);

    await keyField.fill(GOOD_KEY);
    await dialog.getByRole('button', { name: 'Test and save' }).click();
    await expect(dialog).toBeHidden();
    await expect(region.getByText('Connected as Acme Webinars', { exact: true })).toBeVisible();
    expect(provider.seen).toContain(GOOD_KEY);

    const row = region.getByRole('listitem').filter({ hasText: 'Acme Webinars' });
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(row.getByText(/Test passed \(HTTP 200, \d+ ms\)/)).toBeVisible();
    // API keys do not expire and cannot be refreshed: no Refresh button.
    await expect(row.getByRole('button', { name: 'Refresh' })).toHaveCount(0);
    // The key never comes back to the page.
    expect(await page.content()).not.toContain(GOOD_KEY);

    // The provider goes away: the status says so in words, and Test connection stays the next step.
    await provider.close();
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(row.getByText("Couldn't reach Acme Webinars")).toBeVisible();
    await expect(row.getByRole('button', { name: 'Test connection' })).toHaveClass(/primary/);
  } finally {
    await provider.close();
  }
});
