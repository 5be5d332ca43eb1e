/**
 * User story: someone on a company network opens Network, is told plainly what is wrong with a
 * proxy address that has a password in it and with a certificate file that does not exist, saves
 * the proxy, and the next connection goes through it (the proxy on 127.0.0.1 sees the CONNECT).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startConnectProxy } from '../integration/providers/corporate-network';
import { expect, providerRegion, test } from './fixtures';

const KEY = 'net-test-key-31c8';

async function startKeyServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/me' || req.headers['api-token'] !== KEY) return void res.writeHead(401).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'Proxied Account' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('save a proxy in Network and connect through it', async ({ app }) => {
  const proxy = await startConnectProxy({ hosts: [] });
  const provider = await startKeyServer();
  try {
    const { page } = app;
    await page.getByRole('button', { name: 'Network' }).click();
    const dialog = page.getByRole('dialog', { name: 'Network' });
    const proxyField = dialog.getByLabel('Proxy address');
    await expect(proxyField).toBeFocused();
    await expect(dialog.getByText('Requests go straight to each provider (no proxy).')).toBeVisible();

    await proxyField.fill(`http://alice:s3cret-pw@127.0.0.1:${proxy.port}`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(proxyField).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText('has a user name or password in it')).toBeVisible();

    await proxyField.fill(proxy.url);
    await dialog.getByLabel('Certificate authority file').fill('/nowhere/company-ca.pem');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByLabel('Certificate authority file')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText('which Patchbay cannot read')).toBeVisible();

    await dialog.getByLabel('Certificate authority file').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('button', { name: 'Network' }).click();
    await expect(dialog.getByLabel('Proxy address')).toHaveValue(proxy.url);
    await expect(dialog.getByText(`Requests go through ${proxy.url} (set here).`)).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Add a provider' }).click();
    const editor = page.getByRole('dialog', { name: 'Add a provider' });
    await editor.getByRole('radio', { name: 'API key' }).check();
    await editor.getByLabel('Name', { exact: true }).fill('Proxied');
    await editor.getByLabel('ID', { exact: true }).fill('proxied');
    await editor.getByLabel('API key header').fill('Api-Token');
    await editor.getByLabel('Test URL').fill(`${provider.url}/me`);
    await editor.getByRole('button', { name: 'Save provider' }).click();
    await expect(editor).toBeHidden();

    const region = providerRegion(page, 'Proxied');
    await region.getByRole('button', { name: 'Connect' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect Proxied' });
    await connect.getByLabel('API key', { exact: true }).fill(KEY);
    await connect.getByRole('button', { name: 'Test and save' }).click();
    await expect(region.getByText('Connected as Proxied Account', { exact: true })).toBeVisible();
    expect(proxy.connects).toContain(new URL(provider.url).host);
    expect(await page.content()).not.toContain('s3cret-pw');
  } finally {
    await provider.close();
    await proxy.close();
  }
});
