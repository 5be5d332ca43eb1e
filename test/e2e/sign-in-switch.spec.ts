/**
 * User stories: while a sign-in is open the main window says so, with Cancel — and in the desktop
 * app with "Use my browser instead", a visible button on every OS (not a window menu, which macOS
 * does not have and which is hidden elsewhere). Provider documentation links open through the
 * host's one link policy.
 */
import { expect, providerRegion, test } from './fixtures';

test('while a sign-in is open: Cancel, and "Use my browser instead" only where a sign-in window exists', async ({
  app,
}) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => page.getByRole('button', { name: 'Try it without an account' }).click());
  const inProgress = sandbox.getByRole('group', { name: 'Sign-in to Sandbox' });
  await expect(inProgress.getByText('Waiting for you to sign in at Sandbox…')).toBeVisible();
  await expect(inProgress.getByRole('button', { name: 'Cancel' })).toBeVisible();

  if (app.host === 'web') {
    // The web host already shows the sign-in in the browser (this tab): there is nothing to switch.
    // The link appears with the sign-in address, so the page has the whole waiting state by then.
    await expect(inProgress.getByRole('link', { name: 'Open the sign-in page' })).toBeVisible();
    await expect(inProgress.getByRole('button', { name: 'Use my browser instead' })).toHaveCount(0);
  } else {
    // The desktop sign-in window is open: the switch is a button in the main window.
    const useBrowser = inProgress.getByRole('button', { name: 'Use my browser instead' });
    await expect(useBrowser).toBeVisible();
    // The test launch does not register patchbay: with the OS, so this copy cannot take the
    // Sandbox's answer back from a browser: it says so and keeps the sign-in window.
    await useBrowser.click();
    await expect(
      sandbox.getByText(/Your web browser cannot hand this sign-in back to this copy of Patchbay/),
    ).toBeVisible();
    await expect(inProgress).toBeVisible();
  }

  // Whatever the host, the sign-in that is open still finishes.
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByText(/Connected as Acme/)).toBeVisible();
  await expect(inProgress).toHaveCount(0);
});

test("a custom provider's documentation link opens in a new tab, through the link policy", async ({ app }) => {
  test.skip(
    app.host === 'electron',
    'Electron opens it in the system browser, outside Playwright; host-parity.test.ts covers it',
  );
  const { page } = app;
  const docs = 'https://docs.acme.example/oauth/setup';
  // Loopback only: the docs page is answered here, never fetched from the network.
  await page.context().route('https://docs.acme.example/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>Acme docs</title><h1>Acme docs</h1>',
    }),
  );

  await page.getByRole('button', { name: 'Add a provider' }).click();
  const editor = page.getByRole('dialog', { name: 'Add a provider' });
  await editor.getByLabel('Name', { exact: true }).fill('Acme CRM');
  await editor.getByLabel('ID', { exact: true }).fill('acme-crm');
  await editor.getByLabel('Authorization URL').fill('https://auth.acme.example/authorize');
  await editor.getByLabel('Token URL').fill('https://auth.acme.example/token');
  await editor.getByLabel('Docs URL (optional)').fill(docs);
  await editor.getByRole('button', { name: 'Save provider' }).click();
  await expect(editor).toBeHidden();

  await providerRegion(page, 'Acme CRM').getByRole('button', { name: 'Set up' }).click();
  const setup = page.getByRole('dialog', { name: 'Set up Acme CRM' });
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    setup.getByRole('link', { name: 'Acme CRM developer docs' }).click(),
  ]);
  await expect(tab).toHaveURL(docs);
  await expect(tab.getByRole('heading', { name: 'Acme docs' })).toBeVisible();
  // The app's own page stayed where it was.
  await expect(setup).toBeVisible();
});
