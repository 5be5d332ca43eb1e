/**
 * The health service on the real web host, with real timers and a real core (conf settings,
 * keytar in the test keyring): a provider starts refusing a working API key while the host runs,
 * the background check finds it without anyone pressing Test, the page's event stream gets one
 * `health:alert` however many rounds follow, and one more when the provider accepts the key again.
 * "Check all now" over the bridge checks at once and reports the round.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAlert, HealthStatus } from '../../preload/contract';
import { createDefaultCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { freePort } from '../helpers/ports';

const INTERVAL_MS = 1_500;

let home: string;
let host: WebHost;
let core: ReturnType<typeof createDefaultCore>;
let provider: Server;
let accepts = true;
let probes = 0;
const events: Array<{ event: string; data: unknown }> = [];

/** The page's event stream, parsed as the browser's EventSource would. */
function listen(web: WebHost): void {
  const req = httpRequest({
    host: '127.0.0.1',
    port: web.port,
    path: `/api/events?key=${web.key}`,
    headers: { Host: `127.0.0.1:${web.port}`, Origin: web.origin },
  });
  req.on('response', (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(frame)?.[1];
        const data = /^data: (.+)$/m.exec(frame)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
}

const alerts = () => events.filter((e) => e.event === 'health:alert').map((e) => e.data as HealthAlert);

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'patchbay-health-'));
  const staticDir = path.join(home, 'renderer');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Patchbay</title>');
  provider = createServer((req, res) => {
    probes += 1;
    const ok = accepts && req.headers['x-key'] === 'key-123';
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(ok ? '{"name":"Acme"}' : '{"error":"bad key"}');
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  core = createDefaultCore({
    env: {
      PATCHBAY_HOME: home,
      PATCHBAY_KEYCHAIN_SERVICE: `PatchbayTest-${randomBytes(6).toString('hex')}`,
      PATCHBAY_SANDBOX_PORT: String(await freePort()),
    },
    authorizers: [createLoopbackAuthorizer({ openUrl: () => undefined })],
  });
  await core.saveProvider({
    id: 'acme',
    name: 'Acme',
    auth: 'apiKey',
    apiKeyHeader: 'X-Key',
    testUrl: `${base}/me`,
    labelPath: 'name',
  });
  await core.connect({ providerId: 'acme', apiKey: 'key-123' });
  host = await startWebHost({ core, staticDir, port: 0, version: 'test', health: { intervalMs: INTERVAL_MS } });
  listen(host);
  await until(() => host.events.size > 0);
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  await new Promise<void>((resolve) => provider?.close(() => resolve()));
  await rm(home, { recursive: true, force: true });
});

describe('health checks on the web host', () => {
  it('finds a connection that broke while the host runs, announces it once, and its recovery once', async () => {
    const [connection] = await core.listConnections();
    accepts = false;
    const before = probes;
    await until(() => alerts().length >= 1);
    expect(alerts()).toEqual([
      expect.objectContaining({
        connectionId: connection!.id,
        kind: 'needs_attention',
        title: 'Acme at Acme needs you',
      }),
    ]);
    expect((await core.listConnections())[0]).toMatchObject({ status: 'needs_reconnect' });
    // Three more rounds find it still broken: still one notification.
    const seen = probes;
    await until(() => probes >= seen + 3);
    expect(probes - before).toBeGreaterThanOrEqual(4);
    expect(alerts()).toHaveLength(1);

    accepts = true;
    await until(() => alerts().length >= 2);
    expect(alerts()[1]).toMatchObject({
      connectionId: connection!.id,
      kind: 'recovered',
      title: 'Acme at Acme works again',
    });
    const settled = probes;
    await until(() => probes >= settled + 2);
    expect(alerts()).toHaveLength(2);
    expect((await core.listConnections())[0]?.lastVerifiedAt).toBeDefined();
  });

  it('"Check all now" over the bridge checks at once and answers with the round', async () => {
    const before = probes;
    const reply = await fetch(`${host.origin}/api/invoke/health:checkNow`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Patchbay-Key': host.key, Origin: host.origin },
      body: '[]',
    });
    const result = (await reply.json()) as { ok: true; value: HealthStatus };
    expect(result.ok).toBe(true);
    expect(result.value).toMatchObject({ intervalMs: INTERVAL_MS, checking: false, settingProblem: null });
    expect(Date.parse(result.value.lastRunAt!)).toBeGreaterThan(Date.now() - 5_000);
    expect(probes).toBeGreaterThan(before);
    expect(events.some((e) => e.event === 'health:status' && (e.data as HealthStatus).checking)).toBe(true);
  });
});
