/**
 * A provider that fails the ways diagnoses are about, on a real loopback socket: its clock is
 * off (a `Date` header minutes away), it refuses the redirect URI (on the callback or at the
 * token endpoint), the client credentials, a refresh (invalid_grant), a scope (403 with a Bearer challenge), or the rate
 * (429 with Retry-After). Each mode can be switched while a test runs; every issued value is
 * recorded so a test can search for it anywhere.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './server-util';

export interface DiagnosisProviderModes {
  /** Added to the real time in every answer's Date header. */
  dateOffsetMs: number;
  authorize: 'approve' | 'redirect_uri_mismatch';
  token: 'ok' | 'invalid_client' | 'redirect_uri_mismatch' | 'invalid_grant';
  me: 'ok' | 'insufficient_scope' | 'rate_limited';
  /** The WWW-Authenticate header sent with insufficient_scope. */
  challenge: string;
  retryAfter: string;
  /** Makes the access token this value (a JWT, for the claims tests) instead of a random one. */
  accessToken: string | null;
}

export interface DiagnosisProvider {
  base: string;
  modes: DiagnosisProviderModes;
  /** Every code, token, verifier and client secret that crossed this server. */
  issued: Map<string, string>;
  close(): Promise<void>;
}

export async function startDiagnosisProvider(
  initial: Partial<DiagnosisProviderModes> = {},
): Promise<DiagnosisProvider> {
  const modes: DiagnosisProviderModes = {
    dateOffsetMs: 0,
    authorize: 'approve',
    token: 'ok',
    me: 'ok',
    challenge: 'Bearer realm="api", error="insufficient_scope", scope="contacts.read"',
    retryAfter: '90',
    accessToken: null,
    ...initial,
  };
  const issued = new Map<string, string>();
  const tokens = new Set<string>();
  const state: DiagnosisProvider = { base: '', modes, issued, close: async () => undefined };
  const mint = (kind: string) => {
    const value = `${kind}-${randomBytes(16).toString('hex')}`;
    issued.set(`${kind} #${issued.size}`, value);
    return value;
  };
  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    // Node adds a Date header unless one is set: this one is the provider's (wrong) clock.
    res.setHeader('date', new Date(Date.now() + modes.dateOffsetMs).toUTCString());
    const url = new URL(req.url ?? '/', state.base);
    void (async () => {
      if (url.pathname === '/authorize') {
        const back = new URL(url.searchParams.get('redirect_uri') ?? 'http://127.0.0.1:9/');
        if (modes.authorize === 'redirect_uri_mismatch') back.searchParams.set('error', 'redirect_uri_mismatch');
        else back.searchParams.set('code', mint('code'));
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (url.pathname === '/token') {
        const { body } = await readBody(req);
        for (const key of ['code', 'code_verifier', 'client_secret', 'refresh_token'] as const)
          if (body[key]) issued.set(`${key} sent #${issued.size}`, body[key]);
        if (modes.token === 'invalid_client') return json(res, 401, { error: 'invalid_client' });
        if (modes.token === 'redirect_uri_mismatch') return json(res, 400, { error: 'redirect_uri_mismatch' });
        if (modes.token === 'invalid_grant') return json(res, 400, { error: 'invalid_grant' });
        const access = modes.accessToken ?? mint('access');
        if (modes.accessToken) issued.set(`access #${issued.size}`, access);
        tokens.add(access);
        return json(res, 200, {
          access_token: access,
          refresh_token: mint('refresh'),
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'profile',
        });
      }
      if (url.pathname === '/me') {
        const auth = req.headers.authorization ?? '';
        if (!tokens.has(auth.replace(/^Bearer /, ''))) return json(res, 401, { error: 'invalid_token' });
        if (modes.me === 'insufficient_scope')
          return json(res, 403, { message: 'Forbidden' }, { 'www-authenticate': modes.challenge });
        if (modes.me === 'rate_limited')
          return json(res, 429, { error: 'slow_down' }, { 'retry-after': modes.retryAfter });
        return json(res, 200, { name: 'Grace Hopper', email: 'grace@example.test' });
      }
      json(res, 404, { error: 'not_found' });
    })().catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
