/**
 * `patchbay connect` without a browser here, as real CLI processes with the real keyring: the
 * device code grant (the `device_code` JSON event, the human sentences, --timeout, hostile
 * answers refused) and client credentials (connect, test, request, token, disconnect, and a
 * wrong client secret). Each command is its own process; the Sandbox's state outlives them.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliEnv, cliEnv, collect, firstJsonLine, jsonLines, runCli, spawnCli } from '../helpers/cli';
import { completeSandboxDevice } from '../helpers/sandbox-device';
import { resolveConfig } from '../../main/core/model/config';
import { ensureSandbox, stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { SANDBOX_MACHINE_CLIENT_SECRET } from '../../main/sandbox/provider-config';
import { deviceProvider, startDeviceServer, type DeviceServer } from './providers/device-server';

const envs: CliEnv[] = [];
let server: DeviceServer | null = null;
afterEach(async () => {
  await stopEmbeddedSandboxes();
  await server?.close();
  server = null;
  while (envs.length > 0) await envs.pop()?.cleanup();
});

async function setup(): Promise<CliEnv> {
  const env = await cliEnv();
  envs.push(env);
  return env;
}

describe('patchbay connect --device', { timeout: 120_000 }, () => {
  it('prints the device_code event first, then connects once the code is entered on the Sandbox', async () => {
    const { env } = await setup();
    const child = spawnCli(['connect', 'sandbox', '--device', '--json'], env);
    child.stdin.end();
    const done = collect(child);
    const first = await firstJsonLine(child);
    expect(Object.keys(first)).toEqual([
      'event',
      'verificationUri',
      'verificationUriComplete',
      'userCode',
      'expiresIn',
    ]);
    expect(first).toMatchObject({
      event: 'device_code',
      verificationUri: `http://127.0.0.1:${env.PATCHBAY_SANDBOX_PORT}/device`,
      expiresIn: 600,
    });
    expect(String(first.verificationUriComplete)).toBe(
      `${String(first.verificationUri)}?user_code=${String(first.userCode)}`,
    );
    const page = await completeSandboxDevice(String(first.verificationUri), String(first.userCode), {
      accountName: 'Grace',
    });
    expect(page).toMatch(/Device connected/);
    const result = await done;
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['device_code', 'connected']);
    expect(events[1]?.connection).toMatchObject({ providerId: 'sandbox', label: 'Grace', status: 'connected' });
    const test = await runCli(['test', 'sandbox', '--json'], env);
    expect(JSON.parse(test.stdout)).toMatchObject({ ok: true });
  });

  it('says where to go and which code to enter, in plain words, for a grant "device_code" provider', async () => {
    const { env } = await setup();
    const child = spawnCli(['connect', 'sandbox-device'], env);
    child.stdin.end();
    const done = collect(child);
    let stdout = '';
    const shown = await new Promise<{ uri: string; code: string }>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /open this address on any device[^\n]*\n {2}(\S+)\nand enter this code:\n {2}(\S+)\n/.exec(
          stdout,
        );
        if (match) resolve({ uri: match[1]!, code: match[2]! });
      });
    });
    expect(shown.code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(stdout).toMatch(/The code works for 10 minutes\./);
    await completeSandboxDevice(shown.uri, shown.code);
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Connected as Acme \(sandbox-device\)/);
    expect(result.stderr).toMatch(/Waiting for the code to be entered\. Press Ctrl\+C to cancel\./);
  });

  it('--timeout ends a device sign-in nobody finishes with the documented error event', async () => {
    const { env } = await setup();
    // Started here first, so the second of --timeout is spent waiting for the code, not starting it.
    await ensureSandbox(resolveConfig(env), env);
    const result = await runCli(['connect', 'sandbox-device', '--timeout', '1', '--json'], env);
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['device_code', 'error']);
    expect(events[1]).toMatchObject({ code: 'timeout' });
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual([]);
  });

  it('refuses a javascript: verification address: no device_code event, an error naming the cause', async () => {
    const { env, home } = await setup();
    server = await startDeviceServer({ authorization: { verification_uri: 'javascript:alert(document.cookie)' } });
    const file = path.join(home, 'tv.json');
    await writeFile(file, JSON.stringify(deviceProvider(server.base)));
    expect((await runCli(['providers', 'import', file], env)).code).toBe(0);
    expect((await runCli(['credentials', 'set', 'tv', '--client-id', 'tv-client'], env)).code).toBe(0);
    const result = await runCli(['connect', 'tv', '--json'], env);
    expect(result.code).toBe(1);
    const events = jsonLines(result.stdout);
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(events[0]).toMatchObject({ code: 'provider_error' });
    expect(String(events[0]?.message)).toMatch(/verification address is not an https:\/\/ address/);
    expect(result.stdout).not.toContain('javascript:');
    expect(server.polls).toEqual([]);
  });

  it('--device on an API-key provider is a usage error (exit 2)', async () => {
    const { env } = await setup();
    const result = await runCli(['connect', 'landbot', '--device'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Leave out --device/);
  });
});

describe('patchbay connect for a client-credentials provider', { timeout: 120_000 }, () => {
  it('connects with the saved client ID and secret, and works like any connection', async () => {
    const { env } = await setup();
    const set = await runCli(
      ['credentials', 'set', 'sandbox-machine', '--client-id', 'patchbay-machine', '--client-secret-stdin'],
      env,
      SANDBOX_MACHINE_CLIENT_SECRET,
    );
    expect(set.code).toBe(0);
    expect(set.stdout).not.toMatch(/redirect URI/);
    const connect = await runCli(['connect', 'sandbox-machine', '--json'], env);
    expect(connect.code).toBe(0);
    const events = jsonLines(connect.stdout);
    expect(events.map((e) => e.event)).toEqual(['connected']);
    expect(events[0]?.connection).toMatchObject({ label: 'patchbay-machine', status: 'connected' });
    expect(JSON.parse((await runCli(['test', 'sandbox-machine', '--json'], env)).stdout)).toMatchObject({ ok: true });
    const request = await runCli(['request', 'sandbox-machine', '/machine/me'], env);
    expect(JSON.parse(request.stdout)).toMatchObject({ client_id: 'patchbay-machine' });
    const token = await runCli(['token', 'sandbox-machine'], env);
    expect(token.code).toBe(0);
    expect(token.stdout.trim().length).toBeGreaterThan(20);
    const refreshed = await runCli(['refresh', 'sandbox-machine', '--json'], env);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({ refreshed: true });
    const after = await runCli(['token', 'sandbox-machine'], env);
    expect(after.stdout.trim()).not.toBe(token.stdout.trim());
    expect((await runCli(['disconnect', 'sandbox-machine'], env)).code).toBe(0);
    expect(JSON.parse((await runCli(['status', '--json'], env)).stdout)).toEqual([]);
  });

  it('a wrong client secret is a plain error that names the client secret', async () => {
    const { env } = await setup();
    await runCli(
      ['credentials', 'set', 'sandbox-machine', '--client-id', 'patchbay-machine', '--client-secret-stdin'],
      env,
      'wrong-secret',
    );
    const result = await runCli(['connect', 'sandbox-machine'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Sandbox \(machine\) did not accept the client ID and client secret, so no token was issued\. The client secret \(or the client ID\) is wrong: Run "patchbay credentials set sandbox-machine/,
    );
    expect(result.stderr).not.toContain('wrong-secret');
  });
});
