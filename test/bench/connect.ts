/**
 * connect_overhead_ratio: a full `connect` through the core ÷ a bare fetch-based flow doing the
 * same HTTP exchanges and the same durable work, both against the same local provider server.
 *
 * Both flows do: read the client secret from the keychain (overlapped with starting the one-shot
 * 127.0.0.1 callback listener), GET the authorization URL (302 to the loopback callback), GET the
 * callback, POST the code with PKCE and client_secret_post, GET the provider's "who am I" URL,
 * write the token set to the real keychain, and write the connection record to a settings file
 * on disk once, atomically and fsynced (temporary file, fsync, rename — what conf does for the
 * core). Both also do the two other writes a connect's guarantees need on disk: a pending note
 * before the keychain write, removed once the record is saved (so a crash in between is cleaned up
 * on the next start), and the flow's trace as one new file (so support can read what happened).
 * The core adds what makes it an engine (state/iss/PKCE checks via oauth4webapi, the settings lock
 * and schema checks, redaction of the trace, labels); the ratio is the price of that engine, not
 * of the disk or the keychain, which both flows pay alike. Rounds alternate which flow runs first; medians
 * are reported.
 *
 * Both run in one process, so the provider server's work and the keychain's growth weigh on both
 * alike. CPU time per flow is logged next to the wall clock: on a busy machine the wall-clock
 * ratio swings widely, the CPU figures much less. `provider.counts` proves both flows really
 * exchanged a code every round; the bare settings file proves it was written every round.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import keytar from 'keytar';
import { createCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { openSettings } from '../../main/core/storage/settings';
import { clientSecretAccount, createKeytarVault } from '../../main/core/storage/vault';
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

/**
 * The durable settings write the core makes once per connect (conf's atomic write): the whole
 * document to a temporary file, fsync, rename over the old one.
 */
function writeSettingsDurably(file: string, document: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, JSON.stringify(document, null, '\t'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** A small file written whole: a temporary file renamed into place (no fsync, as the core's notes and traces). */
function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** What the bare flow keeps on disk: its connection records, pending notes and traces. */
interface BareStore {
  file: string;
  pendingDir: string;
  traceDir: string;
  connections: Array<Record<string, unknown>>;
}

/** The bare flow: the same exchanges in plain fetch, the same keychain read and write, one durable settings write. */
async function bareConnect(base: string, service: string, round: number, store: BareStore): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  let received: (u: URL) => void = () => undefined;
  const callback = new Promise<URL>((resolve) => (received = resolve));
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Done</p>');
    received(new URL(req.url ?? '/', 'http://127.0.0.1'));
  });
  const [clientSecret] = await Promise.all([
    keytar.getPassword(service, clientSecretAccount('bench')),
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())),
  ]);
  if (clientSecret !== SECRET) throw new Error('the bare flow could not read the client secret from the keychain');
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const url = new URL(`${base}/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'bench-client',
      redirect_uri: redirectUri,
      scope: 'read',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    await browse(url);
    const back = await callback;
    if (back.searchParams.get('state') !== state) throw new Error('state mismatch in the bare flow');
    const tokenRes = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: 'bench-client',
        client_secret: clientSecret,
      }),
    });
    const tokens = (await tokenRes.json()) as { access_token: string; expires_in?: number; scope?: string };
    const me = await fetch(`${base}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' },
    });
    const who = (await me.json()) as { name?: string };
    const id = `bare-${round}`;
    const note = path.join(store.pendingDir, `${id}.json`);
    writeFileAtomically(note, JSON.stringify({ id, providerId: 'bench', pid: process.pid }));
    await keytar.setPassword(service, `bare:${round}`, JSON.stringify(tokens));
    const now = new Date();
    store.connections.push({
      id,
      providerId: 'bench',
      auth: 'oauth2',
      label: who.name ?? 'Bench',
      scopes: (tokens.scope ?? 'read').split(' '),
      expiresAt: new Date(now.getTime() + (tokens.expires_in ?? 3600) * 1000).toISOString(),
      createdAt: now.toISOString(),
      state: 'ok',
      hasRefreshToken: true,
      lastTest: null,
      lastError: null,
    });
    writeSettingsDurably(store.file, { schemaVersion: 1, connections: store.connections });
    fs.rmSync(note, { force: true });
    const steps = ['authorize', 'callback', 'token_exchange', 'who_am_i', 'keychain_write', 'settings_write'];
    writeFileAtomically(
      path.join(store.traceDir, `${id}.json`),
      JSON.stringify({ entries: steps.map((step) => ({ at: new Date().toISOString(), step, ok: true })) }),
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export interface ConnectResult {
  ratio: number;
  coreMs: number;
  bareMs: number;
  rounds: number;
  /** Median CPU time of this process per flow (user + system), for reading a noisy run. */
  coreCpuMs: number;
  bareCpuMs: number;
}

/** Measure `rounds` pairs (after 2 warm-up pairs) and return the ratio of medians. */
export async function measureConnect(rounds = 25): Promise<ConnectResult> {
  const provider = await startOAuthServer({ clientId: 'bench-client', clientSecret: SECRET });
  const box = await benchHome('connect');
  const core = createCore({
    home: box.home,
    keychainService: box.service,
    settings: openSettings({ home: box.home }),
    vault: createKeytarVault(box.service),
    authorizers: [createLoopbackAuthorizer({ openUrl: browse })],
  });
  try {
    await core.saveProvider({
      id: 'bench',
      name: 'Bench',
      authorizationUrl: `${provider.base}/authorize`,
      tokenUrl: `${provider.base}/token`,
      testUrl: `${provider.base}/me`,
      labelPath: 'name',
      scopes: ['read'],
    });
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
    const timeCore = () =>
      timed(async () => {
        const view = await core.connect({ providerId: 'bench', allowSameAccount: true });
        if (view.status !== 'connected') throw new Error(`core connect ended ${view.status}`);
      });
    const store: BareStore = {
      file: path.join(box.home, 'bare-settings.json'),
      pendingDir: path.join(box.home, 'bare-pending'),
      traceDir: path.join(box.home, 'bare-traces'),
      connections: [],
    };
    fs.mkdirSync(store.pendingDir, { recursive: true });
    fs.mkdirSync(store.traceDir, { recursive: true });
    const timeBare = (i: number) => timed(() => bareConnect(provider.base, box.service, i, store));
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
    if (provider.counts.code !== 2 * (rounds + 2))
      throw new Error(`expected ${2 * (rounds + 2)} code exchanges, saw ${provider.counts.code}`);
    const onDisk = JSON.parse(fs.readFileSync(store.file, 'utf8')) as { connections: unknown[] };
    if (onDisk.connections.length !== rounds + 2)
      throw new Error(`the bare flow saved ${onDisk.connections.length} records, expected ${rounds + 2}`);
    if (fs.readdirSync(store.traceDir).length !== rounds + 2 || fs.readdirSync(store.pendingDir).length !== 0)
      throw new Error('the bare flow did not write one trace and clear its pending note every round');
    const coreMs = median(coreTimes);
    const bareMs = median(bareTimes);
    const coreCpuMs = median(coreCpu);
    const bareCpuMs = median(bareCpu);
    log(
      `  connect: core median ${coreMs.toFixed(1)} ms, bare median ${bareMs.toFixed(1)} ms over ${rounds} rounds (CPU ${coreCpuMs.toFixed(1)} / ${bareCpuMs.toFixed(1)} ms)`,
    );
    return { ratio: coreMs / bareMs, coreMs, bareMs, rounds, coreCpuMs, bareCpuMs };
  } finally {
    await core.close();
    await provider.close();
    await box.cleanup();
  }
}

if (process.argv[1] === import.meta.filename) {
  // This section alone, e.g. several times in a row to read its spread on a busy machine.
  const rounds = Number(process.env.PATCHBAY_BENCH_ROUNDS ?? 25);
  process.stdout.write(`${JSON.stringify(await measureConnect(rounds))}\n`);
}
