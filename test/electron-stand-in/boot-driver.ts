/**
 * Plays Electron's part for one built main bundle, in plain Node, and prints what happened.
 *
 *   node --import tsx --import ./register.mjs boot-driver.ts <main.js>
 *
 * Order as in Electron's lib/browser/init.ts: `await import(main)`, then `appCodeLoaded()` (also
 * when the import threw, which Electron reports as an uncaught exception in an error box), then
 * `ready`. A main that never finishes evaluating is reported as such: when the event loop drains
 * with the import still pending, or after PATCHBAY_BOOT_DEADLINE_MS. After ready it waits for the
 * first window to load, invokes every contract channel from its top frame, a sub-frame and a gone
 * frame, quits the app, and prints one line `BOOT-REPORT {json}`.
 */
import { pathToFileURL } from 'node:url';
import { CHANNELS } from '../../preload/contract';
import { control, dialog } from './module';
import type { FrameKind } from './ipc';

const mainPath = process.argv[2];
if (!mainPath) throw new Error('usage: boot-driver.ts <main.js>');
const deadlineMs = Number(process.env.PATCHBAY_BOOT_DEADLINE_MS ?? 20_000);

type Outcome = { ok?: boolean; code?: string; thrown?: string };
const report: Record<string, unknown> = { evaluated: false, ready: false };

function finish(): never {
  report.errorBoxes = dialog.errorBoxes;
  report.exitCode = control.lifecycle.phase === 'quit' ? (report.exitCode ?? null) : null;
  process.stdout.write(`BOOT-REPORT ${JSON.stringify(report)}\n`);
  process.exit(0);
}

/** Resolve when `probe` returns something, or reject after the deadline. */
async function until<T>(what: string, probe: () => T | null | undefined, ms = deadlineMs): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function outcome(channel: string, win: (typeof control.windows)[number], kind: FrameKind): Promise<Outcome> {
  try {
    const result = (await control.invoke(channel, win, kind)) as { ok: boolean; error?: { code: string } };
    return { ok: result.ok, ...(result.error ? { code: result.error.code } : {}) };
  } catch (error) {
    return { thrown: error instanceof Error ? error.message : String(error) };
  }
}

control.lifecycle.on('exit', (code: number) => void (report.exitCode = code));

// 1. Load the main module as Electron does, and notice if it never finishes.
const hung = new Promise<string>((resolve) => {
  process.once('beforeExit', () => resolve('the event loop drained while the main module was still evaluating'));
  setTimeout(() => resolve(`the main module was still evaluating after ${deadlineMs} ms`), deadlineMs).unref();
});
const loaded = import(pathToFileURL(mainPath).href).then(
  () => 'evaluated' as const,
  (error: unknown) => {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    // lib/browser/init.ts: a throwing main is an uncaught exception; the default handler shows it.
    dialog.showErrorBox('A JavaScript error occurred in the main process', `Uncaught Exception:\n${stack}`);
    report.evaluationError = stack;
    return 'threw' as const;
  },
);
const first = await Promise.race([loaded, hung]);
if (first !== 'evaluated' && first !== 'threw') {
  report.hang = first;
  finish();
}
report.evaluated = first === 'evaluated';

// 2. Electron's appCodeLoaded(), then ready.
control.launch();
report.ready = control.lifecycle.isReady;
report.sandboxEnabled = (await import('./module')).app.state.sandboxEnabled;

try {
  // 3. The first window and its page.
  const win = await until('a window that loaded a page', () => control.windows.find((w) => w.loads.length > 0));
  const load = win.loads[0]!;
  report.windowCount = control.windows.length;
  report.mainWindow = {
    url: load.url,
    status: load.status,
    csp: load.headers['content-security-policy'] ?? null,
    servesRenderer: /<div id="root">/.test(load.body),
    webPreferences: win.options.webPreferences,
  };
  // 4. Every channel, from the top frame and from frames that must be refused.
  const channels: Record<string, Record<string, Outcome>> = {};
  for (const channel of CHANNELS) {
    channels[channel] = {
      top: await outcome(channel, win, 'top'),
      subFrame: await outcome(channel, win, 'sub-frame'),
      gone: await outcome(channel, win, 'gone'),
    };
  }
  report.channels = channels;
  // 5. Quit: will-quit lets the core finish, then the app quits.
  (await import('./module')).app.quit();
  await until('the app to quit', () => control.lifecycle.phase === 'quit');
  report.quit = true;
} catch (error) {
  report.afterReadyError = error instanceof Error ? error.message : String(error);
}
finish();
