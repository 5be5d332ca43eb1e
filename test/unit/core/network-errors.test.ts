/**
 * Network failures in plain words, from the shapes undici (Node) and Chromium (Electron's
 * net.fetch) really produce: a TypeError('fetch failed') with the cause chain, or a net:: code.
 */
import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from '../../../main/core/network/network-errors';

const target = new URL('https://id.acme.test:8443/token');
/** undici's fetch failure: TypeError('fetch failed') whose cause carries the code. */
const undiciError = (cause: Record<string, unknown>) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(String(cause.message ?? '')), cause) });

describe('describeNetworkFailure', () => {
  it('407 from the proxy (undici) is the sentence people can act on', () => {
    const error = describeNetworkFailure(
      undiciError({ message: 'Proxy response (407) !== 200 when HTTP Tunneling', code: 'UND_ERR_ABORTED' }),
      target,
      'http://bob:hunter2@proxy.corp:3128',
    );
    expect(error?.message).toBe(
      "Your network's proxy refused the connection (HTTP 407): check the proxy address and sign-in in Settings.",
    );
    expect(error?.httpStatus).toBe(407);
  });

  it('another proxy refusal names the proxy without its sign-in, and the host', () => {
    const error = describeNetworkFailure(
      undiciError({ message: 'Proxy response (502) !== 200 when HTTP Tunneling' }),
      target,
      'http://bob:hunter2@proxy.corp:3128',
    );
    expect(error?.message).toContain('(http://***@proxy.corp:3128)');
    expect(error?.message).toContain('id.acme.test (HTTP 502)');
    expect(error?.message).not.toContain('hunter2');
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])(
    'an untrusted certificate (%s) names the host and Settings > Network',
    (code) => {
      const error = describeNetworkFailure(undiciError({ code, message: 'x' }), target, null);
      expect(error?.message).toContain(
        'The security certificate of id.acme.test is not trusted on this computer: if your company uses its own certificate authority, add it in Settings > Network',
      );
    },
  );

  it("Chromium's words are read too", () => {
    expect(describeNetworkFailure(new Error('net::ERR_CERT_AUTHORITY_INVALID'), target, null)?.message).toContain(
      'is not trusted on this computer',
    );
    expect(describeNetworkFailure(new Error('net::ERR_PROXY_CONNECTION_FAILED'), target, null)?.message).toContain(
      "couldn't reach your network's proxy",
    );
  });

  it('a refused connection is about the proxy only when a proxy was used', () => {
    const refusedError = undiciError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(describeNetworkFailure(refusedError, target, 'http://127.0.0.1:9')?.message).toContain(
      "couldn't reach your network's proxy (http://127.0.0.1:9)",
    );
    expect(describeNetworkFailure(refusedError, target, null)).toBeNull();
  });

  it('expired and wrong-name certificates get their own sentences; anything else is left to the caller', () => {
    expect(describeNetworkFailure(undiciError({ code: 'CERT_HAS_EXPIRED' }), target, null)?.message).toContain(
      'has expired',
    );
    expect(
      describeNetworkFailure(undiciError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), target, null)?.message,
    ).toContain('for another address');
    expect(describeNetworkFailure(new Error('socket hang up'), target, null)).toBeNull();
  });
});
