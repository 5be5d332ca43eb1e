/**
 * A small OAuth 2.0 authorization server for engine tests, shaped by options to behave like a
 * given provider: client auth style, form or JSON bodies, PKCE, `iss`, refresh rotation,
 * RFC 7009 or LiveChat-style revocation, quirky token answers, and failure modes.
 *
 * It validates what a real server validates (PKCE S256 verifier, redirect URI, single-use codes,
 * client credentials) and counts every request so tests can assert "no token request was made".
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { failWith, readBody, sendJson, tokenAnswer, type Failure } from './server-util';

export interface OAuthServerOptions {
  clientId: string;
  clientSecret?: string;
  clientAuth?: 'client_secret_post' | 'client_secret_basic' | 'none';
  format?: 'form' | 'json';
  paths?: Partial<{ authorize: string; token: string; revoke: string; me: string; errorPage: string }>;
  /** Send `iss` on the callback (the server's own base URL, or this value). */
  iss?: boolean | string;
  /** What the authorize endpoint does instead of approving. */
  authorizeMode?: 'approve' | 'deny' | 'deny_on_error_page' | 'forged_state' | 'missing_state';
  expiresIn?: number | string;
  omitTokenType?: boolean;
  commaScopes?: boolean;
  tokenPrefix?: string;
  /** Refresh answers carry a new refresh token (and the old one stops working). */
  rotateRefresh?: boolean;
  refreshDelayMs?: number;
  /** Refresh answers wait for this promise: a test decides when the one refresh in flight ends. */
  refreshGate?: Promise<void>;
  revokeStyle?: 'rfc7009' | 'delete';
  /** Make the token endpoint misbehave. */
  tokenFailure?: Failure;
  meName?: string;
  meEmail?: string;
  /** The "who am I" answer for a valid token, built from the request's Authorization header (a hostile provider echoes it). */
  meAnswer?: (authorization: string) => unknown;
  /** Hold every "who am I" answer until this resolves (a crash test kills the client meanwhile). */
  meGate?: Promise<void>;
  /** Fields merged into every token answer (huge numbers, huge scopes, a huge token). */
  tokenExtra?: Record<string, unknown>;
  /** The token endpoint answers with a redirect to this address instead of tokens. */
  tokenRedirect?: string;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string; cert: string };
  /** The host name in `base` (default 127.0.0.1): a made-up name that only a test proxy resolves. */
  hostName?: string;
}

export interface OAuthServer {
  base: string;
  options: OAuthServerOptions;
  counts: { authorize: number; token: number; code: number; refresh: number; revoke: number; me: number };
  revoked: Array<{ token: string; hint: string | null }>;
  accessTokens: Set<string>;
  refreshTokens: Set<string>;
  lastTokenRequest: { contentType: string; authorization: string | null; body: Record<string, string> } | null;
  close(): Promise<void>;
}

interface CodeGrant {
  redirectUri: string;
  challenge: string | null;
  method: string | null;
  used: boolean;
  scope: string;
}

/** Start a provider-like OAuth server on 127.0.0.1 and a free port. */
export async function startOAuthServer(options: OAuthServerOptions): Promise<OAuthServer> {
  const paths = {
    authorize: '/authorize',
    token: '/token',
    revoke: '/revoke',
    me: '/me',
    errorPage: '/ooops',
    ...options.paths,
  };
  const codes = new Map<string, CodeGrant>();
  const state: OAuthServer = {
    base: '',
    options,
    counts: { authorize: 0, token: 0, code: 0, refresh: 0, revoke: 0, me: 0 },
    revoked: [],
    accessTokens: new Set(),
    refreshTokens: new Set(),
    lastTokenRequest: null,
    close: async () => undefined,
  };
  const mint = (kind: string) => `${options.tokenPrefix ?? ''}${kind}-${randomBytes(12).toString('hex')}`;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void (async () => {
      const url = new URL(req.url ?? '/', state.base);
      if (req.method === 'GET' && url.pathname === paths.authorize) {
        state.counts.authorize += 1;
        const q = url.searchParams;
        const redirect = q.get('redirect_uri');
        if (q.get('client_id') !== options.clientId || !redirect || q.get('response_type') !== 'code') {
          return sendJson(res, 400, { error: 'invalid_request' });
        }
        const back = new URL(redirect);
        const mode = options.authorizeMode ?? 'approve';
        if (mode === 'deny_on_error_page') {
          res.writeHead(302, { location: `${state.base}${paths.errorPage}?oauth_exception=access_denied` }).end();
          return;
        }
        if (mode === 'deny') back.searchParams.set('error', 'access_denied');
        else {
          const code = mint('code');
          codes.set(code, {
            redirectUri: redirect,
            challenge: q.get('code_challenge'),
            method: q.get('code_challenge_method'),
            used: false,
            scope: q.get('scope') ?? '',
          });
          back.searchParams.set('code', code);
        }
        if (mode === 'forged_state') back.searchParams.set('state', 'forged-' + randomBytes(8).toString('hex'));
        else if (mode !== 'missing_state' && q.get('state') !== null) back.searchParams.set('state', q.get('state')!);
        if (options.iss) back.searchParams.set('iss', typeof options.iss === 'string' ? options.iss : state.base);
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (url.pathname === paths.errorPage) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Ooops</h1>');
        return;
      }
      if (req.method === 'POST' && url.pathname === paths.token) return token(req, res);
      if (url.pathname === paths.revoke && (req.method === 'POST' || req.method === 'DELETE')) return revoke(req, res);
      if (req.method === 'GET' && url.pathname === paths.me) {
        state.counts.me += 1;
        const auth = req.headers.authorization ?? '';
        const tokenValue = auth.startsWith('Bearer ') ? auth.slice(7) : '';
        if (!state.accessTokens.has(tokenValue)) return sendJson(res, 401, { error: 'invalid_token' });
        if (options.meGate) await options.meGate;
        if (options.meAnswer) return sendJson(res, 200, options.meAnswer(auth));
        return sendJson(res, 200, {
          name: options.meName ?? 'Ada Lovelace',
          email: options.meEmail ?? 'ada@example.test',
        });
      }
      sendJson(res, 404, { error: 'not_found' });
    })().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);

  async function token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    state.counts.token += 1;
    const { contentType, body } = await readBody(req);
    state.lastTokenRequest = { contentType, authorization: req.headers.authorization ?? null, body };
    const wantJson = (options.format ?? 'form') === 'json';
    if (wantJson !== contentType.includes('application/json')) return sendJson(res, 400, { error: 'invalid_request' });
    if (!clientAuthOk(req, body)) return sendJson(res, 401, { error: 'invalid_client' });
    if (options.tokenFailure) return failWith(res, options.tokenFailure);
    if (options.tokenRedirect) {
      res.writeHead(302, { location: options.tokenRedirect }).end();
      return;
    }
    if (body.grant_type === 'authorization_code') {
      state.counts.code += 1;
      const grant = codes.get(body.code ?? '');
      if (!grant || grant.used) return sendJson(res, 400, { error: 'invalid_grant' });
      grant.used = true;
      if (grant.redirectUri !== body.redirect_uri) return sendJson(res, 400, { error: 'invalid_grant' });
      if (grant.challenge !== null) {
        const verifier = body.code_verifier ?? '';
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (grant.method?.toUpperCase() !== 'S256' || computed !== grant.challenge)
          return sendJson(res, 400, { error: 'invalid_grant' });
      }
      return issue(res, grant.scope, true);
    }
    if (body.grant_type === 'refresh_token') {
      state.counts.refresh += 1;
      const old = body.refresh_token ?? '';
      if (!state.refreshTokens.has(old)) return sendJson(res, 400, { error: 'invalid_grant' });
      if (options.refreshDelayMs) await new Promise((r) => setTimeout(r, options.refreshDelayMs));
      if (options.refreshGate) await options.refreshGate;
      if (options.rotateRefresh) state.refreshTokens.delete(old);
      return issue(res, 'read', options.rotateRefresh === true);
    }
    sendJson(res, 400, { error: 'unsupported_grant_type' });
  }

  function issue(res: http.ServerResponse, scope: string, withRefresh: boolean): void {
    const extra = options.tokenExtra ?? {};
    const access = typeof extra.access_token === 'string' ? extra.access_token : mint('at');
    state.accessTokens.add(access);
    let refresh: string | undefined;
    if (withRefresh) {
      refresh = mint('rt');
      state.refreshTokens.add(refresh);
    }
    sendJson(res, 200, { ...tokenAnswer(options, access, refresh, scope), ...extra, access_token: access });
  }

  function clientAuthOk(req: http.IncomingMessage, body: Record<string, string>): boolean {
    const style = options.clientAuth ?? 'client_secret_post';
    if (style === 'client_secret_basic') {
      const header = req.headers.authorization ?? '';
      if (!header.startsWith('Basic ')) return false;
      const [id, secret] = Buffer.from(header.slice(6), 'base64')
        .toString()
        .split(':')
        .map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
      return id === options.clientId && secret === options.clientSecret && body.client_secret === undefined;
    }
    if (req.headers.authorization && !req.headers.authorization.startsWith('Bearer ')) return false;
    if (body.client_id !== options.clientId) return false;
    return style === 'none' ? body.client_secret === undefined : body.client_secret === options.clientSecret;
  }

  async function revoke(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    state.counts.revoke += 1;
    if ((options.revokeStyle ?? 'rfc7009') === 'delete') {
      const auth = req.headers.authorization ?? '';
      const tokenValue = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (req.method !== 'DELETE' || !state.accessTokens.delete(tokenValue))
        return sendJson(res, 401, { error: 'invalid_token' });
      state.revoked.push({ token: tokenValue, hint: null });
      res.writeHead(200).end();
      return;
    }
    const { body } = await readBody(req);
    if (req.method !== 'POST' || !clientAuthOk(req, body)) return sendJson(res, 401, { error: 'invalid_client' });
    const value = body.token ?? '';
    state.accessTokens.delete(value);
    state.refreshTokens.delete(value);
    state.revoked.push({ token: value, hint: body.token_type_hint ?? null });
    res.writeHead(200).end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const scheme = options.tls ? 'https' : 'http';
  state.base = `${scheme}://${options.hostName ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
