/**
 * `patchbay request <connection> <path-or-url> [-X <method>] [-H 'Name: value']...
 *  [-d <data> | -d @<file> | --data-stdin] [--include] [--json]`.
 *
 * Calls the provider's API with the connection's credentials (what `gh api` does for GitHub).
 * Without --json the response body goes to stdout as the provider sent it (bounded), --include
 * puts the status line and headers first; exit 0 on 2xx, otherwise 1 and one sentence on stderr.
 * With --json: one object `{status, headers, body, durationMs, refreshed, cut}` (a contract).
 */
import { readFile } from 'node:fs/promises';
import { PatchbayError } from '../../core/model/errors';
import type { ApiResponseView } from '../../../preload/contract';
import { expectPositionals, parseCommand, stringOption } from '../args';
import { EXIT, type ExitCode, type Printer, UsageError } from '../output';
import { openCredentialCore, resolveConnection } from '../credential-core';

/** `-H 'Name: value'` → [name, value]; anything without a colon is a usage error naming -H. */
export function parseHeaderOption(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  if (colon <= 0)
    throw new UsageError(
      `-H takes "Name: value", for example -H 'Accept: application/json' (you gave "${raw.slice(0, 60)}").`,
      '-H',
    );
  return [raw.slice(0, colon).trim(), raw.slice(colon + 1).trim()];
}

async function requestBody(
  printer: Printer,
  data: string | undefined,
  fromStdin: boolean,
): Promise<string | undefined> {
  if (data !== undefined && fromStdin)
    throw new UsageError('Give the body once: either -d or --data-stdin, not both.', '--data-stdin');
  if (fromStdin) return printer.io.readStdin();
  if (data === undefined || !data.startsWith('@')) return data;
  const file = data.slice(1);
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new PatchbayError(
      'not_found',
      `Patchbay could not read the file "${file}" given with -d @. Check the path.`,
      { field: '-d' },
    );
  }
}

/** Response headers as one object (repeated headers joined with ", ", as HTTP allows). */
export function headersObject(headers: ApiResponseView['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name] = name in out ? `${out[name]}, ${value}` : value;
  return out;
}

function cutSentence(view: ApiResponseView): string | null {
  if (!view.cut) return null;
  const total = view.cut.totalBytes === null ? 'more' : `${view.cut.totalBytes}`;
  return `The response body was cut: Patchbay kept the first ${view.cut.shownBytes} bytes of ${total}.`;
}

/** Run `patchbay request ...`; `signal` (Ctrl+C) cancels the call. */
export async function requestCommand(args: string[], printer: Printer, signal?: AbortSignal): Promise<ExitCode> {
  const parsed = parseCommand('request', args, {
    method: { type: 'string', short: 'X' },
    header: { type: 'string', short: 'H', multiple: true },
    data: { type: 'string', short: 'd' },
    'data-stdin': { type: 'boolean' },
    include: { type: 'boolean', short: 'i' },
  });
  const [ref = '', target = ''] = expectPositionals('request', parsed.positionals, ['connection', 'path-or-url']);
  const headers = ((parsed.values.header as unknown as string[] | undefined) ?? []).map(parseHeaderOption);
  const body = await requestBody(printer, stringOption(parsed, 'data'), parsed.values['data-stdin'] === true);
  const method = stringOption(parsed, 'method') ?? (body === undefined ? 'GET' : 'POST');
  const core = await openCredentialCore(printer.io);
  try {
    const connection = await resolveConnection(core, ref);
    const view = await core.request(
      { connectionId: connection.id, method, path: target, headers, ...(body === undefined ? {} : { body }) },
      signal ? { signal } : {},
    );
    const ok = view.status >= 200 && view.status < 300;
    printer.emit({
      status: view.status,
      headers: headersObject(view.headers),
      body: view.json !== undefined ? view.json : view.body,
      durationMs: view.durationMs,
      refreshed: view.refreshed,
      cut: view.cut,
    });
    if (!printer.json) {
      if (parsed.values.include === true) {
        printer.io.stdout(
          `HTTP ${view.status}${view.statusText ? ` ${view.statusText}` : ''}\n${view.headers.map(([n, v]) => `${n}: ${v}\n`).join('')}\n`,
        );
      }
      printer.io.stdout(view.body);
      const cut = cutSentence(view);
      if (cut) printer.note(cut);
      if (!ok)
        printer.note(
          `${connection.providerName} answered ${view.method} ${view.url} with HTTP ${view.status}${view.statusText ? ` ${view.statusText}` : ''}.`,
        );
    }
    return ok ? EXIT.ok : EXIT.failure;
  } finally {
    await core.close();
  }
}
