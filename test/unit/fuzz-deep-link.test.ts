/**
 * Fuzzing the deep-link parser (main/electron/deep-link.ts): links that any program on the
 * machine can hand to Patchbay through the OS (open-url, second-instance argv).
 *
 * Properties: the parser is total (every input either yields the callback URL or throws a
 * PatchbayError invalid_input naming the field "url", never anything else); an accepted link is
 * always exactly patchbay://oauth/callback with no userinfo, port or fragment; a well-formed
 * callback with any query is accepted with its query intact; argv scanning never throws.
 * Seeded: set PATCHBAY_FUZZ_SEED to replay a failure (the seed is printed).
 *
 * Would fail if: the host/path check were dropped (near-miss hosts like "oauth.evil" and paths like
 * "/callback/../x" are generated), or a raw TypeError from new URL() escaped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPatchbayError } from '../../main/core/model/errors';
import { deepLinksFromArgv, parseDeepLink } from '../../main/electron/deep-link';
import { RUNS, check } from '../helpers/fuzz';

const piece = fc.constantFrom(
  'patchbay',
  'PATCHBAY',
  'patchbayx',
  'http',
  'javascript',
  ':',
  '://',
  ':/',
  ':///',
  'oauth',
  'OAUTH',
  'oauth.evil',
  'evil',
  '@',
  'user:pw@',
  ':8080',
  '/callback',
  '/CALLBACK',
  '/callback/',
  '/callback/..',
  '/./callback',
  '/%2e%2e/callback',
  '%2Fcallback',
  '\\callback',
  '?',
  '#',
  '&',
  '=',
  'code',
  'state',
  '%00',
  '%0a',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '..',
  '/',
  '//',
);

/** Strings assembled from the pieces a link is made of, in random order. */
const linkish = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));

const queryValue = fc.string({ maxLength: 24 });
const callbackQuery = fc.array(
  fc.tuple(fc.constantFrom('code', 'state', 'iss', 'error', 'error_description'), queryValue),
  { maxLength: 5 },
);

const input = fc.oneof(
  { weight: 4, arbitrary: linkish.map((s) => `patchbay://${s}`) },
  { weight: 3, arbitrary: linkish },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.anything() },
);

describe('fuzz: deep-link parser', () => {
  it(
    `throws only PatchbayError invalid_input on "url", and accepts only the exact callback (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      check(
        fc.property(input, (raw) => {
          let url: URL;
          try {
            url = parseDeepLink(raw);
          } catch (error) {
            expect(isPatchbayError(error)).toBe(true);
            if (isPatchbayError(error)) {
              expect(error.code).toBe('invalid_input');
              expect(error.field).toBe('url');
              expect(error.message.length).toBeGreaterThan(20);
            }
            return;
          }
          expect(url.protocol).toBe('patchbay:');
          expect(url.hostname.toLowerCase()).toBe('oauth');
          expect(url.pathname).toBe('/callback');
          expect(url.username + url.password + url.port + url.hash).toBe('');
        }),
      );
    },
  );

  it(`accepts every well-formed callback and keeps its query (${RUNS} cases)`, { timeout: 60_000 }, () => {
    check(
      fc.property(callbackQuery, (pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const raw = `patchbay://oauth/callback${search ? `?${search}` : ''}`;
        const url = parseDeepLink(raw);
        expect([...url.searchParams]).toEqual([...new URLSearchParams(search)]);
      }),
    );
  });

  it(`deepLinksFromArgv never throws and returns only accepted callbacks (${RUNS} cases)`, { timeout: 60_000 }, () => {
    check(
      fc.property(
        fc.array(fc.oneof(input, fc.constant('--flag'), fc.constant('/usr/bin/patchbay')), { maxLength: 6 }),
        (argv) => {
          const rejected: unknown[] = [];
          const found = deepLinksFromArgv(argv, (e) => rejected.push(e));
          for (const url of found)
            expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('patchbay://oauth/callback');
          for (const e of rejected) expect(isPatchbayError(e)).toBe(true);
        },
      ),
    );
  });
});
