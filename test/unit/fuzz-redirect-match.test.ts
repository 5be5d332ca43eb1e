/**
 * Fuzzing the auth window's redirect matcher (main/electron/redirect-match.ts).
 *
 * The property that matters (RFC 9700 §4.1.3): no navigation whose scheme, host, port or path
 * differs from the registered redirect URI is ever treated as the callback. The arbitraries build
 * near misses on purpose — suffix and prefix hosts, userinfo tricks, other ports, encoded and
 * dot-segment paths, case changes, the callback hidden in a query or fragment — and mix them with
 * random strings. Seeded: set PATCHBAY_FUZZ_SEED to replay a failure (the seed is printed).
 *
 * Would fail if: sameEndpoint() dropped its hostname, port or pathname comparison, or stopped
 * refusing userinfo (the first property checks each component of every accepted candidate).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyNavigation, matchesErrorPage, matchesRedirectUri } from '../../main/electron/redirect-match';
import { RUNS, check } from '../helpers/fuzz';

const REGISTERED = [
  'patchbay://oauth/callback',
  'https://good.example.com/oauth/callback',
  'https://good.example.com:8443/cb',
  'http://127.0.0.1:53682/callback',
  'http://[::1]:8080/cb',
  'https://app.livestorm.test/patchbay/return?tenant=acme',
] as const;

const hostTricks = (host: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    host,
    host.toUpperCase(),
    `${host}.evil.test`,
    `evil${host}`,
    `evil.test@${host}`,
    `${host}@evil.test`,
    `${host}%2eevil.test`,
    `${host}.`,
    `a.${host}`,
    `${host}:0`,
    'evil.test',
    'localhost',
    '127.0.0.2',
    '0x7f.0.0.1',
    `${host}\\@evil.test`,
    `${host}%00`,
    `xn--${host}`,
    '[::ffff:127.0.0.1]',
  );

const pathTricks = (p: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    p,
    `${p}/`,
    `${p}x`,
    `${p}/..`,
    `/x/..${p}`,
    `${p.replace(/\/([^/]*)$/, '/./$1')}`,
    p.toUpperCase(),
    p.replace(/\//g, '%2F'),
    p.replace(/\//g, '\\'),
    p.replace(/c/, '%63'),
    `/%2e%2e${p}`,
    `${p};x`,
    '',
    '/',
    `${p}%00`,
    `//${p}`,
    `${p}#${p}`,
  );

const portTricks = (port: string): fc.Arbitrary<string> =>
  fc.constantFrom(port, '', ':1', ':443', ':80', ':65535', ':0', `${port}0`, ':08443');

const schemeTricks = (scheme: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    scheme,
    scheme.toUpperCase(),
    `${scheme}x`,
    'http',
    'https',
    'javascript',
    'patchbay',
    'file',
    'data',
    ` ${scheme}`,
  );

const query = fc
  .array(fc.tuple(fc.constantFrom('code', 'state', 'iss', 'tenant', 'error', 'x'), fc.string({ maxLength: 12 })), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`));

/** A candidate built from the registered URI with zero or more components replaced by a near miss. */
const nearMiss = fc.constantFrom(...REGISTERED).chain((registered) => {
  const u = new URL(registered);
  const scheme = u.protocol.slice(0, -1);
  const host = u.hostname;
  const port = u.port ? `:${u.port}` : '';
  return fc.record({
    registered: fc.constant(registered),
    candidate: fc
      .tuple(
        schemeTricks(scheme),
        fc.constantFrom('://', ':/', ':', ':///'),
        hostTricks(host),
        portTricks(port),
        pathTricks(u.pathname),
        query,
        fc.constantFrom('', '#frag', `#${registered}`, `?r=${registered}`),
      )
      .map(([s, sep, h, p, path, q, tail]) => `${s}${sep}${h}${p}${path}${q}${tail}`),
  });
});

const anyCandidate = fc.oneof(
  { weight: 6, arbitrary: nearMiss },
  {
    weight: 1,
    arbitrary: fc.record({ registered: fc.constantFrom(...REGISTERED), candidate: fc.string({ maxLength: 80 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      registered: fc.constantFrom(...REGISTERED),
      candidate: fc.webUrl({ withQueryParameters: true, withFragments: true }),
    }),
  },
);

function components(raw: string): {
  protocol: string;
  hostname: string;
  port: string;
  pathname: string;
  userinfo: string;
} {
  const u = new URL(raw);
  return {
    protocol: u.protocol.toLowerCase(),
    hostname: u.hostname.toLowerCase(),
    port: u.port,
    pathname: u.pathname,
    userinfo: u.username + u.password,
  };
}

describe('fuzz: redirect matcher accepts only the registered endpoint', () => {
  it(
    `never accepts a URL that differs in scheme, host, port or path, or carries userinfo (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      check(
        fc.property(anyCandidate, ({ registered, candidate }) => {
          if (!matchesRedirectUri(candidate, registered)) return;
          const got = components(candidate);
          const want = components(registered);
          expect(got).toEqual({ ...want, userinfo: '' });
          // Registered query parameters come back unchanged (a tenant parameter cannot be swapped).
          for (const [k, v] of new URL(registered).searchParams)
            expect(new URL(candidate).searchParams.getAll(k)).toEqual([v]);
        }),
      );
    },
  );

  it(
    `classifyNavigation never throws and only calls a matching URL a callback (${RUNS} cases)`,
    { timeout: 60_000 },
    () => {
      check(
        fc.property(
          anyCandidate,
          fc.option(fc.constantFrom('https://accounts.example.test/ooops?oauth_exception=x')),
          ({ registered, candidate }, errorPageUrl) => {
            const verdict = classifyNavigation(
              candidate,
              errorPageUrl ? { redirectUri: registered, errorPageUrl } : { redirectUri: registered },
            );
            if (verdict.kind === 'callback') {
              expect(matchesRedirectUri(candidate, registered)).toBe(true);
              expect(verdict.url.hash).toBe('');
            }
            if (verdict.kind === 'error_page')
              expect(errorPageUrl && matchesErrorPage(candidate, errorPageUrl)).toBe(true);
          },
        ),
      );
    },
  );

  it(`accepts the exact registered URI with any callback query (${RUNS} cases)`, { timeout: 60_000 }, () => {
    check(
      fc.property(fc.constantFrom(...REGISTERED), query, (registered, q) => {
        const u = new URL(registered);
        for (const [k, v] of new URLSearchParams(q.slice(1))) if (!u.searchParams.has(k)) u.searchParams.append(k, v);
        expect(matchesRedirectUri(u.href, registered)).toBe(true);
      }),
    );
  });

  it('never throws for arbitrary registered values either (the matcher is total)', { timeout: 60_000 }, () => {
    check(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (candidate, registered) => {
        const result = matchesRedirectUri(candidate, registered);
        expect(typeof result).toBe('boolean');
      }),
      2_000,
    );
  });
});
