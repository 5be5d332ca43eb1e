/**
 * `patchbay providers discover <issuer> [--id <id>] [--name <name>] [--save] [--json]`.
 *
 * Reads the issuer's published metadata (RFC 8414, OpenID Connect Discovery) through the core and
 * prints the definition it would save, in the import/export format, so it can be checked, kept in
 * a file and imported later, or saved at once with --save. Notes about choices the metadata left
 * open go to stderr, so stdout stays the definition alone.
 */
import { PatchbayError } from '../../core/model/errors';
import type { ProviderDiscovery } from '../../../preload/contract';
import { openCliCore } from '../core';
import { EXIT, type ExitCode, type Printer, UsageError } from '../output';

/** What the command line asked for. */
export interface DiscoverRequest {
  issuer: string;
  id?: string | undefined;
  name?: string | undefined;
  save: boolean;
}

/** A mistake in what was typed (the issuer, --id, --name) is a wrong command line: exit 2. */
function asUsage(error: unknown): unknown {
  if (error instanceof PatchbayError && error.code === 'invalid_input') {
    const flag =
      error.field === 'issuer' ? 'issuer' : error.field === 'id' || error.field === 'name' ? `--${error.field}` : null;
    if (flag) return new UsageError(error.message, flag);
  }
  return error;
}

/** Run the discovery, print the definition, and save it with --save. */
export async function discoverCommand(printer: Printer, request: DiscoverRequest): Promise<ExitCode> {
  // No keychain: a new provider has no secrets, and an update that would move endpoints of a
  // provider in use is refused by the core before anything is deleted.
  const core = await openCliCore(printer.io, { keychain: false, signIn: false });
  try {
    let found: ProviderDiscovery;
    try {
      found = await core.discoverProvider(request.issuer, {
        ...(request.id === undefined ? {} : { id: request.id }),
        ...(request.name === undefined ? {} : { name: request.name }),
      });
    } catch (error) {
      throw asUsage(error);
    }
    const def = found.definition;
    printer.note(`Read ${found.metadataUrl}.`);
    for (const note of found.notes) printer.io.stderr(`Note: ${note}\n`);
    if (request.save) {
      try {
        await core.saveProvider(def);
      } catch (error) {
        throw asUsage(error);
      }
    }
    printer.emit(def);
    if (!printer.json) printer.io.stdout(`${JSON.stringify(def, null, 2)}\n`);
    if (request.save) {
      printer.note(
        `Saved provider ${def.id} (${def.name}). Next: patchbay credentials set ${def.id} --client-id <id> [--client-secret-stdin], then patchbay connect ${def.id}.`,
      );
    } else {
      printer.note(
        `Not saved. Run it again with --save to add it, or keep it in a file and use "patchbay providers import <file.json>".`,
      );
    }
    return EXIT.ok;
  } finally {
    await core.close();
  }
}
