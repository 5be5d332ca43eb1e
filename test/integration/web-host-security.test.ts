/**
 * The web host refuses everyone but the page opened from its printed URL: no key, a wrong key, a
 * foreign Origin or a foreign Host (DNS rebinding) all get a bare 403; the right key from the own
 * origin reaches the real core. Runs against a real core (conf settings, keytar in the test keyring).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { freePort } from '../helpers/ports';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so Host and Origin can be anything (fetch forbids setting Host). */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let home: string;
let staticDir: string;
let host: WebHost;
let core: ReturnType<typeof createDefaultCore>;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-web-'));
  staticDir = path.join(home, 'renderer');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Patchbay</title>');
  await writeFile(path.join(home, 'secret.txt'), 'outside the renderer folder');
  core = createDefaultCore({
    env: {
      PATCHBAY_HOME: home,
      PATCHBAY_KEYCHAIN_SERVICE: `PatchbayTest-${randomBytes(6).toString('hex')}`,
      PATCHBAY_SANDBOX_PORT: String(await freePort()),
    },
    authorizers: [createLoopbackAuthorizer({ openUrl: () => undefined })],
  });
  host = await startWebHost({ core, staticDir, port: 0, version: '0.0.0-test' });
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  await rm(home, { recursive: true, force: true });
});

const own = () => ({ Host: `127.0.0.1:${host.port}`, Origin: host.origin, 'Content-Type': 'application/json' });
const invoke = (channel: string, headers: Record<string, string>, body = '[]') =>
  send(host.port, { method: 'POST', path: `/api/invoke/${channel}`, headers, body });

describe('web host guard', () => {
  it('prints a URL with a 256-bit base64url key in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#key=${host.key}`);
    expect(host.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers the right key from its own origin with the real core', async () => {
    const reply = await invoke('providers:list', { ...own(), 'X-Patchbay-Key': host.key });
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; value: Array<{ id: string }> };
    expect(result.ok).toBe(true);
    expect(result.value.map((p) => p.id)).toContain('sandbox');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('accepts localhost:<port> as Host with the matching Origin', async () => {
    const localhost = `localhost:${host.port}`;
    const reply = await invoke('app:info', { Host: localhost, Origin: `http://${localhost}`, 'Content-Type': 'application/json', 'X-Patchbay-Key': host.key });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { host: 'web', version: '0.0.0-test', embeddedAuth: false } });
  });

  const refused: Array<[string, () => Record<string, string>]> = [
    ['no key', () => own()],
    ['a wrong key', () => ({ ...own(), 'X-Patchbay-Key': `${host.key.slice(0, -1)}x` })],
    ['an empty key', () => ({ ...own(), 'X-Patchbay-Key': '' })],
    ['a foreign Origin', () => ({ ...own(), Origin: 'http://evil.example', 'X-Patchbay-Key': host.key })],
    ['the own origin on another port', () => ({ ...own(), Origin: `http://127.0.0.1:${host.port + 1}`, 'X-Patchbay-Key': host.key })],
    ['no Origin on a POST', () => ({ Host: `127.0.0.1:${host.port}`, 'Content-Type': 'application/json', 'X-Patchbay-Key': host.key })],
    ['a foreign Host (DNS rebinding)', () => ({ ...own(), Host: `evil.example:${host.port}`, Origin: `http://evil.example:${host.port}`, 'X-Patchbay-Key': host.key })],
  ];
  it.each(refused)('refuses %s with a bare 403', async (_name, headers) => {
    const reply = await invoke('connections:list', headers());
    expect(reply.status).toBe(403);
    expect(reply.body).toBe('Forbidden');
  });

  it('refuses the key in the query string of an invoke (keys travel in a header)', async () => {
    const reply = await send(host.port, { method: 'POST', path: `/api/invoke/providers:list?key=${host.key}`, headers: own(), body: '[]' });
    expect(reply.status).toBe(403);
  });

  it('guards the event stream: no key or a foreign Host is refused, the key is accepted', async () => {
    expect((await send(host.port, { path: '/api/events', headers: { Host: `127.0.0.1:${host.port}` } })).status).toBe(403);
    expect((await send(host.port, { path: `/api/events?key=wrong`, headers: { Host: `127.0.0.1:${host.port}` } })).status).toBe(403);
    expect((await send(host.port, { path: `/api/events?key=${host.key}`, headers: { Host: `evil.example:${host.port}` } })).status).toBe(403);
    expect((await send(host.port, { path: `/api/events?key=${host.key}`, headers: { Host: `127.0.0.1:${host.port}`, Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('refuses static files to a foreign Host and never serves outside the renderer folder', async () => {
    expect((await send(host.port, { path: '/', headers: { Host: 'evil.example' } })).status).toBe(403);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const reply = await send(host.port, { path: p, headers: { Host: `127.0.0.1:${host.port}` } });
      expect(reply.status, p).toBe(404);
      expect(reply.body).not.toContain('outside the renderer folder');
    }
  });
});

describe('web host API', () => {
  const keyed = () => ({ ...own(), 'X-Patchbay-Key': host.key });

  it('serves the page with a strict CSP and no framing', async () => {
    const reply = await send(host.port, { path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(reply.status).toBe(200);
    const csp = String(reply.headers['content-security-policy']);
    for (const part of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('validates arguments and names the one at fault', async () => {
    const reply = await invoke('connections:test', keyed(), '[42]');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'connectionId' } });
    const notArray = await invoke('connections:test', keyed(), '{"id":1}');
    expect(notArray.status).toBe(400);
    const unknown = await invoke('shell:exec', keyed());
    expect(unknown.status).toBe(404);
  });

  it('refuses bodies above the limit and non-JSON content types', async () => {
    const big = JSON.stringify(['x'.repeat(3 * 1024 * 1024)]);
    expect((await invoke('providers:import', keyed(), big)).status).toBe(413);
    const text = await invoke('providers:list', { ...keyed(), 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  it('pushes providers:changed to an open event stream after a change', async () => {
    const events: string[] = [];
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: host.port, path: `/api/events?key=${host.key}`, headers: { Host: `127.0.0.1:${host.port}` } }, resolve);
      req.on('error', reject);
      req.end();
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => events.push(chunk));
    const saved = await invoke('providers:save', keyed(), JSON.stringify([{ id: 'acme', name: 'Acme', auth: 'apiKey', apiKeyHeader: 'Api-Token', testUrl: 'https://acme.example/me' }]));
    expect(JSON.parse(saved.body)).toMatchObject({ ok: true, value: { id: 'acme' } });
    await expect.poll(() => events.join(''), { timeout: 5_000 }).toContain('event: providers:changed');
    expect(events.join('')).toContain('"id":"acme"');
    stream.destroy();
  });
});

describe('web host port', () => {
  it('falls back to a free port when the preferred one is busy', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const second = await startWebHost({ core, staticDir, port: busy, version: 'x' });
    try {
      expect(second.port).not.toBe(busy);
      expect(second.port).toBeGreaterThan(0);
      expect(second.key).not.toBe(host.key);
    } finally {
      await second.close();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
