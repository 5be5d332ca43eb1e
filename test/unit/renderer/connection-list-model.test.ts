import { describe, expect, it } from 'vitest';
import type { ConnectionView } from '../../../preload/contract';
import {
  FIRST_PAGE,
  attentionFirst,
  attentionOf,
  connectionSummary,
  countWords,
  firstViewRows,
  matchesQuery,
  showingText,
} from '../../../renderer/connection-list-model';

function conn(id: string, overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id,
    providerId: 'sandbox',
    providerName: 'Sandbox',
    auth: 'oauth2',
    label: `Account ${id}`,
    status: 'connected',
    scopes: [],
    expiresAt: null,
    createdAt: '2026-11-21T00:00:00.000Z',
    lastTestedAt: null,
    lastTest: null,
    lastError: null,
    canRefresh: true,
    ...overrides,
  };
}

describe('connection list model', () => {
  it('puts connections that need the person first and keeps the given order otherwise', () => {
    const list = [
      conn('a'),
      conn('b', { status: 'needs_reconnect' }),
      conn('c'),
      conn('d', { status: 'error', lastError: { code: 'network', message: 'x' } }),
      conn('e', { status: 'expired', canRefresh: false }),
      conn('f', { status: 'expired', canRefresh: true }),
    ];
    expect(attentionFirst(list).map((c) => c.id)).toEqual(['b', 'd', 'e', 'a', 'c', 'f']);
    expect(attentionOf(list[4]!)).toBe('sign_in');
    expect(attentionOf(list[5]!)).toBeNull();
    expect(attentionOf(list[3]!)).toBe('problem');
  });

  it('summarises a large list in words, leaving out empty groups', () => {
    const list = Array.from({ length: 1000 }, (_, i) => conn(`c${i}`, i < 3 ? { status: 'needs_reconnect' } : {}));
    list[10] = conn('c10', { status: 'error', lastError: { code: 'provider_error', message: 'x' } });
    expect(connectionSummary(list)).toBe(
      '1,000 connections · 996 working · 3 need you to sign in again · 1 with a problem',
    );
    expect(connectionSummary([conn('x')])).toBe('1 connection');
    expect(connectionSummary([conn('x'), conn('y', { status: 'needs_reconnect' })])).toBe(
      '2 connections · 1 working · 1 needs you to sign in again',
    );
  });

  it('filters by label or id, case-insensitively; an empty query matches everything', () => {
    const c = conn('sandbox-00ab', { label: 'Acme Corp' });
    expect(matchesQuery(c, 'acme')).toBe(true);
    expect(matchesQuery(c, '00AB')).toBe(true);
    expect(matchesQuery(c, '  ')).toBe(true);
    expect(matchesQuery(c, 'globex')).toBe(false);
  });

  it('groups digits and words the showing line', () => {
    expect(countWords(0)).toBe('0');
    expect(countWords(999)).toBe('999');
    expect(countWords(1000)).toBe('1,000');
    expect(countWords(1234567)).toBe('1,234,567');
    expect(showingText(10, 1000, 1000, '')).toBe('Showing 10 of 1,000');
    expect(showingText(1000, 1000, 1000, '')).toBe('Showing all 1,000');
    expect(showingText(0, 0, 1000, 'zz')).toBe('No connection matches “zz”');
    expect(showingText(3, 3, 1000, 'acme')).toBe('3 of 1,000 match “acme”');
    expect(showingText(10, 40, 1000, 'a')).toBe('40 of 1,000 match “a” · showing 10');
  });

  it('knows how many rows the first view holds', () => {
    expect(firstViewRows(0)).toBe(0);
    expect(firstViewRows(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(firstViewRows(FIRST_PAGE + 1)).toBe(FIRST_PAGE);
    expect(firstViewRows(1000)).toBe(FIRST_PAGE);
  });
});
