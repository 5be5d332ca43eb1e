/**
 * Single-flight across processes: several real `node --import tsx` processes use one expired
 * connection at the same moment; the provider sees exactly one refresh and all of them succeed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSecret } from '../../main/core/model/types';
import { makeHarness, type Harness } from './providers/harness';
import { acmeInHarness } from './providers/acme';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHILD = path.join(ROOT, 'test/integration/providers/refresh-child.ts');

let harness: Harness | null = null;
let server: OAuthServer | null = null;
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await harness?.cleanup();
  await server?.close();
  harness = null;
  server = null;
});

/** Lines a child prints, as an async queue. */
function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  let buffer = '';
  let stderr = '';
  const waiting: Array<(line: string) => void> = [];
  const ready: string[] = [];
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    buffer += c.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else ready.push(line);
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      const next = ready.shift();
      if (next !== undefined) return resolve(next);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
    });
}

async function runChildren(op: 'test' | 'refresh', count: number, id: string, env: Record<string, string>) {
  const readers = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, op, id], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    children.push(child);
    return { child, next: lineReader(child) };
  });
  for (const r of readers) expect(await r.next()).toBe('ready');
  for (const r of readers) r.child.stdin.write('go\n');
  return Promise.all(
    readers.map(async (r) => JSON.parse(await r.next()) as { ok: boolean; error: unknown; status?: string }),
  );
}

async function expiredConnection() {
  server = await startOAuthServer({
    clientId: 'acme-client',
    clientSecret: 'acme-secret-77',
    expiresIn: 30,
    rotateRefresh: true,
    refreshDelayMs: 300,
  });
  harness = await makeHarness();
  await acmeInHarness(harness, server, 'acme-secret-77');
  const view = await harness.core.connect({ providerId: 'acme' });
  return view.id;
}

describe('cross-process single-flight refresh', () => {
  it('five processes testing one expiring connection at once cause exactly one refresh', async () => {
    const id = await expiredConnection();
    const before = (await harness!.vault.getConnectionSecret(id)) as Extract<ConnectionSecret, { kind: 'oauth2' }>;
    const results = await runChildren('test', 5, id, harness!.env);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(server!.counts.refresh).toBe(1);
    const after = (await harness!.vault.getConnectionSecret(id)) as Extract<ConnectionSecret, { kind: 'oauth2' }>;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(server!.refreshTokens.has(after.refreshToken!)).toBe(true);
    // Every process appended its steps to the one trace (connect's test call + one per process).
    const calls = (await harness!.core.trace(id)).entries.filter((e) => e.step === 'test_call');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(await harness!.core.trace(id))).not.toContain(after.accessToken);
  });

  it('five processes asking to refresh one connection at once cause exactly one refresh', async () => {
    const id = await expiredConnection();
    const results = await runChildren('refresh', 5, id, harness!.env);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(server!.counts.refresh).toBe(1);
    const [view] = await harness!.core.listConnections();
    expect(view?.status).not.toBe('needs_reconnect');
    expect(view?.lastError).toBeNull();
  });
});
