/**
 * User story: a support engineer with 1,000 connections opens Patchbay. The provider says in words
 * how many work and how many need them, those come first, a first page of rows follows, and any
 * connection (here the 873rd) is reachable with "Show more" / "Show all" or "Find a connection",
 * with its actions working. Timings are measured and logged (never asserted: machines differ).
 */
import type { ConnectionRecord } from '../../main/core/model/types';
import { openSettings } from '../../main/core/storage/settings';
import { FIRST_PAGE, PAGE_STEP } from '../../renderer/connection-list-model';
import { expect, providerRegion, test, type PatchbayEnv } from './fixtures';

const COUNT = 1000;
const pad = (i: number) => String(i).padStart(4, '0');
/** Seeded among the 1,000: refused by the provider, and expired with no way to renew. */
const NEEDS_RECONNECT = [100, 437, 901];
const EXPIRED_NO_REFRESH = [250, 777];
const ATTENTION = [...NEEDS_RECONNECT, ...EXPIRED_NO_REFRESH].sort((a, b) => a - b);
const DEEP = 873;

async function seedThousand(env: PatchbayEnv): Promise<void> {
  const settings = openSettings({ home: env.PATCHBAY_HOME });
  const now = Date.now();
  await settings.update((data) => {
    data.connections = Array.from({ length: COUNT }, (_, i): ConnectionRecord => {
      const expiredForGood = EXPIRED_NO_REFRESH.includes(i);
      return {
        id: `seed-${pad(i)}`,
        providerId: 'sandbox',
        auth: 'oauth2',
        label: `Account ${pad(i)}`,
        scopes: ['openid', 'profile'],
        expiresAt: new Date(expiredForGood ? now - 3600_000 : now + 2 * 3600_000 + i * 1000).toISOString(),
        // Within the last 6 hours, so none is due for a background check while the test runs.
        createdAt: new Date(now - i * 15_000).toISOString(),
        state: NEEDS_RECONNECT.includes(i) ? 'needs_reconnect' : 'ok',
        hasRefreshToken: !expiredForGood,
        lastTest:
          i % 3 === 0
            ? { ok: true, httpStatus: 200, latencyMs: 20 + (i % 50), at: new Date(now - 3600_000).toISOString() }
            : null,
        lastError: null,
      };
    });
  });
}

// A fixture value that is a function must be provided through a fixture function.
test.use({ seed: async ({}, use) => use(seedThousand) });
// Playwright's trace recorder snapshots the whole DOM around every step; with "Show all" (~14,000
// elements) the recorder itself becomes the bottleneck, so it is off here.
test.use({ trace: 'off' });

/** Time from a click to an open dialog, inside the page (no test-runner overhead). */
function clickToDialog(button: HTMLElement): Promise<number> {
  return new Promise<number>((resolve) => {
    const t0 = performance.now();
    const check = () => {
      if (document.querySelector('dialog[open]')) resolve(performance.now() - t0);
      else requestAnimationFrame(check);
    };
    button.click();
    check();
  });
}

test('1,000 connections: summary, attention first, paging, filter, and actions deep in the list', async ({
  app,
}, testInfo) => {
  const { page } = app;
  const sandbox = providerRegion(page, 'Sandbox');
  const rows = sandbox.getByRole('listitem');

  // The summary in words, counted from the data: 5 need a new sign-in, the rest work.
  await expect(
    sandbox.getByText(
      `1,000 connections · ${COUNT - ATTENTION.length} working · ${ATTENTION.length} need you to sign in again`,
    ),
  ).toBeVisible();
  // A bounded first page; the attention ones first, each with Reconnect as its one next step.
  await expect(rows).toHaveCount(FIRST_PAGE);
  await expect(sandbox.getByText(`Showing ${FIRST_PAGE} of 1,000`)).toBeVisible();
  for (const [n, i] of ATTENTION.entries()) {
    const row = rows.nth(n);
    await expect(row.getByText(`Account ${pad(i)}`, { exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: 'Reconnect' })).toHaveClass(/primary/);
  }
  await expect(rows.nth(ATTENTION.length).getByRole('button', { name: 'Test connection' })).toHaveClass(/primary/);
  await expect(rows.nth(ATTENTION.length)).toContainText('Account 0000');

  const marks = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    return { data: at('patchbay:data'), painted: at('patchbay:painted') };
  });
  expect(marks.data).not.toBeNull();
  expect(marks.painted).not.toBeNull();
  const renderMs = Math.round((marks.painted ?? 0) - (marks.data ?? 0));

  // "Show more" from the keyboard: more rows, and the focus lands on the first new one.
  const more = sandbox.getByRole('button', { name: `Show ${PAGE_STEP} more` });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(rows).toHaveCount(FIRST_PAGE + PAGE_STEP);
  await expect(rows.nth(FIRST_PAGE).getByRole('button').first()).toBeFocused();

  // "Show all": every row, down to the last one, with its actions.
  await sandbox.getByRole('button', { name: 'Show all 1,000' }).click();
  await expect(rows).toHaveCount(COUNT);
  await expect(sandbox.getByRole('button', { name: /^Show all/ })).toHaveCount(0);
  await expect(sandbox.getByText('Showing all 1,000')).toBeVisible();
  const last = rows.filter({ hasText: `Account ${pad(COUNT - 1)}` });
  await last.scrollIntoViewIfNeeded();
  await expect(last.getByRole('button', { name: 'Test connection' })).toBeVisible();
  const showAllClickMs = await last.getByRole('button', { name: 'Details' }).evaluate(clickToDialog);
  const lastDetails = page.getByRole('dialog', { name: `Account ${pad(COUNT - 1)} at Sandbox` });
  await expect(lastDetails).toBeVisible();
  await lastDetails.getByRole('button', { name: 'Done' }).click();
  await expect(lastDetails).toBeHidden();

  // "Find a connection": by id, then by label, straight to the 873rd; the page resets to one page.
  const find = sandbox.getByLabel('Find a connection');
  await find.fill(`seed-${pad(DEEP)}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Account ${pad(DEEP)}`);
  await find.fill('account 08');
  await expect(sandbox.getByText(`100 of 1,000 match “account 08” · showing ${FIRST_PAGE}`)).toBeVisible();
  await expect(rows).toHaveCount(FIRST_PAGE);
  await find.fill(`Account ${pad(DEEP)}`);
  await expect(sandbox.getByText(`1 of 1,000 match “Account ${pad(DEEP)}”`)).toBeVisible();
  const deep = rows.filter({ hasText: `Account ${pad(DEEP)}` });
  await expect(rows).toHaveCount(1);

  // Its actions work: Details opens its own dialog (timed), Test reaches the provider and reports.
  const clickToDialogMs = await deep.getByRole('button', { name: 'Details' }).evaluate(clickToDialog);
  const details = page.getByRole('dialog', { name: `Account ${pad(DEEP)} at Sandbox` });
  await expect(details).toBeVisible();
  await expect(details.getByText('openid')).toBeVisible();
  await details.getByRole('button', { name: 'Done' }).click();
  await expect(details).toBeHidden();
  await deep.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sandbox, Account ${pad(DEEP)}:` })).toBeAttached({
    timeout: 15_000,
  });
  await expect(deep.locator('.notice')).toBeVisible();

  // Nothing matches: said in words, no empty list.
  await find.fill('no such account');
  await expect(sandbox.getByText('No connection matches “no such account”')).toBeVisible();
  await expect(rows).toHaveCount(0);

  const summary =
    `[${testInfo.project.name}] 1,000 connections: first view painted ${renderMs} ms after the data arrived ` +
    `(${Math.round(marks.painted ?? 0)} ms after navigation start); click-to-dialog ${Math.round(clickToDialogMs)} ms ` +
    `(filtered), ${Math.round(showAllClickMs)} ms with all 1,000 rows shown`;
  console.log(summary);
  testInfo.annotations.push({ type: 'measurement', description: summary });
});
