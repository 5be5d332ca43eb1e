/**
 * The words people read: one status sentence and one primary action per connection state.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionView, ProviderView } from '../../../preload/contract';
import {
  connectionStatusText,
  durationWords,
  groupFamilies,
  primaryAction,
  providerStateText,
  waitingText,
} from '../../../renderer/status-words';
import { diagnosticsText, maskSecrets } from '../../../renderer/diagnostics';

const NOW = Date.parse('2026-11-21T12:00:00Z');
function conn(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: 'c1',
    providerId: 'livechat',
    providerName: 'LiveChat',
    auth: 'oauth2',
    label: 'Acme',
    status: 'connected',
    scopes: ['chats--all:ro'],
    expiresAt: new Date(NOW + 42 * 60_000).toISOString(),
    createdAt: new Date(NOW).toISOString(),
    lastTestedAt: null,
    lastTest: null,
    lastError: null,
    canRefresh: true,
    ...over,
  };
}
function provider(over: Partial<ProviderView> = {}): ProviderView {
  return {
    id: 'landbot',
    name: 'Landbot',
    auth: 'apiKey',
    builtIn: true,
    family: 'landbot',
    documented: true,
    note: null,
    definition: { id: 'landbot', name: 'Landbot', auth: 'apiKey' },
    redirectUri: null,
    clientId: null,
    hasClientSecret: false,
    needs: null,
    warnings: [],
    ...over,
  };
}

describe('connection status words', () => {
  it('reads "Connected as Acme · renews in 42 min" for a refreshable token', () => {
    expect(connectionStatusText(conn(), NOW)).toBe('Connected as Acme · renews in 42 min');
    expect(primaryAction(conn())).toBe('test');
  });
  it('says "expires" when the token cannot be renewed, and nothing for keys that never expire', () => {
    expect(connectionStatusText(conn({ canRefresh: false }), NOW)).toBe('Connected as Acme · expires in 42 min');
    expect(connectionStatusText(conn({ expiresAt: null, auth: 'apiKey' }), NOW)).toBe('Connected as Acme');
  });
  it('asks for a new sign-in when the refresh token is gone', () => {
    const c = conn({ status: 'needs_reconnect' });
    expect(connectionStatusText(c, NOW)).toBe('Needs you to sign in again');
    expect(primaryAction(c)).toBe('reconnect');
  });
  it('names the provider it could not reach', () => {
    const c = conn({ status: 'error', lastError: { code: 'network', message: 'x' } });
    expect(connectionStatusText(c, NOW)).toBe("Couldn't reach LiveChat");
    expect(primaryAction(c)).toBe('test');
  });
  it('tells when to retry after a rate limit', () => {
    const c = conn({ status: 'error', lastError: { code: 'rate_limited', message: 'x', retryAfterSeconds: 30 } });
    expect(connectionStatusText(c, NOW)).toBe('LiveChat asked to slow down · try again in 30 s');
  });
  it('offers Refresh for an expired token that can be renewed, Reconnect otherwise', () => {
    expect(primaryAction(conn({ status: 'expired' }))).toBe('refresh');
    expect(primaryAction(conn({ status: 'expired', canRefresh: false }))).toBe('reconnect');
  });
  it('writes durations in minutes, hours and days', () => {
    expect(durationWords(-5)).toBe('now');
    expect(durationWords(30_000)).toBe('in 1 min');
    expect(durationWords(3 * 3600_000)).toBe('in 3 h');
    expect(durationWords(3 * 3600_000 + 5 * 60_000)).toBe('in 3 h 5 min');
    expect(durationWords(5 * 86_400_000)).toBe('in 5 days');
  });
});

describe('provider words and grouping', () => {
  it('says what a provider still needs', () => {
    expect(providerStateText(provider({ needs: 'client_id' }), 0)).toBe('Not set up');
    expect(providerStateText(provider(), 0)).toBe('Ready to connect');
    expect(providerStateText(provider(), 1000)).toBe('1,000 connections');
    expect(waitingText(provider({ name: 'LiveChat' }))).toBe('Waiting for you to sign in at LiveChat…');
  });
  it('groups a family with the documented method first, keeping catalog order otherwise', () => {
    const oauth = provider({ id: 'landbot-oauth', name: 'Landbot OAuth', auth: 'oauth2', documented: false });
    const key = provider();
    const sandbox = provider({ id: 'sandbox', family: 'sandbox', name: 'Sandbox' });
    expect(groupFamilies([sandbox, oauth, key]).map((f) => f.map((p) => p.id))).toEqual([
      ['sandbox'],
      ['landbot', 'landbot-oauth'],
    ]);
  });
});

describe('diagnostics text', () => {
  it('summarises the connection and the trace, masking anything credential-shaped', () => {
    const text = diagnosticsText(
      conn(),
      {
        subject: 'c1',
        entries: [
          {
            at: '2026-11-21T12:00:00Z',
            step: 'token_request',
            detail: 'Bearer abcdefghijklmnop sent',
            ok: false,
            httpStatus: 400,
            method: 'POST',
            url: 'https://x/cb?code=SECRETCODE&state=1',
          },
        ],
      },
      null,
      new Date(NOW),
    );
    expect(text).toContain('Account: Acme');
    expect(text).toContain('FAIL token_request');
    expect(text).not.toContain('SECRETCODE');
    expect(text).not.toContain('abcdefghijklmnop');
  });
  it('masks sensitive query values and authorization schemes', () => {
    expect(maskSecrets('https://a/b?access_token=abc123&x=1')).toBe('https://a/b?access_token=[redacted]&x=1');
    expect(maskSecrets('Authorization: Token 0123456789abcdef')).toBe('Authorization: Token [redacted]');
  });
});
