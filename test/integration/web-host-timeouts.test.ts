/**
 * The web host bounds how long anyone on the machine can keep a socket open without a key:
 * a request body trickled one byte at a time, or headers that never end, are cut off.
 *
 * Raw TCP sockets play the slow client; the host runs in this process on 127.0.0.1 with short
 * limits so the test is quick, and the defaults are checked to be finite and short as well.
 */
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../main/web/web-host';
import { makeHarness } from './providers/harness';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function host(limits: Record<string, number>): Promise<WebHost> {
  const harness = await makeHarness();
  cleanups.push(() => harness.cleanup());
  const staticDir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-static-'));
  cleanups.push(() => rm(staticDir, { recursive: true, force: true }));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const web = await startWebHost({ core: harness.core, staticDir, port: 0, version: 'test', ...limits });
  cleanups.push(() => web.close());
  return web;
}

/** Open a socket, send `head`, then one byte every 200 ms; resolves with how long the host kept it open. */
function trickle(port: number, head: string, drip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(drip);
    }, 200);
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the host kept the slow socket open for 20 s'));
    }, 20_000);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve(Date.now() - started);
    });
  });
}

describe('web host: slow unauthenticated clients are cut off', () => {
  it('a request body trickled byte by byte is cut off after the request timeout', { timeout: 60_000 }, async () => {
    const web = await host({ requestTimeoutMs: 1_500, headersTimeoutMs: 1_000 });
    const head = `POST /api/invoke/app:info HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[`;
    const openMs = await trickle(web.port, head, ' ');
    expect(openMs).toBeLessThan(6_000);
  });

  it('headers that never end are cut off after the headers timeout', { timeout: 60_000 }, async () => {
    const web = await host({ requestTimeoutMs: 3_000, headersTimeoutMs: 1_000 });
    const openMs = await trickle(web.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nX-Slow: `, 'a');
    expect(openMs).toBeLessThan(6_000);
  });

  it(
    'the defaults are finite: at most 30 s for a whole request and 10 s for headers',
    { timeout: 60_000 },
    async () => {
      const web = await host({});
      expect(web.limits.requestTimeoutMs).toBeGreaterThan(0);
      expect(web.limits.requestTimeoutMs).toBeLessThanOrEqual(30_000);
      expect(web.limits.headersTimeoutMs).toBeGreaterThan(0);
      expect(web.limits.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    },
  );
});
