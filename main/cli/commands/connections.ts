/**
 * `patchbay status`, `test <connection>`, `refresh <connection>`, `disconnect <connection>`.
 *
 * `status` reads settings only (its core gets a vault that refuses every call). The others
 * take a connection ID, or a provider ID when exactly one connection uses that provider, so
 * `patchbay test sandbox` works for the common single-connection case.
 */
import { PatchbayError } from '../../core/model/errors';
import type { PatchbayCore } from '../../core/model/types';
import type { ConnectionStatus, ConnectionView } from '../../../preload/contract';
import { expectPositionals, parseCommand } from '../args';
import { type CliCore, openCliCore } from '../core';
import { cliError, cliText } from '../action-words';
import { diagnosisText } from '../bundle-text';
import { EXIT, type ExitCode, type Printer, connectionJson, relativeTime, targetOf } from '../output';
import { resolveConnection } from '../credential-core';

const STATUS_WORDS: Record<ConnectionStatus, string> = {
  connected: 'connected',
  expiring: 'connected, access expiring soon',
  expired: 'access expired (Patchbay refreshes it when used)',
  needs_reconnect: 'needs to be connected again',
  error: 'has a problem',
};

function describe(view: ConnectionView, now: number): string {
  const parts = [`${view.id}: ${view.label} (${view.providerName}), ${STATUS_WORDS[view.status]}`];
  if (view.expiresAt)
    parts.push(
      `access ${Date.parse(view.expiresAt) > now ? 'expires' : 'expired'} ${relativeTime(view.expiresAt, now)}`,
    );
  parts.push(view.lastTestedAt ? `last tested ${relativeTime(view.lastTestedAt, now)}` : 'not tested yet');
  if (view.lastError) parts.push(`last error: ${cliText(view.lastError.message, targetOf(view))}`);
  return `${parts.join('; ')}.`;
}

/**
 * Run a command that names one connection: parse `<connection>`, open a core, resolve the
 * reference (ID, or a provider with exactly one connection) and hand both to `fn`.
 */
async function withConnection(
  name: string,
  args: string[],
  printer: Printer,
  fn: (core: PatchbayCore, target: ConnectionView) => Promise<ExitCode>,
): Promise<ExitCode> {
  const parsed = parseCommand(name, args, {});
  const [ref = ''] = expectPositionals(name, parsed.positionals, ['connection']);
  return withCore(printer, true, async (core) => {
    const target = await resolveConnection(core, ref);
    // Failures from here on name the command to run for this connection.
    printer.target = targetOf(target);
    return fn(core, target);
  });
}

/** These commands never sign in, so their core has no authorizer (and loads no HTTP listener). */
async function withCore<T>(
  printer: Printer,
  keychain: boolean,
  fn: (core: CliCore) => Promise<T>,
  reportNotice = true,
): Promise<T> {
  const core = await openCliCore(printer.io, { keychain, signIn: false, reportNotice });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** Run `patchbay status`. */
export async function statusCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('status', args, {});
  expectPositionals('status', parsed.positionals, []);
  return withCore(
    printer,
    false,
    async (core) => {
      // An empty list from a file that was just moved aside is not "no connections": say so and fail.
      if (core.settingsNotice) {
        throw new PatchbayError(
          'invalid_input',
          `${core.settingsNotice} Restore that file, or run "patchbay status" again to list what is saved now.`,
          { field: 'settings' },
        );
      }
      const views = await core.listConnections();
      printer.emit(views.map(connectionJson));
      const now = Date.now();
      if (views.length === 0) printer.say('No connections yet. Try one with: patchbay connect sandbox');
      // The sentences are only built when they are shown (not with --json).
      if (!printer.json) for (const view of views) printer.say(describe(view, now));
      return EXIT.ok;
    },
    false,
  );
}

/** Run `patchbay test <connection>`: exit 1 when the provider does not accept the credentials. */
export async function testCommand(args: string[], printer: Printer): Promise<ExitCode> {
  return withConnection('test', args, printer, async (core, target) => {
    const result = await core.test(target.id);
    printer.emit({
      ok: result.ok,
      connectionId: result.connectionId,
      httpStatus: result.httpStatus,
      latencyMs: result.latencyMs,
      checkedAt: result.checkedAt,
      label: result.label,
      error: result.error ? cliError(result.error, targetOf(target)) : null,
      connection: connectionJson(result.connection),
    });
    const http = result.httpStatus === null ? '' : `HTTP ${result.httpStatus}, `;
    if (result.ok) {
      printer.say(
        `The connection ${result.connectionId} works: ${result.label ?? result.connection.label} (${result.connection.providerName}) answered (${http}${result.latencyMs} ms).`,
      );
    } else {
      printer.say(
        `The connection ${result.connectionId} does not work: ${result.error ? cliText(result.error.message, targetOf(target)) : 'the provider refused it.'}`,
      );
    }
    // The shared diagnosis (people only: --json's shape is a contract), e.g. a clock that is off.
    const diagnosis = printer.json ? null : await core.diagnose(target.id).catch(() => null);
    if (diagnosis) printer.say(diagnosisText(diagnosis));
    return result.ok ? EXIT.ok : EXIT.failure;
  });
}

/** Run `patchbay refresh <connection>`. */
export async function refreshCommand(args: string[], printer: Printer): Promise<ExitCode> {
  return withConnection('refresh', args, printer, async (core, target) => {
    const view = await core.refresh(target.id);
    printer.emit({ refreshed: true, connection: connectionJson(view) });
    printer.say(
      `Refreshed ${view.id} (${view.label}).${view.expiresAt ? ` The new access is valid until ${view.expiresAt}.` : ''}`,
    );
    return EXIT.ok;
  });
}

/** Run `patchbay disconnect <connection>`. */
export async function disconnectCommand(args: string[], printer: Printer): Promise<ExitCode> {
  return withConnection('disconnect', args, printer, async (core, target) => {
    await core.disconnect(target.id);
    printer.emit({ disconnected: true, id: target.id, providerId: target.providerId });
    printer.say(
      target.auth === 'apiKey'
        ? `Disconnected ${target.id} (${target.label}) and removed its API key from your keychain. Delete the key at ${target.providerName} too if it should stop working.`
        : `Disconnected ${target.id} (${target.label}). Patchbay asked ${target.providerName} to revoke its access and removed its tokens from your keychain.`,
    );
    return EXIT.ok;
  });
}
