/**
 * check_1000_ratio and check_429_requests_during_retry_after.
 *
 * `patchbay check --json` (the built CLI, a real process) over 1,000 API-key connections to one
 * local host that answers in 20 ms, against the ideal at the same concurrency: a bare loop of 4
 * concurrent fetch workers making the same 1,000 calls to the same server in the same run
 * (≈ 1,000 × 20 ms ÷ 4). The connections are seeded straight into a temp profile: the provider
 * and records in one settings write, the 1,000 keys in the real keyring (timed and reported).
 * Then a host that answers its first wave 429 with Retry-After: 2 s counts the requests it gets
 * inside that window.
 *
 * Runs inside `npm run bench`, or alone: `test/with-keyring.sh node --import tsx test/bench/check.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import type { ConnectionRecord } from '../../main/core/model/types';
import { CLI, NODE, benchHome, log, timedRun } from './util';

const CONCURRENCY = 4;
const LATENCY_MS = 20;

export interface CheckBenchResult {
  ratio: number;
  checkMs: number;
  bareMs: number;
  idealMs: number;
  peakInFlight: number;
  seedKeychainMs: number;
  requestsInWindow: number;
  windowChecks: number;
}

interface Host {
  base: string;
  server: Server;
  hits: number[];
  inFlight: number;
  peak: number;
  /** Answer to a request (after the latency); null holds nothing back. */
  answer: (n: number) => Promise<{ status: number; headers?: Record<string, string> }>;
}

async function startHost(): Promise<Host> {
  const host: Host = {
    base: '',
    server: createServer(),
    hits: [],
    inFlight: 0,
    peak: 0,
    answer: async () => ({ status: 200 }),
  };
  host.server.on('request', (req, res) => {
    const n = host.hits.push(Date.now()) - 1;
    host.inFlight += 1;
    host.peak = Math.max(host.peak, host.inFlight);
    void host.answer(n).then(async (answer) => {
      await new Promise((r) => setTimeout(r, LATENCY_MS));
      host.inFlight -= 1;
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(JSON.stringify({ name: `Account ${n}` }));
    });
  });
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve));
  host.base = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
  return host;
}

/** A provider on `host` and `count` API-key connections to it; returns the keyring write time. */
async function seed(home: string, service: string, host: Host, count: number): Promise<number> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `bench-${i.toString(16).padStart(8, '0')}`);
  const records: ConnectionRecord[] = ids.map((id, i) => ({
    id,
    providerId: 'bench-check',
    auth: 'apiKey',
    label: `Account ${i}`,
    scopes: [],
    expiresAt: null,
    createdAt: now,
    state: 'ok',
    hasRefreshToken: false,
    lastTest: null,
    lastError: null,
  }));
  await openSettings({ home }).update((data) => {
    data.providers.push({
      id: 'bench-check',
      name: 'Bench Check',
      auth: 'apiKey',
      apiKeyHeader: 'Authorization',
      apiKeyPrefix: 'Token ',
      testUrl: `${host.base}/me`,
      labelPath: 'name',
    });
    data.connections.push(...records);
  });
  const vault = createKeytarVault(service);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < ids.length; i = next++)
        await vault.setConnectionSecret(ids[i]!, { kind: 'apiKey', apiKey: `bench-key-${i}-4f1c9e` }, { isNew: true });
    }),
  );
  return performance.now() - started;
}

/** The ideal: `count` calls to the host by `concurrency` workers, nothing else. */
async function bareLoop(host: Host, count: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const res = await fetch(`${host.base}/me`, { headers: { authorization: `Token bench-key-${i}` } });
        await res.arrayBuffer();
      }
    }),
  );
  return performance.now() - started;
}

async function measureRatio(): Promise<
  Pick<CheckBenchResult, 'ratio' | 'checkMs' | 'bareMs' | 'idealMs' | 'peakInFlight' | 'seedKeychainMs'>
> {
  const host = await startHost();
  const box = await benchHome('check');
  try {
    log('  seeding 1,000 connections (one settings write, 1,000 keyring writes)…');
    const seedKeychainMs = await seed(box.home, box.service, host, 1000);
    log(`  keyring writes took ${(seedKeychainMs / 1000).toFixed(1)} s`);
    const bareMs = await bareLoop(host, 1000, CONCURRENCY);
    host.hits = [];
    host.peak = 0;
    const run = await timedRun(NODE, [CLI, 'check', '--json'], box.env);
    const results = JSON.parse(run.stdout || '[]') as Array<{ status: string }>;
    const ok = results.filter((r) => r.status === 'ok').length;
    if (run.code !== 0 || ok !== 1000)
      throw new Error(`check: exit ${run.code}, ${ok} of ${results.length} ok: ${run.stderr.slice(0, 500)}`);
    return {
      ratio: run.ms / bareMs,
      checkMs: run.ms,
      bareMs,
      idealMs: (1000 * LATENCY_MS) / CONCURRENCY,
      peakInFlight: host.peak,
      seedKeychainMs,
    };
  } finally {
    await box.cleanup();
    await new Promise((r) => host.server.close(r));
  }
}

/** 20 connections; the first wave of 4 is held until complete, then answered 429 "Retry-After: 2". */
async function measureRetryAfter(): Promise<Pick<CheckBenchResult, 'requestsInWindow' | 'windowChecks'>> {
  const host = await startHost();
  const box = await benchHome('check429');
  try {
    await seed(box.home, box.service, host, 20);
    const wave: Array<() => void> = [];
    let windowEnd = 0;
    host.answer = async (n) => {
      if (n >= CONCURRENCY) return { status: 200 };
      const released = new Promise<void>((resolve) => wave.push(resolve));
      if (wave.length === CONCURRENCY) {
        windowEnd = Date.now() + 2000;
        for (const release of wave) release();
      }
      await released;
      return { status: 429, headers: { 'retry-after': '2' } };
    };
    const run = await timedRun(NODE, [CLI, 'check', '--json'], box.env);
    const ok = (JSON.parse(run.stdout || '[]') as Array<{ status: string }>).filter((r) => r.status === 'ok').length;
    if (run.code !== 0 || ok !== 20) throw new Error(`check (429): exit ${run.code}, ${ok} of 20 ok: ${run.stderr}`);
    // The wave's own requests arrived before the 429s were sent; everything after them counts.
    return { requestsInWindow: host.hits.slice(CONCURRENCY).filter((at) => at < windowEnd).length, windowChecks: 20 };
  } finally {
    await box.cleanup();
    await new Promise((r) => host.server.close(r));
  }
}

export async function measureCheck(): Promise<CheckBenchResult> {
  const ratio = await measureRatio();
  const window = await measureRetryAfter();
  return { ...ratio, ...window };
}

if (process.argv[1] === import.meta.filename) {
  const result = await measureCheck();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
