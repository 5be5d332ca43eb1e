/**
 * `patchbay connect <provider> [--reconnect <connection>] [--api-key-stdin] [--device] [--no-open] [--timeout <s>] [--json]`.
 *
 * `--reconnect` replaces a connection that needs you (same ID and label, new secret) instead of
 * adding another one.
 *
 * With --json the output is newline-delimited events, a public contract: for OAuth first
 * `{"event":"authorize","url":…}` (a device-code sign-in: `{"event":"device_code",
 * "verificationUri":…,"verificationUriComplete":…,"userCode":…,"expiresIn":…}`; client
 * credentials: neither), then `{"event":"connected","connection":{…}}` or
 * `{"event":"error","code":…,"message":…}`, with `{"event":"notice","message":…}` lines in
 * between when something is worth knowing but is no failure (a provider's answer cut to fit).
 * Only a wrong command line (exit 2) prints the plain `{"error":{…}}` shape instead, before any
 * event.
 */
import { notFound, toPatchbayError } from '../../core/model/errors';
import type { FlowEvent } from '../../../preload/contract';
import { expectPositionals, parseCommand, parseTimeoutSeconds, stringOption } from '../args';
import { cliError } from '../action-words';
import { openCliCore } from '../core';
import { resolveConnection } from '../credential-core';
import { diagnosisText } from '../bundle-text';
import { EXIT, type ExitCode, type Printer, UsageError, connectionJson } from '../output';
import { readSecret } from '../stdin';

/** Run `patchbay connect ...`; `signal` aborts the flow (Ctrl+C). */
export async function connectCommand(args: string[], printer: Printer, signal?: AbortSignal): Promise<ExitCode> {
  const parsed = parseCommand('connect', args, {
    'api-key-stdin': { type: 'boolean' },
    'no-open': { type: 'boolean' },
    timeout: { type: 'string' },
    reconnect: { type: 'string' },
    'allow-same-account': { type: 'boolean' },
    device: { type: 'boolean' },
  });
  const [providerId = ''] = expectPositionals('connect', parsed.positionals, ['provider']);
  const timeoutSeconds = parseTimeoutSeconds(stringOption(parsed, 'timeout'));
  const wantsKey = parsed.values['api-key-stdin'] === true;
  const noOpen = parsed.values['no-open'] === true;
  const reconnectRef = stringOption(parsed, 'reconnect');
  const device = parsed.values.device === true;

  const core = await openCliCore(printer.io, {
    openBrowser: !noOpen,
    ...(timeoutSeconds === undefined ? {} : { flowTimeoutMs: Math.round(timeoutSeconds * 1000) }),
  });
  try {
    const provider = (await core.listProviders()).find((p) => p.id === providerId);
    if (!provider) throw notFound('provider', providerId);
    const replaces = reconnectRef === undefined ? null : await resolveConnection(core, reconnectRef);
    // Another account for a provider already connected: ask it for its account choice again.
    const anotherAccount = !replaces && (await core.listConnections()).some((c) => c.providerId === provider.id);
    const allowSameAccount = parsed.values['allow-same-account'] === true;
    printer.target = { providerId: provider.id, providerName: provider.name, connectionId: replaces?.id ?? null };
    if (provider.auth === 'apiKey' && device) {
      throw new UsageError(
        `${provider.name} connects with an API key, not by signing in, so there is no code to enter. Leave out --device.`,
        '--device',
      );
    }
    if (provider.auth === 'apiKey' && !wantsKey) {
      throw new UsageError(
        `${provider.name} connects with an API key. Pipe it in with --api-key-stdin, for example: printf '%s' "$KEY" | patchbay connect ${provider.id} --api-key-stdin`,
        '--api-key-stdin',
      );
    }
    if (provider.auth === 'oauth2' && wantsKey) {
      throw new UsageError(
        `${provider.name} connects by signing in (OAuth 2.0), not with an API key. Leave out --api-key-stdin.`,
        '--api-key-stdin',
      );
    }
    const apiKey = wantsKey ? await readSecret(printer.io, 'API key', '--api-key-stdin') : undefined;

    const onEvent = (event: FlowEvent): void => {
      if (event.notice) {
        // Not a failure, but the person should know (e.g. a provider's answer was cut to fit).
        printer.emit({ event: 'notice', message: event.notice });
        printer.note(event.notice);
        return;
      }
      if (event.stage === 'waiting_for_user' && event.device) {
        const { verificationUri, verificationUriComplete, userCode, expiresIn } = event.device;
        printer.emit({ event: 'device_code', verificationUri, verificationUriComplete, userCode, expiresIn });
        printer.say(
          `To connect ${provider.name}, open this address on any device (a phone or another computer):\n  ${verificationUri}\n` +
            `and enter this code:\n  ${userCode}\n` +
            `The code works for ${expiresWords(expiresIn)}.`,
        );
        printer.note('Waiting for the code to be entered. Press Ctrl+C to cancel.');
        return;
      }
      if (event.stage !== 'waiting_for_user' || !event.authorizeUrl) return;
      printer.emit({ event: 'authorize', url: event.authorizeUrl });
      printer.say(
        noOpen
          ? `Open this address in your browser to sign in to ${provider.name}:\n  ${event.authorizeUrl}`
          : `Sign in to ${provider.name} in your browser. If it did not open, go to:\n  ${event.authorizeUrl}`,
      );
      printer.note('Waiting for you to sign in. Press Ctrl+C to cancel.');
    };
    const view = await core.connect(
      {
        providerId,
        mode: 'browser',
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(replaces ? { reconnect: replaces.id } : {}),
        ...(anotherAccount ? { anotherAccount } : {}),
        ...(allowSameAccount ? { allowSameAccount } : {}),
        ...(device ? { device } : {}),
      },
      { onEvent, ...(signal ? { signal } : {}) },
    );
    printer.emit({ event: 'connected', connection: connectionJson(view) });
    if (replaces) {
      printer.say(
        `Reconnected ${view.id} as ${view.label} (${view.providerId}). The new sign-in is saved in your keychain.`,
      );
    } else {
      printer.say(`Connected as ${view.label} (${view.providerId}). Saved in your keychain.`);
      printer.say(
        `Its connection ID is ${view.id}; use it with "patchbay test", "patchbay refresh" and "patchbay disconnect".`,
      );
    }
    return EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof UsageError) throw thrown;
    const error = cliError(toPatchbayError(thrown).toBridge(), printer.target);
    if (printer.json) {
      printer.emit({ event: 'error', ...error });
    } else {
      printer.note(error.message);
      // What the provider's answer says to do (e.g. the exact redirect URI to register).
      const diagnosis = await core.diagnose(`provider:${providerId}`).catch(() => null);
      if (diagnosis) printer.note(diagnosisText(diagnosis));
    }
    return EXIT.failure;
  } finally {
    await core.close();
  }
}

/** "10 minutes", "1 minute", "45 seconds". */
function expiresWords(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minutes`;
}
