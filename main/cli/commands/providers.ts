/**
 * `patchbay providers [--json]`, `patchbay providers import <file.json>` and
 * `patchbay providers discover <issuer>` (providers-discover.ts).
 *
 * Listing reads settings only. Import goes through the core's schema (one definition or an
 * array, upsert by id), so a bad file fails with the field to fix and imports nothing.
 */
import type { FieldChange, ProviderImportPreview, ProviderView } from '../../../preload/contract';
import { expectPositionals, parseCommand, stringOption } from '../args';
import { openCliCore } from '../core';
import { readImportFile } from '../import-file';
import { EXIT, type ExitCode, type Printer, UsageError } from '../output';

function authWords(view: ProviderView): string {
  return view.auth === 'apiKey' ? 'API key' : 'OAuth 2.0';
}

function readiness(view: ProviderView): string {
  const pkce = view.warnings.length > 0 ? ' (PKCE off)' : '';
  if (view.needs === 'client_id')
    return `needs a client ID: patchbay credentials set ${view.id} --client-id <id>${pkce}`;
  return `ready${pkce}`;
}

function changeLine(change: FieldChange): string {
  return `  ${change.field}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`;
}

async function list(printer: Printer): Promise<ExitCode> {
  const core = await openCliCore(printer.io, { keychain: false });
  try {
    const providers = await core.listProviders();
    printer.emit(providers);
    const width = Math.max(...providers.map((p) => p.id.length), 2);
    for (const p of providers) {
      printer.say(
        `${p.id.padEnd(width)}  ${p.name} (${authWords(p)}${p.builtIn ? '' : ', imported'}): ${readiness(p)}`,
      );
    }
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

async function importFile(printer: Printer, file: string, allowOriginChange: boolean): Promise<ExitCode> {
  const text = await readImportFile(file);
  // The keychain is only needed to delete the secrets of a provider whose origin change is accepted.
  const core = await openCliCore(printer.io, { keychain: allowOriginChange, signIn: false });
  try {
    // What the file changes is shown before it is applied; a refused change then changes nothing.
    const previews: ProviderImportPreview[] = await core.previewProviderImport(text);
    for (const p of previews) {
      if (p.action !== 'updated') continue;
      printer.say(`${p.id} (${p.name}) changes:`);
      for (const change of p.changes) printer.say(changeLine(change));
    }
    await core.importProviders(text, { allowOriginChange });
    printer.emit({
      imported: previews.map((p) => ({
        id: p.id,
        name: p.name,
        action: p.action === 'added' ? 'added' : 'updated',
        changes: p.changes,
      })),
    });
    for (const p of previews) {
      printer.say(
        `${p.action === 'added' ? 'Added' : p.action === 'updated' ? 'Updated' : 'Kept (unchanged)'} provider ${p.id} (${p.name}).`,
      );
      if (p.needsConfirmation) {
        printer.say(
          `Its endpoints moved to another host: sign in again to use ${p.name} (patchbay connect ${p.id})${p.hasClientSecret ? `, and its client secret must be entered again (patchbay credentials set ${p.id} --client-id <id> --client-secret-stdin)` : ''}.`,
        );
      }
      for (const warning of p.warnings) printer.io.stderr(`Warning: ${warning}\n`);
    }
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

/** Run `patchbay providers ...`. */
export async function providersCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('providers', args, {
    'allow-origin-change': { type: 'boolean' },
    id: { type: 'string' },
    name: { type: 'string' },
    save: { type: 'boolean' },
  });
  const [sub, ...rest] = parsed.positionals;
  const allowOriginChange = parsed.values['allow-origin-change'] === true;
  const discoverOnly = (['id', 'name', 'save'] as const).find((flag) => parsed.values[flag] !== undefined);
  if (sub === 'discover') {
    const [issuer] = expectPositionals('providers discover', rest, ['issuer']);
    if (allowOriginChange) {
      throw new UsageError(
        '--allow-origin-change only goes with "patchbay providers import <file.json>".',
        '--allow-origin-change',
      );
    }
    const { discoverCommand } = await import('./providers-discover');
    return discoverCommand(printer, {
      issuer: issuer ?? '',
      id: stringOption(parsed, 'id'),
      name: stringOption(parsed, 'name'),
      save: parsed.values.save === true,
    });
  }
  if (discoverOnly) {
    throw new UsageError(
      `--${discoverOnly} only goes with "patchbay providers discover <issuer>".`,
      `--${discoverOnly}`,
    );
  }
  if (sub === undefined && !allowOriginChange) return list(printer);
  if (sub === 'import') {
    const [file] = expectPositionals('providers import', rest, ['file.json']);
    return importFile(printer, file ?? '', allowOriginChange);
  }
  if (sub === undefined)
    throw new UsageError(
      '--allow-origin-change only goes with "patchbay providers import <file.json>".',
      '--allow-origin-change',
    );
  throw new UsageError(
    `"patchbay providers" has no subcommand "${sub}". Use "patchbay providers", "patchbay providers import <file.json>" or "patchbay providers discover <issuer>".`,
  );
}
