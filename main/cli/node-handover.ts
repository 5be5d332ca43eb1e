/**
 * Run the CLI on Node 22 even when an older Node started it.
 *
 * Patchbay needs Node 22.12 or later (engines): conf, electron-store and the Sandbox's
 * oidc-provider are built for it, and oidc-provider prints an "Unsupported runtime" warning on
 * older ones. A checkout has Node 22 as the `node` devDependency (what `npm run patchbay` uses);
 * `node dist/node/patchbay.js` with a system Node 20 therefore hands the command over to that
 * Node 22, with the same arguments, streams and environment, instead of running on the old one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The oldest Node major version Patchbay runs on. */
export const MIN_NODE_MAJOR = 22;
/** Set in the handed-over process, so a misconfigured Node 22 can never hand over again. */
const HANDOVER_ENV = 'PATCHBAY_NODE_HANDOVER';

/** The project's own Node next to a checkout's entry file (dist/node/… or main/cli/…), if any. */
export function projectNode(entry: string): string | null {
  const candidate = path.resolve(
    path.dirname(entry),
    '..',
    '..',
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'node.cmd' : 'node',
  );
  return existsSync(candidate) ? candidate : null;
}

/**
 * On an old Node, run this command again on the project's Node 22 and resolve with its exit
 * code; on Node 22+ (or in the handed-over process) resolve null and let the caller run it.
 * Without a Node 22 to hand over to, one line on stderr says what to do and the command runs here.
 */
export async function handOverToSupportedNode(): Promise<number | null> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE_MAJOR || process.env[HANDOVER_ENV] === '1') return null;
  const entry = process.argv[1];
  const node = entry ? projectNode(entry) : null;
  if (!entry || !node) {
    process.stderr.write(
      `Patchbay needs Node.js ${MIN_NODE_MAJOR}.12 or later, and this is Node ${process.versions.node}. Install Node ${MIN_NODE_MAJOR}, or run "npm run patchbay -- …" in the Patchbay folder.\n`,
    );
    return null;
  }
  // Loaded only here: every command on Node 22 would otherwise pay for node:child_process.
  const { spawn } = await import('node:child_process');
  const child = spawn(node, [...process.execArgv, entry, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [HANDOVER_ENV]: '1' },
  });
  // Ctrl+C reaches the child through the terminal; a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise<number>((resolve) => {
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
