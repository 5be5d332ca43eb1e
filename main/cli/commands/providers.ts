/**
 * `patchbay providers [--json]` and `patchbay providers import <file.json>`.
 *
 * Listing reads settings only. Import goes through the core's schema (one definition or an
 * array, upsert by id), so a bad file fails with the field to fix and imports nothing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PatchbayError } from '../../core/model/errors';
import type { ProviderView } from '../../../preload/contract';
import { expectPositionals, parseCommand } from '../args';
import { openCliCore } from '../core';
import { EXIT, type ExitCode, type Printer, UsageError } from '../output';

function authWords(view: ProviderView): string {
  return view.auth === 'apiKey' ? 'API key' : 'OAuth 2.0';
}

function readiness(view: ProviderView): string {
  if (view.needs === 'client_id') return `needs a client ID: patchbay credentials set ${view.id} --client-id <id>`;
  return 'ready';
}

async function list(printer: Printer): Promise<ExitCode> {
  const core = await openCliCore(printer.io, { keychain: false });
  try {
    const providers = await core.listProviders();
    printer.emit(providers);
    const width = Math.max(...providers.map((p) => p.id.length), 2);
    for (const p of providers) {
      printer.say(`${p.id.padEnd(width)}  ${p.name} (${authWords(p)}${p.builtIn ? '' : ', imported'}): ${readiness(p)}`);
    }
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

async function importFile(printer: Printer, file: string): Promise<ExitCode> {
  let text: string;
  try {
    text = await readFile(path.resolve(file), 'utf8');
  } catch (cause) {
    throw new PatchbayError('not_found', `Patchbay could not read the file "${file}". Check the path and try again.`, { cause });
  }
  const core = await openCliCore(printer.io, { keychain: false });
  try {
    const before = new Set((await core.listProviders()).map((p) => p.id));
    const imported = await core.importProviders(text);
    const results = imported.map((p) => ({ id: p.id, name: p.name, action: before.has(p.id) ? 'updated' : 'added' }));
    printer.emit({ imported: results });
    for (const r of results) printer.say(`${r.action === 'added' ? 'Added' : 'Updated'} provider ${r.id} (${r.name}).`);
    if (results.length === 0) printer.say('The file had no providers in it. Nothing changed.');
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

/** Run `patchbay providers ...`. */
export async function providersCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('providers', args, {});
  const [sub, ...rest] = parsed.positionals;
  if (sub === undefined) return list(printer);
  if (sub === 'import') {
    const [file] = expectPositionals('providers import', rest, ['file.json']);
    return importFile(printer, file ?? '');
  }
  throw new UsageError(`"patchbay providers" has no subcommand "${sub}". Use "patchbay providers" or "patchbay providers import <file.json>".`);
}
