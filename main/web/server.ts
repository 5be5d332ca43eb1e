/**
 * `npm run web`: start Patchbay in the browser.
 *
 * Wires the pure-Node core (settings, keychain, loopback sign-in) to the web host and prints the
 * one URL that can drive it. The sign-in page opens in a browser tab that the page itself opens
 * (the server has no window), so the loopback authorizer's openUrl does nothing here.
 */
import { fileURLToPath } from 'node:url';
import { version } from '../../package.json';
import { resolveConfig } from '../core/model/config';
import { healthIntervalFromEnv } from '../host/health-settings';
import { createWebCore } from './core-setup';
import { startWebHost } from './web-host';

/** PATCHBAY_WEB_PORT, default 47600; "0" asks for any free port. */
function preferredPort(env: NodeJS.ProcessEnv): number {
  const raw = env.PATCHBAY_WEB_PORT;
  if (raw === undefined || raw === '') return 47600;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PATCHBAY_WEB_PORT must be a port number (0-65535), not "${raw}".`);
  }
  return port;
}

async function main(): Promise<void> {
  const env = process.env;
  const config = resolveConfig(env);
  const { core, settings } = createWebCore(env, config);
  const healthIntervalMs = healthIntervalFromEnv(env);
  const host = await startWebHost({
    core,
    staticDir: fileURLToPath(new URL('../renderer/', import.meta.url)),
    port: preferredPort(env),
    version,
    settingsNotice: () => settings.notice,
    ...(healthIntervalMs === undefined ? {} : { health: { intervalMs: healthIntervalMs } }),
  });
  const wanted = preferredPort(env);
  if (wanted !== 0 && host.port !== wanted)
    console.log(`Port ${wanted} is busy, so Patchbay uses port ${host.port} instead.`);
  console.log(`Patchbay is running at ${host.url}`);
  console.log('Open that address in your browser. Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping Patchbay (${signal})…`);
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    await host.close().catch(() => undefined);
    await core.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Patchbay could not start: ${message}`);
  process.exit(1);
});
