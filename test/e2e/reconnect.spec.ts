/**
 * User stories: a connection whose keychain secret vanished, and the sign-in tab's last page.
 *
 * The keychain loses a connection's secret behind Patchbay's back; the first operation that
 * notices (here a `patchbay test` in a terminal) marks it "needs you" and the open app shows it
 * at once, dropping the now-stale "Access renewed." notice. Reconnect signs in again and replaces
 * that connection (same id and label). After Allow and after Deny the sign-in tab says so in
 * different words, and neither page ever logs a callback URL (no code, no state) to the console.
 */
import type { Page } from '@playwright/test';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import { runCli } from '../helpers/cli';
import { expect, providerRegion, test, type PatchbayApp } from './fixtures';

/** Every console message of a page, to check that no callback URL is ever logged. */
function recordConsole(page: Page, into: string[]): void {
  page.on('console', (m) => into.push(`${m.text()} @ ${m.location().url}`));
}

/** A callback URL or its parts in a console line. */
const CALLBACK_IN_LOG = /\/callback\?|[?&](code|state)=/;

/** Finish the Sandbox's pages in `tab` (sign in when it asks, then Allow or Deny). */
async function answer(tab: Page, decision: 'Allow' | 'Deny', account = 'Acme'): Promise<void> {
  const name = tab.getByLabel('Account name');
  const consent = tab.getByRole('button', { name: decision });
  await expect(name.or(consent)).toBeVisible();
  if (await name.isVisible()) {
    await name.fill(account);
    await tab.getByRole('button', { name: 'Sign in' }).click();
  }
  await consent.click();
}

function connectionIds(app: PatchbayApp): string[] {
  return openSettings({ home: app.env.PATCHBAY_HOME })
    .read()
    .connections.map((c) => c.id);
}

test('a vanished keychain secret shows as "needs you" everywhere, and Reconnect replaces the connection', async ({
  app,
}) => {
  test.skip(app.host !== 'web', "the sign-in tab and its console are the web host's");
  const { page } = app;
  const logs: string[] = [];
  recordConsole(page, logs);
  const sandbox = providerRegion(page, 'Sandbox');

  const tab = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  recordConsole(tab, logs);
  await answer(tab, 'Allow');
  await expect(tab.getByRole('heading', { name: 'Sandbox said yes' })).toBeVisible();
  await expect(tab.getByText('you can close this tab')).toBeVisible();
  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await expect(row.getByText(/Connected as Acme/)).toBeVisible();
  const [id] = connectionIds(app);
  expect(id).toBeDefined();

  await row.getByRole('button', { name: 'Refresh' }).click();
  await expect(row.getByText('Access renewed.')).toBeVisible();

  // Another keyring, or a reset one: the secret goes, then a terminal command runs into it.
  await createKeytarVault(app.env.PATCHBAY_KEYCHAIN_SERVICE).deleteConnectionSecret(String(id));
  const cli = await runCli(['test', String(id)], { ...process.env, ...app.env });
  expect(cli.code).toBe(1);

  await expect(row.getByText('Needs you to sign in again')).toBeVisible();
  await expect(row.getByText('Access renewed.')).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Reconnect' })).toBeVisible();

  const again = await app.signIn(() => row.getByRole('button', { name: 'Reconnect' }).click());
  recordConsole(again, logs);
  await answer(again, 'Allow');
  await expect(row.getByText('Reconnected as Acme.')).toBeVisible();
  await expect(row.getByText(/Connected as Acme · renews in/)).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(1);
  expect(connectionIds(app)).toEqual([id]);

  await row.getByRole('button', { name: 'Test connection' }).click();
  await expect(row.getByText(/Test passed/)).toBeVisible();
  expect(logs.filter((line) => CALLBACK_IN_LOG.test(line))).toEqual([]);
});

test('Deny on "Connect another account": the tab says nothing was connected, the app names the button on screen', async ({
  app,
}) => {
  test.skip(app.host !== 'web', "the sign-in tab and its console are the web host's");
  const { page } = app;
  const logs: string[] = [];
  recordConsole(page, logs);
  const sandbox = providerRegion(page, 'Sandbox');
  const first = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
  recordConsole(first, logs);
  await answer(first, 'Allow');
  await expect(sandbox.getByRole('listitem')).toHaveCount(1);

  const tab = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect another account' }).click());
  recordConsole(tab, logs);
  await answer(tab, 'Deny', 'Bob');
  await expect(tab.getByRole('heading', { name: 'Nothing was connected' })).toBeVisible();
  await expect(
    tab.getByText('You said no at Sandbox, so Patchbay connected nothing. You can close this tab'),
  ).toBeVisible();
  await expect(
    sandbox.getByText('You said no at Sandbox, so nothing was connected. Click Connect another account to try again.'),
  ).toBeVisible();
  await expect(sandbox.getByRole('button', { name: 'Connect another account' })).toBeVisible();
  await expect(sandbox.getByRole('listitem')).toHaveCount(1);
  expect(logs.filter((line) => CALLBACK_IN_LOG.test(line))).toEqual([]);
});
