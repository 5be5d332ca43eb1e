/**
 * A check that refreshes a refused token must not take its own refresh for someone else's.
 *
 * The check runner reads each secret a moment ahead of its slot and tests again when the keychain
 * holds a different credential after a refusal (another process replaced the key). A refresh
 * made by the test itself also changes the keychain: a provider whose API refuses every token
 * (access to the API revoked, the grant still refreshable) would then be refreshed and asked
 * twice per check, rotating its refresh token once more every run.
 */
import { afterEach, expect, it } from 'vitest';
import { acmeInHarness } from './providers/acme';
import { makeHarness, type Harness } from './providers/harness';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

let server: OAuthServer | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  await server?.close();
});

const zero = (counts: Record<string, number>) => {
  for (const key of Object.keys(counts)) counts[key] = 0;
};

it('a check of a token the API refuses refreshes once and asks once more, like Test', async () => {
  server = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'acme-secret-99' });
  harness = await makeHarness();
  await acmeInHarness(harness, server, 'acme-secret-99', {});
  const view = await harness.core.connect({ providerId: 'acme' });
  // From now on the API refuses every access token, old or new; refreshing still works.
  server.accessTokens.has = () => false;

  zero(server.counts);
  const [result] = await harness.core.checkConnections([view.id]);
  const checked = { ...server.counts };
  zero(server.counts);
  await harness.core.test(view.id).catch(() => undefined);
  const tested = { ...server.counts };

  expect(result?.status).not.toBe('ok');
  expect(checked.refresh).toBe(1);
  expect(checked).toEqual(tested);
});
