/**
 * Accessibility: axe-core checks the main screen, every dialog (also with its errors shown), the
 * Sandbox's sign-in and consent pages and the sign-in callback page, in the light and the dark
 * theme, and expects zero violations.
 *
 * The theme is both the app's own choice (the Theme select) and the browser's colour scheme, so
 * the Sandbox and callback pages, which follow prefers-color-scheme, are checked dark too.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, providerRegion, test } from './fixtures';

/** WCAG 2.0/2.1 A and AA plus axe's best practices (landmarks, one main, headings). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Run axe on the page, or only on the open dialog (the rest of the page is inert then). */
async function expectNoViolations(page: Page, where: string, scope: 'page' | 'dialog' = 'page'): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(TAGS);
  if (scope === 'dialog') builder.include('dialog[open]');
  const results = await builder.analyze();
  const found = results.violations.map((v) => ({
    rule: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`.trim()),
  }));
  expect(found, `axe violations on ${where}`).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });
    // Each axe run reads the whole page's styles: seconds each on a busy two-core machine.
    test.beforeEach(() => test.setTimeout(360_000));

    test(`main screen and every dialog have no axe violations (${theme})`, async ({ app }) => {
      const { page } = app;
      await page.getByLabel('Theme').selectOption(theme);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expectNoViolations(page, 'the first-run main screen');

      // Add a provider: empty, then with every error shown.
      await page.getByRole('button', { name: 'Add a provider' }).click();
      const editor = page.getByRole('dialog', { name: 'Add a provider' });
      await expectNoViolations(page, 'Add a provider', 'dialog');
      await editor.getByRole('button', { name: 'Save provider' }).click();
      await expect(editor.locator('[aria-invalid="true"]').first()).toBeVisible();
      await expectNoViolations(page, 'Add a provider with errors', 'dialog');
      await editor.getByRole('button', { name: 'Cancel' }).click();

      // Import: a broken definition, then a good one (which also makes Export and Delete possible).
      await page.getByRole('button', { name: 'Import providers' }).click();
      const importer = page.getByRole('dialog', { name: 'Import providers' });
      const json = importer.getByLabel('Provider definitions (JSON)');
      await json.fill('{"id": "helpdesk", "name": "Helpdesk", "auth": "apiKey"}');
      await importer.getByRole('button', { name: 'Review import' }).click();
      await expect(json).toHaveAttribute('aria-invalid', 'true');
      await expectNoViolations(page, 'Import providers with an error', 'dialog');
      await json.fill(
        JSON.stringify({
          id: 'helpdesk',
          name: 'Helpdesk',
          auth: 'apiKey',
          apiKeyHeader: 'Api-Token',
          testUrl: 'http://127.0.0.1:9/me',
        }),
      );
      await importer.getByRole('button', { name: 'Review import' }).click();
      await expect(importer.getByRole('group', { name: 'What will change' })).toBeVisible();
      await expectNoViolations(page, 'Import providers: the review', 'dialog');
      await importer.getByRole('button', { name: 'Import 1 provider' }).click();
      await expect(importer).toBeHidden();
      const helpdesk = providerRegion(page, 'Helpdesk');
      await expect(helpdesk).toBeVisible();
      await expectNoViolations(page, 'the main screen with a custom provider');

      await page.getByRole('button', { name: 'Export providers' }).click();
      const exporter = page.getByRole('dialog', { name: 'Export providers' });
      await expect(exporter.getByRole('textbox')).toHaveValue(/helpdesk/);
      await expectNoViolations(page, 'Export providers', 'dialog');
      await exporter.getByRole('button', { name: 'Done' }).click();

      await helpdesk.getByRole('button', { name: 'Connect' }).click();
      const apiKey = page.getByRole('dialog', { name: 'Connect Helpdesk' });
      await apiKey.getByRole('button', { name: 'Test and save' }).click();
      await expect(apiKey.getByLabel('API key')).toHaveAttribute('aria-invalid', 'true');
      await expectNoViolations(page, 'Connect Helpdesk (API key) with an error', 'dialog');
      await apiKey.getByRole('button', { name: 'Cancel' }).click();

      await helpdesk.getByRole('button', { name: 'Delete provider' }).click();
      await expect(page.getByRole('dialog', { name: 'Delete Helpdesk?' })).toBeVisible();
      await expectNoViolations(page, 'Delete provider confirmation', 'dialog');
      await page.getByRole('dialog', { name: 'Delete Helpdesk?' }).getByRole('button', { name: 'Cancel' }).click();

      const livechat = providerRegion(page, 'LiveChat');
      await livechat.getByRole('button', { name: 'Set up' }).click();
      const setup = page.getByRole('dialog', { name: 'Set up LiveChat' });
      await setup.getByRole('button', { name: 'Save' }).click();
      await expect(setup.getByLabel('Client ID')).toHaveAttribute('aria-invalid', 'true');
      await expectNoViolations(page, 'Set up LiveChat with an error', 'dialog');
      await setup.getByRole('button', { name: 'Cancel' }).click();
    });

    test(`Sandbox pages, callback page and connection dialogs have no axe violations (${theme})`, async ({ app }) => {
      const { page } = app;
      await page.getByLabel('Theme').selectOption(theme);
      const sandbox = providerRegion(page, 'Sandbox');
      const signIn = await app.signIn(() => sandbox.getByRole('button', { name: 'Connect' }).click());
      await expect(signIn.getByLabel('Account name')).toBeVisible();
      await expectNoViolations(signIn, 'the Sandbox sign-in page');
      await expectNoViolations(page, 'the main screen while waiting for a sign-in');
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await expect(signIn.getByRole('button', { name: 'Allow' })).toBeVisible();
      await expectNoViolations(signIn, 'the Sandbox consent page');
      await signIn.getByRole('button', { name: 'Allow' }).click();
      await signIn.waitForURL(/\/callback\?/);
      await expectNoViolations(signIn, 'the sign-in callback page');

      const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
      await expect(row).toBeVisible();
      await row.getByRole('button', { name: 'Test connection' }).click();
      await expect(row.getByText(/Test passed/)).toBeVisible();
      await expectNoViolations(page, 'the main screen with a connection');

      await row.getByRole('button', { name: 'Details' }).click();
      const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
      await expect(details.getByRole('list', { name: 'Timeline' })).toBeVisible();
      await expectNoViolations(page, 'the Details dialog', 'dialog');
      await details.getByRole('button', { name: 'Done' }).click();

      await row.getByRole('button', { name: 'Disconnect' }).click();
      await expect(page.getByRole('dialog', { name: 'Disconnect Acme?' })).toBeVisible();
      await expectNoViolations(page, 'the Disconnect confirmation', 'dialog');
    });
  });
}
