/**
 * connect_overhead_ratio: a full `connect` through the core ÷ a bare fetch-based flow doing the
 * same HTTP exchanges and one keytar write, both against the same local provider server.
 *
 * Both flows do: GET the authorization URL (302 to a loopback callback), GET the callback on a
 * one-shot 127.0.0.1 listener, POST the code with PKCE and client_secret_post, GET the provider's
 * "who am I" URL, and write the token set to the real keychain. The core adds what makes it a
 * product (state/iss/PKCE checks via oauth4webapi, trace, settings record under a lock, labels);
 * the ratio is the price of that. Rounds alternate which flow runs first; medians are reported.
 *
 * Fairness, checked: both flows make the same four HTTP exchanges against the same server (the
 * authorize redirect, the loopback callback, the token POST, the "who am I" GET) and write the
 * token set to the same keychain. What only the core does is its own cost and stays in the
 * ratio: reading the client secret from the keychain (overlapped with starting the loopback
 * listener), the settings record, the trace. (A new connection id has no stale keychain chunks,
 * so the core no longer probes for them after the write.) Both run in one process, so the provider server's work and
 * the keychain's growth weigh on both alike. CPU time per flow is logged next to the wall
 * clock: on a busy machine the wall-clock ratio swings widely, the CPU figures much less.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import keytar from 'keytar';
import { createCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import { startOAuthServer } from '../integration/providers/oauth-server';
import { benchHome, log, median } from './util';

const SECRET = 'bench-client-secret-1b2c3d';

/** The automated browser step: follow the provider's redirect to the loopback callback over HTTP. */
async function browse(authorizationUrl: URL): Promise<void> {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (!location) throw new Error(`authorize answered ${res.status} without a redirect`);
  const back = await fetch(new URL(location, authorizationUrl));
  await back.arrayBuffer();
}

/** The bare flow: the same exchanges in plain fetch, one keytar write, nothing else. */
async function bareConnect(base: string, service: string, round: number): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  let received: (u: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => (received = resolve));
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Done</p>');
    received(new URL(req.url ?? '/', 'http://127.0.0.1'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const url = new URL(`${base}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: 'bench-client', redirect_uri: redirectUri, scope: 'read', state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    }).toString();
    await browse(url);
    const back = await callback;
    if (back.searchParams.get('state') !== state) throw new Error('state mismatch in the bare flow');
    const tokenRes = await fetch(`${base}/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier, client_id: 'bench-client', client_secret: SECRET }),
    });
    const tokens = (await tokenRes.json()) as { access_token: string };
    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' } });
    await me.json();
    await keytar.setPassword(service, `bare:${round}`, JSON.stringify(tokens));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export interface ConnectResult {
  ratio: number; coreMs: number; bareMs: number; rounds: number;
  /** Median CPU time of this process per flow (user + system), for reading a noisy run. */
  coreCpuMs: number; bareCpuMs: number;
}

/** Measure `rounds` pairs (after 2 warm-up pairs) and return the ratio of medians. */
export async function measureConnect(rounds = 25): Promise<ConnectResult> {
  const provider = await startOAuthServer({ clientId: 'bench-client', clientSecret: SECRET });
  const box = await benchHome('connect');
  const core = createCore({
    home: box.home, keychainService: box.service, settings: openSettings({ home: box.home }), vault: createKeytarVault(box.service),
    authorizers: [createLoopbackAuthorizer({ openUrl: browse })],
  });
  try {
    await core.saveProvider({ id: 'bench', name: 'Bench', authorizationUrl: `${provider.base}/authorize`, tokenUrl: `${provider.base}/token`, testUrl: `${provider.base}/me`, labelPath: 'name', scopes: ['read'] });
    await core.setClientCredentials({ providerId: 'bench', clientId: 'bench-client', clientSecret: SECRET });
    const coreTimes: number[] = [];
    const bareTimes: number[] = [];
    const coreCpu: number[] = [];
    const bareCpu: number[] = [];
    const timed = async (run: () => Promise<void>): Promise<[number, number]> => {
      const cpu = process.cpuUsage();
      const t = performance.now();
      await run();
      const used = process.cpuUsage(cpu);
      return [performance.now() - t, (used.user + used.system) / 1000];
    };
    const timeCore = () => timed(async () => {
      const view = await core.connect({ providerId: 'bench' });
      if (view.status !== 'connected') throw new Error(`core connect ended ${view.status}`);
    });
    const timeBare = (i: number) => timed(() => bareConnect(provider.base, box.service, i));
    for (let i = 0; i < rounds + 2; i += 1) {
      const coreFirst = i % 2 === 0;
      const a = coreFirst ? await timeCore() : await timeBare(i);
      const b = coreFirst ? await timeBare(i) : await timeCore();
      if (i < 2) continue; // warm-up: module loading, first keychain session
      const [c, bare] = coreFirst ? [a, b] : [b, a];
      coreTimes.push(c[0]);
      coreCpu.push(c[1]);
      bareTimes.push(bare[0]);
      bareCpu.push(bare[1]);
    }
    if (provider.counts.code !== 2 * (rounds + 2)) throw new Error(`expected ${2 * (rounds + 2)} code exchanges, saw ${provider.counts.code}`);
    const coreMs = median(coreTimes);
    const bareMs = median(bareTimes);
    const coreCpuMs = median(coreCpu);
    const bareCpuMs = median(bareCpu);
    log(`  connect: core median ${coreMs.toFixed(1)} ms, bare median ${bareMs.toFixed(1)} ms over ${rounds} rounds (CPU ${coreCpuMs.toFixed(1)} / ${bareCpuMs.toFixed(1)} ms)`);
    return { ratio: coreMs / bareMs, coreMs, bareMs, rounds, coreCpuMs, bareCpuMs };
  } finally {
    await core.close();
    await provider.close();
    await box.cleanup();
  }
}
