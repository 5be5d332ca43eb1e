/**
 * `patchbay connect <provider> [--api-key-stdin] [--no-open] [--timeout <s>] [--json]`.
 *
 * With --json the output is newline-delimited events, a public contract: for OAuth first
 * `{"event":"authorize","url":…}`, then `{"event":"connected","connection":{…}}` or
 * `{"event":"error","code":…,"message":…}`, with `{"event":"notice","message":…}` lines in
 * between when something is worth knowing but is no failure (a provider's answer cut to fit).
 * Only a wrong command line (exit 2) prints the plain `{"error":{…}}` shape instead, before any
 * event.
 */
import { notFound, toPatchbayError } from '../../core/model/errors';
import type { FlowEvent } from '../../../preload/contract';
import { expectPositionals, parseCommand, parseTimeoutSeconds, stringOption } from '../args';
import { openCliCore } from '../core';
import { EXIT, type ExitCode, type Printer, UsageError, connectionJson } from '../output';
import { readSecret } from '../stdin';

/** Run `patchbay connect ...`; `signal` aborts the flow (Ctrl+C). */
export async function connectCommand(args: string[], printer: Printer, signal?: AbortSignal): Promise<ExitCode> {
  const parsed = parseCommand('connect', args, {
    'api-key-stdin': { type: 'boolean' },
    'no-open': { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const [providerId = ''] = expectPositionals('connect', parsed.positionals, ['provider']);
  const timeoutSeconds = parseTimeoutSeconds(stringOption(parsed, 'timeout'));
  const wantsKey = parsed.values['api-key-stdin'] === true;
  const noOpen = parsed.values['no-open'] === true;

  const core = await openCliCore(printer.io, {
    openBrowser: !noOpen,
    ...(timeoutSeconds === undefined ? {} : { flowTimeoutMs: Math.round(timeoutSeconds * 1000) }),
  });
  try {
    const provider = (await core.listProviders()).find((p) => p.id === providerId);
    if (!provider) throw notFound('provider', providerId);
    if (provider.auth === 'apiKey' && !wantsKey) {
      throw new UsageError(`${provider.name} connects with an API key. Pipe it in with --api-key-stdin, for example: printf '%s' "$KEY" | patchbay connect ${provider.id} --api-key-stdin`, '--api-key-stdin');
    }
    if (provider.auth === 'oauth2' && wantsKey) {
      throw new UsageError(`${provider.name} connects by signing in (OAuth 2.0), not with an API key. Leave out --api-key-stdin.`, '--api-key-stdin');
    }
    const apiKey = wantsKey ? await readSecret(printer.io, 'API key', '--api-key-stdin') : undefined;

    const onEvent = (event: FlowEvent): void => {
      if (event.notice) {
        // Not a failure, but the person should know (e.g. a provider's answer was cut to fit).
        printer.emit({ event: 'notice', message: event.notice });
        printer.note(event.notice);
        return;
      }
      if (event.stage !== 'waiting_for_user' || !event.authorizeUrl) return;
      printer.emit({ event: 'authorize', url: event.authorizeUrl });
      printer.say(noOpen
        ? `Open this address in your browser to sign in to ${provider.name}:\n  ${event.authorizeUrl}`
        : `Sign in to ${provider.name} in your browser. If it did not open, go to:\n  ${event.authorizeUrl}`);
      printer.note('Waiting for you to sign in. Press Ctrl+C to cancel.');
    };
    const view = await core.connect(
      { providerId, mode: 'browser', ...(apiKey === undefined ? {} : { apiKey }) },
      { onEvent, ...(signal ? { signal } : {}) },
    );
    printer.emit({ event: 'connected', connection: connectionJson(view) });
    printer.say(`Connected as ${view.label} (${view.providerId}). Saved in your keychain.`);
    printer.say(`Its connection ID is ${view.id}; use it with "patchbay test", "patchbay refresh" and "patchbay disconnect".`);
    return EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof UsageError) throw thrown;
    const error = toPatchbayError(thrown).toBridge();
    if (printer.json) {
      printer.emit({ event: 'error', ...error });
    } else {
      printer.note(error.message);
    }
    return EXIT.failure;
  } finally {
    await core.close();
  }
}
