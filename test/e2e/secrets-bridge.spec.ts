/**
 * Security story: whatever the page receives — every bridge response and every pushed event —
 * during a Sandbox connect, test and refresh contains none of the values the Sandbox issued.
 *
 * A recorder is installed in the page before its own scripts run (fetch and EventSource are
 * wrapped, so it sees exactly what the app sees). The issued values are taken where they
 * legitimately exist: the authorization code from the sign-in tab's request to the loopback
 * callback, the token sets from the keychain after connecting and again after the refresh
 * (rotation issues new ones). Runs on the web host (test/e2e/fixtures.ts); on Electron the same bridge
 * crosses IPC instead of HTTP, and this recorder would need the preload's surface.
 */
import { createKeytarVault } from '../../main/core/storage/vault';
import { openSettings } from '../../main/core/storage/settings';
import { EVENTS } from '../../preload/contract';
import { expect, providerRegion, test } from './fixtures';

/** Runs in the page before its scripts: keeps the text of every /api/ answer and every event. */
function recorder(eventNames: string[]): void {
  const seen: Array<{ kind: string; name: string; text: string }> = [];
  (window as unknown as { __seen: typeof seen }).__seen = seen;
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (...args: Parameters<typeof fetch>) => {
    const res = await originalFetch(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (url.includes('/api/'))
      seen.push({ kind: 'response', name: url.replace(/^.*\/api\//, ''), text: await res.clone().text() });
    return res;
  };
  const Original = window.EventSource;
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      for (const name of [...eventNames, 'message']) {
        super.addEventListener(name, (event) =>
          seen.push({ kind: 'event', name, text: String((event as MessageEvent).data) }),
        );
      }
    }
  } as typeof EventSource;
}

test('no issued token or code reaches the page during a Sandbox connect, test and refresh', async ({
  app,
}, testInfo) => {
  test.skip(app.host !== 'web', 'The recorder wraps the web bridge (fetch + EventSource); Electron uses IPC.');
  const { page } = app;
  const codes: string[] = [];
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/callback' && url.searchParams.get('code')) codes.push(url.searchParams.get('code')!);
  });
  await page.addInitScript(recorder, [...EVENTS]);
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();

  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => page.getByRole('button', { name: 'Try it without an account' }).click());
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByText(/Connected as Acme/)).toBeVisible();

  const vault = createKeytarVault(app.env.PATCHBAY_KEYCHAIN_SERVICE);
  const id = openSettings({ home: app.env.PATCHBAY_HOME }).read().connections[0]!.id;
  const issued: string[] = [...codes];
  const collect = async () => {
    const secret = await vault.getConnectionSecret(id);
    if (secret?.kind !== 'oauth2') throw new Error('no OAuth token set in the keychain');
    for (const value of [secret.accessToken, secret.refreshToken, secret.idToken]) if (value) issued.push(value);
  };
  await collect();

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await row.getByRole('button', { name: 'Test connection' }).click();
  await expect(row.getByText(/Test passed/)).toBeVisible();
  await row.getByRole('button', { name: 'Refresh' }).click();
  await expect(row.getByText('Access renewed.')).toBeVisible();
  await row.getByRole('button', { name: 'Details' }).click();
  await expect(
    page.getByRole('dialog', { name: 'Acme at Sandbox' }).getByRole('list', { name: 'Timeline' }),
  ).toBeVisible();
  await collect();

  const seen = await page.evaluate(
    () => (window as unknown as { __seen: Array<{ kind: string; name: string; text: string }> }).__seen,
  );
  await testInfo.attach('bridge-traffic', {
    body: JSON.stringify(
      seen.map((s) => ({ kind: s.kind, name: s.name, bytes: s.text.length })),
      null,
      2,
    ),
    contentType: 'application/json',
  });
  // The recorder really saw the traffic that matters, and the values really were issued.
  expect(codes).toHaveLength(1);
  expect(new Set(issued).size).toBeGreaterThanOrEqual(5);
  expect(seen.some((s) => s.kind === 'response' && s.name === 'invoke/connections:connect')).toBe(true);
  expect(seen.some((s) => s.kind === 'response' && s.name === 'invoke/connections:trace')).toBe(true);
  expect(seen.some((s) => s.kind === 'event' && s.name === 'connections:changed')).toBe(true);
  expect(seen.some((s) => s.kind === 'event' && s.name === 'flow:progress')).toBe(true);

  const leaks = seen.flatMap((s) => issued.filter((value) => s.text.includes(value)).map(() => `${s.kind} ${s.name}`));
  expect(leaks).toEqual([]);
});
