/**
 * Diagnosis and support bundles against a provider that fails on purpose, on real loopback
 * sockets and the real keyring: a clock 10 minutes off, redirect_uri_mismatch (on the callback
 * and at the token endpoint), invalid_client, a 403 Bearer insufficient_scope challenge (and a
 * hostile one), a 429 with Retry-After. Then a bundle from a working connection, searched for
 * every value the provider issued or received, with the JWT claims kept or redacted as specified.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderDefinition, SupportBundleView } from '../../preload/contract';
import { readSupportBundle } from '../../main/core/diagnosis/bundle-schema';
import { testBrowserAuthorizer } from './providers/browser';
import { makeHarness, type Harness } from './providers/harness';
import {
  startDiagnosisProvider,
  type DiagnosisProvider,
  type DiagnosisProviderModes,
} from './providers/diagnosis-provider';
import { failure } from '../helpers/failure';

const SECRET = `diag-secret-${randomBytes(12).toString('hex')}`;
let harness: Harness | null = null;
let provider: DiagnosisProvider | null = null;

afterEach(async () => {
  await harness?.cleanup();
  await provider?.close();
  harness = null;
  provider = null;
});

function definition(base: string): ProviderDefinition {
  return {
    id: 'diag',
    name: 'Diag',
    auth: 'oauth2',
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    testUrl: `${base}/me`,
    labelPath: 'name',
    scopes: ['profile', 'contacts.read'],
  };
}

/** The provider, a core that records the authorization URL it opened, and its set-up. */
async function setup(modes: Partial<DiagnosisProviderModes> = {}) {
  provider = await startDiagnosisProvider(modes);
  const opened: URL[] = [];
  harness = await makeHarness({ authorizers: [testBrowserAuthorizer((url) => opened.push(url))] });
  await harness.core.saveProvider(definition(provider.base));
  await harness.core.setClientCredentials({ providerId: 'diag', clientId: 'diag-client', clientSecret: SECRET });
  return { provider, harness, opened };
}

/** A JWT (unsigned is enough: Patchbay never verifies access tokens) with the given claims. */
function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'at+jwt', kid: 'key-7f3a9b' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}

describe('diagnosis from a failing provider', { timeout: 60_000 }, () => {
  it('a provider whose clock is 10 minutes off: the connection works, the diagnosis says fix the clock', async () => {
    const { harness } = await setup({ dateOffsetMs: -10 * 60_000 });
    const view = await harness.core.connect({ providerId: 'diag' });
    const diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis?.code).toBe('clock_skew');
    expect(diagnosis?.action.kind).toBe('fix_clock');
    expect(diagnosis?.sentence).toMatch(/about 10 minutes ahead of Diag's.*fix the computer's clock/);
    expect(Math.abs((diagnosis?.clockSkewSeconds ?? 0) + 600)).toBeLessThanOrEqual(2);
    const trace = await harness.core.trace(view.id);
    expect(trace.entries.filter((e) => e.clockSkewSeconds !== undefined).length).toBeGreaterThanOrEqual(2);
  });

  it('a provider whose clock is right gives no diagnosis for a working connection', async () => {
    const { harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    expect(await harness.core.diagnose(view.id)).toBeNull();
    const trace = await harness.core.trace(view.id);
    expect(trace.entries.some((e) => e.clockSkewSeconds === 0)).toBe(true);
  });

  it('redirect_uri_mismatch on the callback: the diagnosis shows the exact redirect URI to register', async () => {
    const { harness, opened } = await setup({ authorize: 'redirect_uri_mismatch' });
    await failure(harness.core.connect({ providerId: 'diag' }));
    const used = opened[0]?.searchParams.get('redirect_uri');
    expect(used).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const diagnosis = await harness.core.diagnose('provider:diag');
    expect(diagnosis).toMatchObject({
      code: 'redirect_uri_mismatch',
      redirectUri: used,
      action: { kind: 'copy', label: 'Copy redirect URI', value: used },
    });
    expect(diagnosis?.sentence).toContain(`Register exactly ${used} as a redirect URI`);
  });

  it('redirect_uri_mismatch from the token endpoint is diagnosed the same way', async () => {
    const { harness, opened } = await setup({ token: 'redirect_uri_mismatch' });
    await failure(harness.core.connect({ providerId: 'diag' }));
    const diagnosis = await harness.core.diagnose('provider:diag');
    expect(diagnosis?.code).toBe('redirect_uri_mismatch');
    expect(diagnosis?.redirectUri).toBe(opened[0]?.searchParams.get('redirect_uri'));
  });

  it('invalid_client: check the client ID and secret in Set up', async () => {
    const { harness } = await setup({ token: 'invalid_client' });
    const error = await failure(harness.core.connect({ providerId: 'diag' }));
    expect(error.code).toBe('invalid_client');
    const diagnosis = await harness.core.diagnose('provider:diag');
    expect(diagnosis).toMatchObject({ code: 'invalid_client', action: { kind: 'setup', label: 'Open Set up' } });
    expect(diagnosis?.sentence).toContain('client ID or client secret');
  });

  it('invalid_grant on refresh: sign in again, and the saved sign-in is kept', async () => {
    const { provider, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    provider.modes.token = 'invalid_grant';
    const error = await failure(harness.core.refresh(view.id));
    expect(error.code).toBe('invalid_grant');
    const diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis).toMatchObject({ code: 'invalid_grant', action: { kind: 'reconnect', label: 'Sign in again' } });
    expect(await harness.vault.getConnectionSecret(view.id)).not.toBeNull();
  });

  it('a 403 with WWW-Authenticate insufficient_scope names the missing scope', async () => {
    const { provider, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    provider.modes.me = 'insufficient_scope';
    const result = await harness.core.test(view.id);
    expect(result.ok).toBe(false);
    expect(result.httpStatus).toBe(403);
    const diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis).toMatchObject({ code: 'insufficient_scope', scope: 'contacts.read', action: { kind: 'setup' } });
    expect(diagnosis?.sentence).toContain('lacks the "contacts.read" permission (scope)');
  });

  it('a health check reports the same diagnosis: the missing scope, not just "403"', async () => {
    const { provider, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    provider.modes.me = 'insufficient_scope';
    const [result] = await harness.core.checkConnections([view.id]);
    expect(result).toMatchObject({ id: view.id, status: 'error', httpStatus: 403 });
    expect(result?.error?.message).toContain('lacks the "contacts.read" permission (scope)');
  });

  it('a hostile challenge (control characters, a huge scope) never reaches the sentence', async () => {
    const { provider, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    provider.modes.me = 'insufficient_scope';
    // Node refuses C0 controls in a header it sends; C1 controls (8-bit CSI, NEL) go through as bytes.
    provider.modes.challenge = `Bearer error="insufficient_scope", scope="contacts.read\u009b2Jpwned\u0085"`;
    await harness.core.test(view.id);
    let diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis?.code).toBe('insufficient_scope');
    expect(diagnosis?.scope).toBeUndefined();
    expect(diagnosis?.sentence).not.toMatch(/pwned|[\u0000-\u001f\u0080-\u009f]/);
    provider.modes.challenge = `Bearer error="insufficient_scope", scope="${'a'.repeat(900)}"`;
    await harness.core.test(view.id);
    diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis?.scope).toBeUndefined();
    expect(diagnosis?.sentence.length).toBeLessThan(300);
  });

  it('429 with Retry-After: the diagnosis says when to retry', async () => {
    const { provider, harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    provider.modes.me = 'rate_limited';
    const before = Date.now();
    const result = await harness.core.test(view.id);
    expect(result.error?.code).toBe('rate_limited');
    const diagnosis = await harness.core.diagnose(view.id);
    expect(diagnosis?.code).toBe('rate_limited');
    expect(diagnosis?.action.kind).toBe('retry');
    const retryAt = Date.parse(String(diagnosis?.retryAt));
    expect(retryAt).toBeGreaterThanOrEqual(before + 89_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 91_000);
    expect(diagnosis?.sentence).toContain(`after ${String(diagnosis?.retryAt).slice(11, 16)} UTC`);
  });
});

describe('support bundle from a real connection', { timeout: 60_000 }, () => {
  it('holds no issued value, keeps only the listed claim values, and reads back', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const accessToken = jwt({
      iss: 'https://id.diag.test',
      aud: ['api://diag'],
      exp,
      iat: exp - 3600,
      nbf: exp - 3600,
      scope: 'profile',
      azp: 'diag-client',
      sub: 'user-8812-private',
      email: 'grace@example.test',
      sid: 'session-handle-55aa',
    });
    const { provider, harness } = await setup({ accessToken, dateOffsetMs: 7 * 60_000 });
    const view = await harness.core.connect({ providerId: 'diag' });
    await harness.core.test(view.id);
    const file = await harness.core.supportBundle(view.id);
    expect(file.fileName).toMatch(/^patchbay-diag-\d{8}-\d{4}\.json$/);

    // Every value the provider issued or received: codes, PKCE verifier, client secret, tokens.
    const issued = [...provider.issued.entries()];
    expect(issued.map(([label]) => label.split(' ')[0])).toEqual(
      expect.arrayContaining(['code', 'code_verifier', 'client_secret', 'access', 'refresh']),
    );
    for (const [label, value] of issued) {
      expect(file.text.includes(value), `${label} is in the bundle`).toBe(false);
      expect(file.text.includes(value.slice(-16)), `the end of ${label} is in the bundle`).toBe(false);
    }
    expect(file.text).not.toContain(SECRET);

    const bundle = JSON.parse(file.text) as SupportBundleView;
    expect(bundle.tokens.accessToken?.header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: '[redacted]' });
    expect(bundle.tokens.accessToken?.claims).toEqual({
      iss: 'https://id.diag.test',
      aud: ['api://diag'],
      exp,
      iat: exp - 3600,
      nbf: exp - 3600,
      scope: 'profile',
      azp: 'diag-client',
      sub: '[redacted]',
      email: '[redacted]',
      sid: '[redacted]',
    });
    expect(file.text).not.toMatch(/user-8812-private|session-handle-55aa|key-7f3a9b/);
    expect(bundle.scopes).toEqual({
      requested: ['profile', 'contacts.read'],
      granted: ['profile'],
      missing: ['contacts.read'],
    });
    expect(Math.abs((bundle.clockSkewSeconds ?? 0) - 420)).toBeLessThanOrEqual(2);
    expect(bundle.diagnosis?.code).toBe('clock_skew');
    expect(bundle.connection).toMatchObject({ id: view.id, providerId: 'diag', label: 'Grace Hopper' });
    expect(bundle.trace.length).toBeGreaterThan(3);
    expect(readSupportBundle(file.text)).toEqual(bundle);
  });

  it('refuses to hand out a bundle that would carry a saved secret', async () => {
    const { harness } = await setup();
    const view = await harness.core.connect({ providerId: 'diag' });
    // A definition that (wrongly) carries the client secret in an extra authorize parameter.
    const def = definition(provider!.base);
    await harness.core.saveProvider({ ...def, extraAuthorizeParams: { hint: SECRET.slice(3, 20) } });
    const error = await failure(harness.core.supportBundle(view.id));
    expect(error.code).toBe('internal');
    expect(error.message).toContain('did not write it');
    expect(error.message).not.toContain(SECRET.slice(3, 20));
  });
});
