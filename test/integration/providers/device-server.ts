/**
 * A scripted RFC 8628 provider on 127.0.0.1: a device authorization endpoint whose answer the
 * test chooses (hostile ones included), and a token endpoint that plays back a list of answers
 * (authorization_pending, slow_down, access_denied, expired_token, then tokens), recording every
 * poll so a test can see what Patchbay sent and when.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './server-util';

/** One answer of the token endpoint: an RFC 8628 §3.5 error, or the tokens. */
export type PollAnswer = 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'tokens';

export interface DeviceServerOptions {
  /** What the device authorization endpoint answers (merged over a valid default). */
  authorization?: Record<string, unknown>;
  /** Token endpoint answers in order; the last one repeats. */
  polls?: PollAnswer[];
}

export interface DeviceServer {
  base: string;
  /** Bodies of the token requests, in order. */
  polls: Array<Record<string, string>>;
  deviceRequests: Array<Record<string, string>>;
  close(): Promise<void>;
}

export const DEVICE_CODE = 'dev-code-7d1f0c9b2a';
export const ACCESS_TOKEN = 'device-access-token-5e2b';

/** Start the server; `base` is http://127.0.0.1:<port>. */
export async function startDeviceServer(options: DeviceServerOptions = {}): Promise<DeviceServer> {
  const polls: Array<Record<string, string>> = [];
  const deviceRequests: Array<Record<string, string>> = [];
  const answers = [...(options.polls ?? ['tokens'])];
  let base = '';
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      if (req.method === 'POST' && url.pathname === '/device') {
        deviceRequests.push((await readBody(req)).body);
        sendJson(res, 200, {
          device_code: DEVICE_CODE,
          user_code: 'WDJB-MJHT',
          verification_uri: `${base}/activate`,
          verification_uri_complete: `${base}/activate?user_code=WDJB-MJHT`,
          expires_in: 600,
          ...options.authorization,
        });
        return;
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        polls.push((await readBody(req)).body);
        const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
        if (answer === 'tokens')
          sendJson(res, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
        else sendJson(res, 400, { error: answer });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/me') {
        const ok = req.headers.authorization === `Bearer ${ACCESS_TOKEN}`;
        sendJson(res, ok ? 200 : 401, ok ? { name: 'Device Person' } : { error: 'invalid_token' });
        return;
      }
      sendJson(res, 404, { error: 'not_found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    polls,
    deviceRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A device-code provider definition for the server at `base`. */
export function deviceProvider(base: string) {
  return {
    id: 'tv',
    name: 'TV Co',
    auth: 'oauth2' as const,
    grant: 'device_code' as const,
    tokenUrl: `${base}/token`,
    deviceAuthorizationUrl: `${base}/device`,
    tokenAuthMethod: 'none' as const,
    scopes: ['read'],
    testUrl: `${base}/me`,
    labelPath: 'name',
  };
}
