/**
 * `npm run screenshot`: the README's picture, made on purpose and never by the test suites.
 *
 * Drives the built web host in Chromium like a person would: connects the Sandbox as "Acme" in
 * the app, connects "Globex" from the CLI, then Globex's grant is revoked at the Sandbox (as an
 * administrator would) and "Check all now" finds it, so the app shows one working connection and
 * one that needs you, with Reconnect, "1 connection needs you" above them and when each was last
 * checked. Writes docs/screenshot.png. Run inside test/with-keyring.sh (the npm script does),
 * after `npm run build`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright';
import { createKeytarVault } from '../../main/core/storage/vault';
import { collect, firstJsonLine, jsonLines, spawnCli } from '../helpers/cli';
import { freePort } from '../helpers/ports';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { REPO_ROOT, startWebHostProcess } from '../e2e/web-host-process';

const OUT = path.join(REPO_ROOT, 'docs', 'screenshot.png');

async function main(): Promise<void> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-screenshot-'));
  const env = {
    PATCHBAY_HOME: home,
    PATCHBAY_KEYCHAIN_SERVICE: `PatchbayScreenshot-${randomBytes(6).toString('hex')}`,
    PATCHBAY_SANDBOX_PORT: String(await freePort()),
    PATCHBAY_WEB_PORT: '0',
  };
  const cliEnv = { ...process.env, ...env, NO_COLOR: '1' };
  const host = await startWebHostProcess(env);
  const browser = await chromium.launch({
    executablePath: process.env.PATCHBAY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
    const sandbox = page.getByRole('region', { name: 'Sandbox', exact: true });

    // Acme, in the app.
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      sandbox.getByRole('button', { name: 'Connect' }).click(),
    ]);
    await tab.getByLabel('Account name').fill('Acme');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('button', { name: 'Allow' }).click();
    await sandbox.getByText(/Connected as Acme/).waitFor();
    await tab.close();

    // Globex, from a terminal.
    const child = spawnCli(['connect', 'sandbox', '--no-open', '--json'], cliEnv);
    child.stdin.end();
    const done = collect(child);
    const authorize = await firstJsonLine(child);
    await (await fetch(await completeSandboxSignIn(String(authorize.url), { accountName: 'Globex' }))).text();
    const connected = jsonLines((await done).stdout).find((e) => e.event === 'connected');
    const globex = (connected?.connection as { id?: string } | undefined)?.id;
    if (!globex) throw new Error('The CLI did not connect Globex.');

    // Globex's access is revoked at the Sandbox; "Check all now" finds it (the schedule would too).
    const secret = await createKeytarVault(env.PATCHBAY_KEYCHAIN_SERVICE).getConnectionSecret(globex);
    if (secret?.kind !== 'oauth2' || !secret.refreshToken) throw new Error('Globex has no refresh token.');
    for (const token of [secret.refreshToken, secret.accessToken]) {
      await fetch(`http://127.0.0.1:${env.PATCHBAY_SANDBOX_PORT}/token/revocation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: 'patchbay-desktop' }),
      });
    }
    await page.getByRole('button', { name: 'Check all now' }).click();
    const row = sandbox.getByRole('listitem').filter({ hasText: 'Globex' });
    await row.getByRole('button', { name: 'Reconnect' }).waitFor();
    await page.getByRole('button', { name: '1 connection needs you' }).waitFor();
    await page.getByRole('button', { name: 'Check all now' }).waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: OUT });
    console.log(`Wrote ${path.relative(REPO_ROOT, OUT)}`);
  } finally {
    await browser.close();
    await host.close();
    await rm(home, { recursive: true, force: true });
  }
}

await main();
