/**
 * ensureSandbox: start one when the port is free, reuse a live one (even another process's),
 * survive two processes starting at once, and explain a port held by something else.
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../main/core/model/config';
import { PatchbayError } from '../../main/core/model/errors';
import { ensureSandbox, probeSandbox, stopEmbeddedSandboxes, tokenTtlFromEnv } from '../../main/sandbox/index';
import { freePort, tempHome } from '../helpers/ports';
import { firstLine, spawnTs, stopChild } from '../helpers/node-child';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await stopEmbeddedSandboxes();
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup() {
  const { home, cleanup } = await tempHome();
  cleanups.push(cleanup);
  const port = await freePort();
  const env = { ...process.env, PATCHBAY_HOME: home, PATCHBAY_SANDBOX_PORT: String(port) };
  return { home, port, env, config: resolveConfig(env) };
}

describe('ensureSandbox', () => {
  it('starts the Sandbox on the configured port when nothing answers there, then reuses it', async () => {
    const { port, config, env } = await setup();
    expect(await probeSandbox(config.sandboxIssuer)).toBe(false);
    const { issuer } = await ensureSandbox(config, env);
    expect(issuer).toBe(`http://127.0.0.1:${port}`);
    expect(await probeSandbox(issuer)).toBe(true);
    expect(await ensureSandbox(config, env)).toEqual({ issuer });
  });

  it('answers concurrent callers in one process with one Sandbox', async () => {
    const { config, env } = await setup();
    const results = await Promise.all([1, 2, 3].map(() => ensureSandbox(config, env)));
    expect(results).toEqual(Array(3).fill({ issuer: config.sandboxIssuer }));
    expect(await probeSandbox(config.sandboxIssuer)).toBe(true);
  });

  it('reuses a Sandbox another process runs instead of starting a second one', async () => {
    const { config, env } = await setup();
    const child = spawnTs('test/helpers/sandbox-child.ts', [], env);
    cleanups.push(() => stopChild(child));
    const line = JSON.parse(await firstLine(child)) as { issuer: string };
    expect(line.issuer).toBe(config.sandboxIssuer);
    await expect(ensureSandbox(config, env)).resolves.toEqual({ issuer: config.sandboxIssuer });
    await stopChild(child);
    // The owner is gone: this process has to start its own, which proves it had not before.
    expect(await probeSandbox(config.sandboxIssuer)).toBe(false);
    await expect(ensureSandbox(config, env)).resolves.toEqual({ issuer: config.sandboxIssuer });
    expect(await probeSandbox(config.sandboxIssuer)).toBe(true);
  });

  it('lets two processes that start at the same moment share one Sandbox', async () => {
    const { config, env } = await setup();
    const children = [0, 1].map(() => spawnTs('test/helpers/sandbox-child.ts', [], env));
    for (const child of children) cleanups.push(() => stopChild(child));
    const lines = await Promise.all(children.map((child) => firstLine(child)));
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ issuer: config.sandboxIssuer });
  });

  it('says the port is taken (network) when something else answers on it', async () => {
    const { port, config, env } = await setup();
    const other = createServer((_req, res) => res.end('not a sandbox'));
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => other.close(() => resolve())));
    const error = await ensureSandbox(config, env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatchbayError);
    expect((error as PatchbayError).code).toBe('network');
    expect((error as PatchbayError).message).toContain(`Port ${port}`);
    expect((error as PatchbayError).message).toContain('PATCHBAY_SANDBOX_PORT');
  });

  it('reads the token lifetime from PATCHBAY_SANDBOX_TOKEN_TTL and rejects nonsense', () => {
    expect(tokenTtlFromEnv({})).toBe(3600);
    expect(tokenTtlFromEnv({ PATCHBAY_SANDBOX_TOKEN_TTL: '5' })).toBe(5);
    expect(() => tokenTtlFromEnv({ PATCHBAY_SANDBOX_TOKEN_TTL: 'soon' })).toThrow(/whole number of seconds/);
    expect(() => tokenTtlFromEnv({ PATCHBAY_SANDBOX_TOKEN_TTL: '0' })).toThrow(PatchbayError);
  });
});
