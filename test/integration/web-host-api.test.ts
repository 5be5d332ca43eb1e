/**
 * The web host's API as the page uses it, against a real core (conf settings, keytar in the test
 * keyring): answers from the real core, argument validation naming the field, body limits, pushed
 * change events, and the port fallback. Who may call it at all (launch key, Origin, Host, CSP,
 * static path containment) is security-webhost.test.ts.
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
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
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

describe('web host API', () => {
  const keyed = () => ({ ...own(), 'X-Patchbay-Key': host.key });

  it('answers the right key from its own origin with the real core', async () => {
    const reply = await invoke('providers:list', keyed());
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; value: Array<{ id: string }> };
    expect(result.ok).toBe(true);
    expect(result.value.map((p) => p.id)).toContain('sandbox');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('validates arguments and names the one at fault', async () => {
    const reply = await invoke('connections:test', keyed(), '[42]');
    expect(JSON.parse(reply.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'connectionId' },
    });
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
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/api/events?key=${host.key}`,
          headers: { Host: `127.0.0.1:${host.port}` },
        },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => events.push(chunk));
    const saved = await invoke(
      'providers:save',
      keyed(),
      JSON.stringify([
        { id: 'acme', name: 'Acme', auth: 'apiKey', apiKeyHeader: 'Api-Token', testUrl: 'https://acme.example/me' },
      ]),
    );
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
