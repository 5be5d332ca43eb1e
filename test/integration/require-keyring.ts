/**
 * Vitest global setup of the integration project: refuse to start outside the private keyring.
 *
 * The integration tests write and delete real keychain entries. Inside test/with-keyring.sh they
 * land in a throwaway gnome-keyring on a private D-Bus session; outside it they would land in the
 * developer's own login keychain. `npm run test:integration` and `npm test` wrap themselves, so
 * this only stops a bare `npx vitest run`, and says what to type instead.
 */
export default function requireKeyring(): void {
  if (process.env.PATCHBAY_IN_KEYRING !== '1') {
    throw new Error(
      'The integration tests use a real keychain and must run in the private test keyring. ' +
        'Run `npm run test:integration` (or `test/with-keyring.sh npx vitest run ...`) instead.',
    );
  }
}
