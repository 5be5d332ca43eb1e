/**
 * The built-in Sandbox provider: find a running one or start one in this process.
 *
 * Every host calls `ensureSandbox` before talking to the Sandbox. Its port is stable
 * (PATCHBAY_SANDBOX_PORT, default 47615) and its state is on disk, so whichever process happens
 * to run it, a connection made earlier keeps working. Two processes starting at once is
 * expected (the CLI in a script loop): the loser of the race reuses the winner.
 */
import { PatchbayError } from '../core/model/errors';
import type { PatchbayConfig } from '../core/model/config';
import { DEFAULT_TOKEN_TTL_SECONDS, SANDBOX_MARKER } from './provider-config';
import type { SandboxServer, SandboxServerOptions } from './server';

export type { SandboxServer, SandboxServerOptions } from './server';
export { SANDBOX_CLIENT_ID, SANDBOX_REDIRECT_URIS } from './provider-config';

/**
 * Start a Sandbox server (see server.ts).
 *
 * Loaded on first use: oidc-provider and its dependencies are only worth loading in the process
 * that actually runs the Sandbox, not in every CLI command that imports the core.
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const server = await import('./server');
  return server.startSandboxServer(options);
}

const PROBE_TIMEOUT_MS = 1_500;
const RACE_WAIT_MS = 5_000;

/** Sandboxes this process started (to stop them), and ensure calls in flight per issuer. */
const started: SandboxServer[] = [];
const ensuring = new Map<string, Promise<void>>();

/** True when `issuer` answers discovery as a Patchbay Sandbox with that exact issuer. */
export async function probeSandbox(issuer: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      redirect: 'manual',
    });
    if (!response.ok) return false;
    const body = (await response.json()) as Record<string, unknown>;
    return body.issuer === issuer && body[SANDBOX_MARKER] === true;
  } catch {
    return false;
  }
}

/** Access-token lifetime from PATCHBAY_SANDBOX_TOKEN_TTL (seconds), default one hour. */
export function tokenTtlFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.PATCHBAY_SANDBOX_TOKEN_TTL?.trim();
  if (!raw) return DEFAULT_TOKEN_TTL_SECONDS;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1) {
    throw new PatchbayError(
      'invalid_input',
      `PATCHBAY_SANDBOX_TOKEN_TTL is "${raw}". Set it to a whole number of seconds (1 or more), or remove it to use ${DEFAULT_TOKEN_TTL_SECONDS}.`,
      { field: 'PATCHBAY_SANDBOX_TOKEN_TTL' },
    );
  }
  return value;
}

function portTaken(port: number): PatchbayError {
  return new PatchbayError(
    'network',
    `Port ${port} on this computer is used by another program, so the Sandbox cannot start. Close that program, or set PATCHBAY_SANDBOX_PORT to a free port.`,
  );
}

async function waitForOther(issuer: string): Promise<boolean> {
  const deadline = Date.now() + RACE_WAIT_MS;
  while (Date.now() < deadline) {
    if (await probeSandbox(issuer)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * Make sure a Patchbay Sandbox answers at `config.sandboxIssuer`.
 *
 * Reuses a live one (this process's or another's); otherwise starts one here. A Sandbox started
 * here does not keep the process alive by itself (`unref`): the CLI exits when its command is
 * done and the next command starts its own on the same state.
 */
export async function ensureSandbox(
  config: PatchbayConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<{ issuer: string }> {
  const issuer = config.sandboxIssuer;
  // Concurrent callers in this process share one probe-or-start; a live result is remembered
  // only for Sandboxes started here (another process's may stop at any time).
  let pending = ensuring.get(issuer);
  if (!pending) {
    pending = probeOrStart(config, env);
    ensuring.set(issuer, pending);
    pending.then(
      () => {
        if (!started.some((s) => s.issuer === issuer)) ensuring.delete(issuer);
      },
      () => ensuring.delete(issuer),
    );
  }
  await pending;
  return { issuer };
}

async function probeOrStart(config: PatchbayConfig, env: Record<string, string | undefined>): Promise<void> {
  const issuer = config.sandboxIssuer;
  if (await probeSandbox(issuer)) return;
  try {
    const server = await startSandboxServer({
      home: config.home,
      port: config.sandboxPort,
      tokenTtlSeconds: tokenTtlFromEnv(env),
    });
    server.server.unref();
    started.push(server);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      if (await waitForOther(issuer)) return;
      throw portTaken(config.sandboxPort);
    }
    if (error instanceof PatchbayError) throw error;
    throw new PatchbayError('internal', 'The Sandbox could not start. Copy the diagnostics and send them to support.', {
      cause: error,
    });
  }
}

/** Stop every Sandbox this process started (tests and graceful shutdown). */
export async function stopEmbeddedSandboxes(): Promise<void> {
  const all = started.splice(0);
  ensuring.clear();
  await Promise.all(all.map((server) => server.close()));
}
