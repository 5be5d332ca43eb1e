/**
 * User stories: at 800×600 the toolbar stays one tidy row and a long form keeps Save in view; a
 * person who prefers dark screens gets dark Sandbox and callback pages too.
 */
import { expect, providerRegion, test } from './fixtures';

test.describe('a small window', () => {
  test.use({ viewport: { width: 800, height: 600 } });

  test('the toolbar is one row and the form actions stay in view', async ({ app }) => {
    const { page } = app;
    const toolbar = page.getByRole('banner');
    const add = page.getByRole('button', { name: 'Add a provider' });
    const theme = page.getByLabel('Theme');
    const [a, t] = [await add.boundingBox(), await theme.boundingBox()];
    expect(a && t && Math.abs(a.y - t.y) < a.height).toBe(true);
    const box = await toolbar.boundingBox();
    expect(box && box.height).toBeLessThan(70);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await add.click();
    const editor = page.getByRole('dialog', { name: 'Add a provider' });
    await expect(editor.getByRole('button', { name: 'Save provider' })).toBeInViewport({ ratio: 1 });
    await expect(editor.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 });
  });
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the Sandbox and callback pages are dark and the sign-in field is focused', async ({ app }) => {
    const { page } = app;
    const signIn = await app.signIn(() =>
      providerRegion(page, 'Sandbox').getByRole('button', { name: 'Connect', exact: true }).click(),
    );
    await expect(signIn.getByLabel('Account name')).toBeFocused();
    // Light text means a dark page (the callback page's background is the browser's own canvas).
    const dark = (p: typeof page) =>
      p.evaluate(() => {
        const [r, g, b] = (getComputedStyle(document.body).color.match(/\d+/g) ?? ['0', '0', '0']).map(Number);
        return (r ?? 0) + (g ?? 0) + (b ?? 0) > 3 * 170;
      });
    expect(await dark(signIn)).toBe(true);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('button', { name: 'Allow' }).click();
    await signIn.waitForURL(/\/callback\?/);
    await expect(signIn.getByRole('main')).toBeVisible();
    expect(await dark(signIn)).toBe(true);
  });
});
