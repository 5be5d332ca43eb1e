/**
 * User story: support staff call the provider's API through a connection they are debugging,
 * from its details: Try a request with the test path filled in, see status, time, headers and
 * the pretty-printed body, copy the call as curl with $PATCHBAY_TOKEN in place of the token, and
 * see a request to another host refused. The token never reaches the page: every bridge answer
 * and the page's text are checked against the token in the keychain.
 */
import { createKeytarVault } from '../../main/core/storage/vault';
import { openSettings } from '../../main/core/storage/settings';
import { expect, providerRegion, test } from './fixtures';

test('try a request through a Sandbox connection, copy it as curl, and be refused another host', async ({ app }) => {
  const { page } = app;
  const answers: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/'))
      void res.text().then(
        (t) => answers.push(t),
        () => undefined,
      );
  });
  const sandbox = providerRegion(page, 'Sandbox');
  const signIn = await app.signIn(() => page.getByRole('button', { name: 'Try it without an account' }).click());
  await signIn.getByLabel('Account name').fill('Acme');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.getByRole('button', { name: 'Allow' }).click();
  await expect(sandbox.getByText(/Connected as Acme/)).toBeVisible();

  const row = sandbox.getByRole('listitem').filter({ hasText: 'Acme' });
  await row.getByRole('button', { name: 'Details' }).click();
  const details = page.getByRole('dialog', { name: 'Acme at Sandbox' });
  const tryIt = details.getByRole('region', { name: 'Try a request' });
  await expect(tryIt.getByLabel('Path')).toHaveValue('/me');
  await tryIt.getByRole('button', { name: 'Send request' }).click();
  const response = tryIt.getByRole('region', { name: 'Response' });
  await expect(response.getByText(/^HTTP 200 OK · \d+ ms/)).toBeVisible();
  await expect(response.getByLabel('Response body')).toContainText('"name": "Acme"');
  await response.getByText(/Response headers \(\d+\)/).click();
  await expect(response.getByLabel('Response headers')).toContainText('content-type: application/json');

  await tryIt.getByLabel('Headers (optional)').fill('Accept: application/json');
  await tryIt.getByRole('button', { name: 'Copy as curl' }).click();
  const curl = tryIt.getByRole('textbox', { name: 'curl command' });
  await expect(curl).toHaveValue(
    `curl 'http://127.0.0.1:${app.env.PATCHBAY_SANDBOX_PORT}/me' -H "Authorization: Bearer $PATCHBAY_TOKEN" -H 'Accept: application/json'`,
  );

  // Another host: refused before anything is sent, with the reason.
  await tryIt.getByLabel('Path').fill('http://127.0.0.1:9/steal');
  await tryIt.getByRole('button', { name: 'Send request' }).click();
  await expect(tryIt.getByRole('alert')).toContainText(
    'refused to send your Sandbox credentials to http://127.0.0.1:9',
  );

  // The request is in the timeline after reopening, without the token.
  await details.getByRole('button', { name: 'Done' }).click();
  await row.getByRole('button', { name: 'Details' }).click();
  await expect(details.getByRole('list', { name: 'Timeline' })).toContainText('api request');

  const id = openSettings({ home: app.env.PATCHBAY_HOME }).read().connections[0]!.id;
  const secret = await createKeytarVault(app.env.PATCHBAY_KEYCHAIN_SERVICE).getConnectionSecret(id);
  if (secret?.kind !== 'oauth2') throw new Error('no Sandbox tokens in the keychain');
  const pageText = await page.evaluate(
    () =>
      document.body.innerText +
      [...document.querySelectorAll('textarea, input')].map((e) => (e as HTMLInputElement).value).join('\n'),
  );
  expect(answers.some((t) => t.includes('"status":200'))).toBe(true);
  for (const value of [secret.accessToken, secret.refreshToken, secret.idToken].filter((v): v is string => !!v)) {
    expect(pageText.includes(value)).toBe(false);
    expect(answers.filter((t) => t.includes(value))).toEqual([]);
  }
});
