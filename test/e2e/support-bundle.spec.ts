/**
 * User story: a customer saves a support bundle from a connection's details; the support engineer
 * opens it with "Open a support bundle" and sees the same details, read-only. A bundle that was
 * tampered with (a diagnosis added) shows its sentence and Copy; a file that is not a bundle is
 * refused with the problem named. On the web host the bundle is a download; the desktop app
 * saves it through its own save dialog instead, which a browser cannot drive. And a connection to
 * a provider whose clock is 10 minutes off shows the diagnosis in its details.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openSettings } from '../../main/core/storage/settings';
import { startDiagnosisProvider, type DiagnosisProvider } from '../integration/providers/diagnosis-provider';
import { expect, providerRegion, test, type PatchbayEnv } from './fixtures';

test('save a support bundle from the details, then open it read-only', async ({ app, hostKind }, testInfo) => {
  test.skip(hostKind !== 'web', 'The desktop app saves bundles through its save dialog.');
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => page.getByRole('button', { name: 'Try it without an account' }).click());
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByText(/Connected as Acme/)).toBeVisible();

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await row.getByRole('button', { name: 'Details' }).click();
  const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
  // A working connection with a clock in step has nothing to diagnose.
  await expect(details.getByRole('heading', { name: 'What happened' })).toBeVisible();
  await expect(details.getByRole('heading', { name: 'What went wrong' })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    details.getByRole('button', { name: 'Save support bundle' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^patchbay-sandbox-\d{8}-\d{4}\.json$/);
  const saved = testInfo.outputPath('bundle.json');
  await download.saveAs(saved);
  await expect(details.getByText(/Support bundle downloaded as patchbay-sandbox-/)).toBeVisible();
  const text = await readFile(saved, 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'patchbay-support-bundle', connection: { label: 'Acme' } });
  expect(text).not.toMatch(/"(access_token|refresh_token|id_token|code)"\s*:\s*"[^[]/);
  await details.getByRole('button', { name: 'Done' }).click();

  // The engineer's side: open the file, see the same details, and nothing to act with.
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a support bundle' }).click(),
  ]);
  await chooser.setFiles(saved);
  const opened = page.getByRole('dialog', { name: 'Support bundle: Acme at Sandbox' });
  await expect(opened.getByText(/^Read-only\. Made .* by Patchbay /)).toBeVisible();
  await expect(opened.getByRole('list', { name: 'Timeline' }).getByRole('listitem').first()).toBeVisible();
  await expect(opened.getByText('In step with the provider')).toBeVisible();
  for (const name of ['Test connection', 'Send', 'Save support bundle', 'Copy diagnostics', 'Open Set up'])
    await expect(opened.getByRole('button', { name })).toHaveCount(0);
  await expect(opened.getByRole('link')).toHaveCount(0);
  await opened.getByRole('button', { name: 'Done' }).click();
  await expect(opened).toBeHidden();

  // A bundle whose diagnosis names a redirect URI shows the sentence and Copy, and no action that acts.
  const bundle = JSON.parse(text) as Record<string, unknown>;
  const uri = 'http://127.0.0.1:53682/callback';
  bundle.diagnosis = {
    code: 'redirect_uri_mismatch',
    sentence: `Sandbox does not accept the redirect URI Patchbay used. Register exactly ${uri}.\u001b[2J`,
    action: { kind: 'copy', label: 'Copy redirect URI', value: uri },
    redirectUri: uri,
  };
  const tampered = path.join(path.dirname(saved), 'tampered.json');
  await writeFile(tampered, JSON.stringify(bundle));
  const [again] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a support bundle' }).click(),
  ]);
  await again.setFiles(tampered);
  const shown = page.getByRole('dialog', { name: 'Support bundle: Acme at Sandbox' });
  await expect(shown.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
  await expect(shown).not.toContainText('[2J');
  await expect(shown.getByText(new RegExp(`Register exactly ${uri.replace(/[.]/g, '\\.')}\\.`))).toBeVisible();
  await expect(shown.getByRole('button', { name: 'Copy redirect URI' })).toBeVisible();
  await shown.getByRole('button', { name: 'Done' }).click();

  // Not a bundle: refused, with the reason on the page; no dialog opens.
  const providers = path.join(path.dirname(saved), 'providers.json');
  await writeFile(providers, JSON.stringify([{ id: 'acme', name: 'Acme', auth: 'apiKey' }]));
  const [third] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a support bundle' }).click(),
  ]);
  await third.setFiles(providers);
  await expect(page.getByRole('alert').filter({ hasText: 'This file is not a Patchbay support bundle' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test.describe('a provider whose clock is 10 minutes off', () => {
  let provider: DiagnosisProvider | null = null;
  test.beforeAll(async () => {
    provider = await startDiagnosisProvider({ dateOffsetMs: 10 * 60_000 });
  });
  test.afterAll(async () => {
    await provider?.close();
  });
  async function seedProvider(env: PatchbayEnv): Promise<void> {
    const base = provider!.base;
    await openSettings({ home: env.PATCHBAY_HOME }).update((data) => {
      data.providers.push({
        id: 'diag',
        name: 'Diag',
        auth: 'oauth2',
        authorizationUrl: `${base}/authorize`,
        tokenUrl: `${base}/token`,
        testUrl: `${base}/me`,
        labelPath: 'name',
        tokenAuthMethod: 'none',
      });
      data.clients.diag = { clientId: 'diag-client' };
    });
  }
  test.use({ seed: async ({}, use) => use(seedProvider) });

  test('the details show the diagnosis: fix the clock', async ({ app, hostKind }) => {
    test.skip(hostKind !== 'web', 'The desktop app is covered by the same dialog code.');
    const { page } = app;
    const region = providerRegion(page, 'Diag');
    await app.signIn(() => region.getByRole('button', { name: 'Connect' }).click());
    await expect(region.getByText(/Connected as Grace Hopper/)).toBeVisible();
    await region
      .getByRole('listitem')
      .filter({ hasText: 'Grace Hopper' })
      .getByRole('button', { name: 'Details' })
      .click();
    const details = page.getByRole('dialog', { name: 'Grace Hopper at Diag' });
    await expect(details.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
    await expect(details.getByText(/about 10 minutes behind Diag's\. .*fix the computer's clock/)).toBeVisible();
    await expect(details.getByText("Fix the computer's clock.")).toBeVisible();
  });
});
