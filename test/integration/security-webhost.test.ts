/**
 * The web host answers only the page it launched: every API request without the per-launch key,
 * from another Origin, or addressed to another Host name (DNS rebinding) is refused with a bare
 * 403 before the core is reached, and no response invites cross-origin reads (no CORS headers).
 *
 * Requests are raw node:http requests so the Host and Origin headers are exactly what a hostile
 * page or program could send. The core behind the host is a recording stand-in: a refused request
 * must not reach it at all. This is the one home of the web host's access checks; what the API
 * does for the launched page is web-host-api.test.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import type { HostCore } from '../../main/host/types';

let host: WebHost;
const reached: string[] = [];

/** A core that records which methods were reached (refusals must reach none). */
const core = new Proxy(
  {},
  {
    get: (_t, prop: string) => {
      if (prop === 'onChange') return () => () => undefined;
      if (prop === 'startRefreshScheduler') return () => ({ stop: async () => undefined });
      return async () => {
        reached.push(prop);
        return [];
      };
    },
  },
) as HostCore;

let site = '';
const OUTSIDE = 'outside-the-renderer-folder-7c1f';

beforeAll(async () => {
  // A renderer folder with a page, and secrets beside it that must never be served.
  site = await mkdtemp(path.join(os.tmpdir(), 'patchbay-webhost-'));
  await mkdir(path.join(site, 'renderer', 'assets'), { recursive: true });
  await mkdir(path.join(site, 'renderer-secrets'));
  await writeFile(path.join(site, 'renderer', 'index.html'), '<!doctype html><title>Patchbay</title>');
  await writeFile(path.join(site, 'secret.txt'), OUTSIDE);
  await writeFile(path.join(site, 'renderer-secrets', 'key.txt'), OUTSIDE);
  host = await startWebHost({ core, staticDir: path.join(site, 'renderer'), port: 0, version: 'test' });
});
afterAll(async () => {
  await host?.close();
  await rm(site, { recursive: true, force: true });
});
beforeEach(() => {
  reached.length = 0;
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString('utf8');
          if (res.headers['content-type']?.startsWith('text/event-stream')) req.destroy();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end((options.method ?? 'POST') === 'POST' ? (options.body ?? '[]') : undefined);
  });
}

const INVOKE = '/api/invoke/connections:list';
const drop = (h: Record<string, string>, k: string) =>
  Object.fromEntries(Object.entries(h).filter(([name]) => name !== k));
const good = (): Record<string, string> => ({
  host: `127.0.0.1:${host.port}`,
  origin: host.origin,
  'x-patchbay-key': host.key,
  'content-type': 'application/json',
});

describe('web host: launch key, Origin and Host checks', () => {
  it('prints a URL with a 256-bit base64url key in the fragment (never sent to the server by a browser)', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#key=${host.key}`);
    expect(Buffer.from(host.key, 'base64url')).toHaveLength(32);
  });

  it('accepts localhost:<port> as Host with the matching Origin', async () => {
    const localhost = `localhost:${host.port}`;
    const reply = await request({
      path: INVOKE,
      headers: { ...good(), host: localhost, origin: `http://${localhost}` },
    });
    expect(reply.status).toBe(200);
    expect(reached).toEqual(['listConnections']);
  });

  it('answers the launched page (right key, same Origin, right Host)', async () => {
    const reply = await request({ path: '/api/invoke/connections:list', headers: good() });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: [] });
    expect(reached).toEqual(['listConnections']);
  });

  /** Each refusal: method, path and headers, built when the test runs (host, port and key exist by then). */
  const refusals: Array<[string, () => { method?: string; path: string; headers: Record<string, string> }]> = [
    ['no launch key', () => ({ path: INVOKE, headers: drop(good(), 'x-patchbay-key') })],
    ['a wrong launch key', () => ({ path: INVOKE, headers: { ...good(), 'x-patchbay-key': 'A'.repeat(43) } })],
    ['an empty launch key', () => ({ path: INVOKE, headers: { ...good(), 'x-patchbay-key': '' } })],
    [
      'the key one character off',
      () => ({
        path: INVOKE,
        headers: { ...good(), 'x-patchbay-key': `${host.key.slice(0, -1)}${host.key.endsWith('x') ? 'y' : 'x'}` },
      }),
    ],
    [
      'the key in the query instead of the header',
      () => ({ path: `${INVOKE}?key=${host.key}`, headers: drop(good(), 'x-patchbay-key') }),
    ],
    ['another Origin', () => ({ path: INVOKE, headers: { ...good(), origin: 'https://evil.test' } })],
    ['Origin "null" (sandboxed iframe, file://)', () => ({ path: INVOKE, headers: { ...good(), origin: 'null' } })],
    ['another loopback port as Origin', () => ({ path: INVOKE, headers: { ...good(), origin: 'http://127.0.0.1:1' } })],
    ['no Origin on a POST', () => ({ path: INVOKE, headers: drop(good(), 'origin') })],
    [
      'a rebinding Host name',
      () => ({
        path: INVOKE,
        headers: { ...good(), host: `evil.test:${host.port}`, origin: `http://evil.test:${host.port}` },
      }),
    ],
    ['a GET on an invoke URL', () => ({ method: 'GET', path: INVOKE, headers: good() })],
    [
      'the event stream without the key',
      () => ({ method: 'GET', path: '/api/events', headers: { host: `127.0.0.1:${host.port}` } }),
    ],
    [
      'the event stream with a wrong key',
      () => ({ method: 'GET', path: '/api/events?key=wrong', headers: { host: `127.0.0.1:${host.port}` } }),
    ],
    [
      'the event stream to a rebinding Host name',
      () => ({ method: 'GET', path: `/api/events?key=${host.key}`, headers: { host: `evil.test:${host.port}` } }),
    ],
    ['the page itself to a rebinding Host name', () => ({ method: 'GET', path: '/', headers: { host: 'evil.test' } })],
    [
      'the event stream from another Origin',
      () => ({
        method: 'GET',
        path: `/api/events?key=${host.key}`,
        headers: { host: `127.0.0.1:${host.port}`, origin: 'https://evil.test' },
      }),
    ],
    [
      'a destructive call without the key',
      () => ({ path: '/api/invoke/connections:disconnect', headers: drop(good(), 'x-patchbay-key') }),
    ],
  ];

  it.each(refusals)('refuses %s with a bare 403 that reaches nothing', async (_name, spec) => {
    const reply = await request(spec());
    expect(reply.status).toBe(403);
    expect(reply.body).toBe('Forbidden');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reached).toEqual([]);
  });

  it('sends no CORS grant even on success, so a foreign page cannot read answers', async () => {
    const reply = await request({ path: '/api/invoke/providers:list', headers: good() });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('serves the page with a CSP that allows no inline script and no framing', async () => {
    const reply = await request({ method: 'GET', path: '/', headers: { host: `127.0.0.1:${host.port}` } });
    expect(reply.status).toBe(200);
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    for (const part of ["default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
      expect(csp).toContain(part);
    expect(csp).not.toContain('unsafe-inline');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/../renderer-secrets/key.txt',
    '/%2e%2e%2frenderer-secrets%2fkey.txt',
    '/assets/..%2f..%2fsecret.txt',
    '//secret.txt',
    '/%00../secret.txt',
  ])('never serves a file outside the renderer folder: %s', async (p) => {
    const reply = await request({ method: 'GET', path: p, headers: { host: `127.0.0.1:${host.port}` } });
    expect(reply.body).not.toContain(OUTSIDE);
  });
});
