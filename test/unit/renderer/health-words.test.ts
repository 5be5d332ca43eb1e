/**
 * "Checked 5 minutes ago" and friends, and the header's count, as a person reads them.
 */
import { describe, expect, it } from 'vitest';
import { needsYou, needsYouText } from '../../../preload/attention';
import { checkedWords, healthLine, intervalWords } from '../../../renderer/health-words';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('checkedWords', () => {
  it.each([
    [null, 'Not checked yet'],
    [ago(10_000), 'Checked just now'],
    [ago(-30_000), 'Checked just now'],
    [ago(60_000), 'Checked 1 minute ago'],
    [ago(5 * 60_000), 'Checked 5 minutes ago'],
    [ago(60 * 60_000), 'Checked 1 hour ago'],
    [ago(3 * 60 * 60_000 + 59 * 60_000), 'Checked 3 hours ago'],
    [ago(50 * 60 * 60_000), 'Checked 2 days ago'],
    ['not a date', 'Not checked yet'],
  ])('%s reads "%s"', (iso, words) => {
    expect(checkedWords(iso, NOW)).toBe(words);
  });
});

describe('the header count', () => {
  it('says "1 connection needs you", "2 connections need you", nothing for none', () => {
    expect(needsYouText(0)).toBe('');
    expect(needsYouText(1)).toBe('1 connection needs you');
    expect(needsYouText(2)).toBe('2 connections need you');
    expect(needsYouText(1200)).toBe('1,200 connections need you');
  });

  it('counts what only the person can fix', () => {
    expect(needsYou({ status: 'needs_reconnect', canRefresh: true })).toBe(true);
    expect(needsYou({ status: 'error', canRefresh: true })).toBe(true);
    expect(needsYou({ status: 'expired', canRefresh: false })).toBe(true);
    expect(needsYou({ status: 'expired', canRefresh: true })).toBe(false);
    expect(needsYou({ status: 'connected', canRefresh: true })).toBe(false);
    expect(needsYou({ status: 'expiring', canRefresh: false })).toBe(false);
  });
});

describe('the health line', () => {
  it('says how often, or that a round runs', () => {
    expect(intervalWords(6 * 3_600_000)).toBe('every 6 hours');
    expect(intervalWords(3_600_000)).toBe('every hour');
    expect(intervalWords(30 * 60_000)).toBe('every 30 minutes');
    expect(intervalWords(2_000)).toBe('every 2 seconds');
    const status = {
      intervalMs: 6 * 3_600_000,
      settingProblem: null,
      checking: false,
      lastRunAt: null,
      nextCheckAt: null,
    };
    expect(healthLine(status)).toBe('Patchbay checks every connection every 6 hours while it runs.');
    expect(healthLine({ ...status, checking: true })).toBe('Checking your connections…');
  });
});
