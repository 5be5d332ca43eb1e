/**
 * Labels without configuration: the documented identity fields, one level of nesting, ID token
 * claims, and what a hostile answer can do to a label (nothing: one line, bounded, no controls).
 */
import { describe, expect, it } from 'vitest';
import {
  cleanLabel,
  guessLabel,
  labelFromIdToken,
  MAX_LABEL_LENGTH,
} from '../../../main/core/providers/identity-label';
import { accountLabel } from '../../../main/core/providers/who-am-i';

const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('guessLabel', () => {
  it.each([
    [{ name: 'Ada' }, 'Ada'],
    [{ display_name: 'Ada L', email: 'a@x.test' }, 'Ada L'],
    [{ email: 'a@x.test', login: 'ada' }, 'a@x.test'],
    [{ login: 'ada' }, 'ada'],
    [{ username: 'ada1' }, 'ada1'],
    [{ preferred_username: 'ada2' }, 'ada2'],
    [{ data: { email: 'd@x.test' } }, 'd@x.test'],
    [{ user: { login: 'octo' } }, 'octo'],
    [{ account: { name: 'Acme Ltd' } }, 'Acme Ltd'],
    [{ id: 1, name: '', data: { name: 'Nested' } }, 'Nested'],
  ])('%j → %s', (json, label) => expect(guessLabel(json)).toBe(label));

  it.each([
    [null],
    [[{ name: 'in array' }]],
    [{ data: { data: { name: 'two levels' } } }],
    [{ name: 42 }],
    ['Ada'],
    [{ token: 'x' }],
  ])('finds nothing in %j', (json) => {
    expect(guessLabel(json)).toBeNull();
  });

  it('never reads inherited properties', () => {
    expect(guessLabel(JSON.parse('{"__proto__": {"name": "polluted"}}'))).toBeNull();
  });

  it('labelPath wins when set; the fields are used only without one', () => {
    expect(accountLabel({ name: 'Guess', org: { title: 'Path' } }, 'org.title')).toBe('Path');
    expect(accountLabel({ name: 'Guess' }, 'org.title')).toBeNull();
    expect(accountLabel({ name: 'Guess' }, undefined)).toBe('Guess');
  });
});

describe('labels are one bounded line', () => {
  it('strips control and invisible formatting characters and collapses whitespace', () => {
    expect(cleanLabel('Ada\n\u001b[31mLovelace\u202e\u0000 \t ok')).toBe('Ada Lovelace ok');
    expect(cleanLabel('line\u2028sep\u2029para')).toBe('line sep para');
    expect(cleanLabel(' \n\t ')).toBeNull();
  });

  it('is at most MAX_LABEL_LENGTH characters, never splitting a surrogate pair', () => {
    const label = cleanLabel('😀'.repeat(500))!;
    expect([...label]).toHaveLength(MAX_LABEL_LENGTH);
    expect(label).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('labelFromIdToken', () => {
  it('uses name, then email, then preferred_username', () => {
    expect(labelFromIdToken(jwt({ sub: '1', name: 'Ada', email: 'a@x.test' }))).toBe('Ada');
    expect(labelFromIdToken(jwt({ sub: '1', email: 'a@x.test', preferred_username: 'ada' }))).toBe('a@x.test');
    expect(labelFromIdToken(jwt({ sub: '1', preferred_username: 'ada\nx' }))).toBe('ada x');
  });

  it.each([
    undefined,
    '',
    'not-a-jwt',
    'a.b',
    'a.%%%.c',
    jwt(['name']),
    jwt({ sub: '1' }),
    `e30.${'A'.repeat(20_000)}.s`,
  ])('gives null for %s', (token) => {
    expect(labelFromIdToken(token)).toBeNull();
  });
});
