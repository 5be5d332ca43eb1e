/**
 * request_overhead_ratio and exec_overhead_ms: the cost of using a connection from a script.
 *
 * `patchbay request <conn> /me` (the built CLI on Node 22) and `curl` with the same token hit the
 * same local API server, interleaved so both see the same machine load; the ratio is of their
 * medians, and the target is relative too (1.5 × curl + 80 ms). `patchbay exec <conn> -- true` is
 * measured against `node -e 0` the same way: its overhead is one keychain read and a spawn, no
 * refresh (the token is valid for an hour). A bare Node script that only reads the keychain entry
 * and sends the GET (request-floor.mjs) is timed in the same rounds: the least any Node program
 * pays for the same request on this machine, to read the request figure against. When curl is not installed, the request figure is
 * reported as missing with the fix, and the rest of the bench still runs.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { connectionAccount } from '../../main/core/storage/vault';
import { CLI, NODE, benchHome, log, median, seedUsableConnection, timedRun } from './util';

export interface UseResult {
  /** patchbay request ÷ curl (medians); null when curl is missing. */
  requestRatio: number | null;
  requestMs: number;
  curlMs: number | null;
  /** A bare Node script doing only the keychain read and the HTTP call (request-floor.mjs). */
  floorMs: number;
  execMs: number;
  baselineMs: number;
  execOverheadMs: number;
  rounds: number;
  curlMissing: boolean;
}

/** True when `curl` runs on this machine. */
export function hasCurl(): boolean {
  return spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function measureUse(rounds = 9): Promise<UseResult> {
  const box = await benchHome('use');
  const token = `bench-access-${Date.now().toString(36)}-0123456789abcdef`;
  const server = http.createServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${token}`;
    res
      .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      .end(ok ? '{"data":{"email":"bench@example.test"}}' : '{"error":"invalid_token"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const id = 'bench-0000beef';
    await seedUsableConnection(box, {
      id,
      providerId: 'bench',
      name: 'Bench',
      accessToken: token,
      base,
      testPath: '/me',
    });
    const requestArgs = [CLI, 'request', id, '/me'];
    const curlArgs = ['-s', '-f', '-H', `Authorization: Bearer ${token}`, `${base}/me`];
    const execArgs = [CLI, 'exec', id, '--', 'true'];
    const floorArgs = [
      path.join(import.meta.dirname, 'request-floor.mjs'),
      box.service,
      connectionAccount(id),
      `${base}/me`,
    ];
    const check = await timedRun(NODE, requestArgs, box.env);
    if (check.code !== 0 || !check.stdout.includes('bench@example.test'))
      throw new Error(`patchbay request failed (exit ${check.code}): ${check.stderr}`);
    const floorCheck = await timedRun(NODE, floorArgs, box.env);
    if (floorCheck.code !== 0 || !floorCheck.stdout.includes('bench@example.test'))
      throw new Error(`the Node floor script failed (exit ${floorCheck.code}): ${floorCheck.stderr}`);
    const execCheck = await timedRun(NODE, execArgs, box.env);
    if (execCheck.code !== 0) throw new Error(`patchbay exec failed (exit ${execCheck.code}): ${execCheck.stderr}`);
    const curlMissing = !hasCurl();
    if (curlMissing)
      log(
        '  curl is not installed, so request_overhead_ratio cannot be measured (install it: apt-get install -y curl).',
      );

    const requestTimes: number[] = [];
    const curlTimes: number[] = [];
    const execTimes: number[] = [];
    const baseTimes: number[] = [];
    const floorTimes: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      // Alternate the order within each pair so neither side always runs on a warmer machine.
      const pair = async (a: () => Promise<number>, b: () => Promise<number>): Promise<[number, number]> => {
        if (i % 2 === 0) {
          const x = await a();
          return [x, await b()];
        }
        const y = await b();
        return [await a(), y];
      };
      const [req, curl] = await pair(
        async () => (await timedRun(NODE, requestArgs, box.env)).ms,
        async () => (curlMissing ? Number.NaN : (await timedRun('curl', curlArgs, box.env)).ms),
      );
      requestTimes.push(req);
      if (!curlMissing) curlTimes.push(curl);
      const [exec, node] = await pair(
        async () => (await timedRun(NODE, execArgs, box.env)).ms,
        async () => (await timedRun(NODE, ['-e', '0'], box.env)).ms,
      );
      execTimes.push(exec);
      baseTimes.push(node);
      floorTimes.push((await timedRun(NODE, floorArgs, box.env)).ms);
    }
    const requestMs = median(requestTimes);
    const curlMs = curlMissing ? null : median(curlTimes);
    const execMs = median(execTimes);
    const baselineMs = median(baseTimes);
    const floorMs = median(floorTimes);
    const result: UseResult = {
      requestRatio: curlMs === null ? null : requestMs / curlMs,
      requestMs,
      curlMs,
      floorMs,
      execMs,
      baselineMs,
      execOverheadMs: execMs - baselineMs,
      rounds,
      curlMissing,
    };
    log(
      `  request: ${requestMs.toFixed(1)} ms vs curl ${curlMs === null ? 'missing' : `${curlMs.toFixed(1)} ms`} (bare Node keychain read + GET: ${floorMs.toFixed(1)} ms); exec -- true: ${execMs.toFixed(1)} ms vs node -e 0 ${baselineMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await box.cleanup();
  }
}
