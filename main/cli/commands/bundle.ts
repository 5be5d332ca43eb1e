/**
 * `patchbay bundle <connection> [-o <file>]` and `patchbay bundle show <file>`.
 *
 * The first writes a connection's support bundle (no secret in it; the core refuses to hand out
 * one that has any); the second prints a bundle someone sent, read-only, after the same checks the
 * app runs (size, JSON, format, every field), so a hostile file is refused with the problem named.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PatchbayError } from '../../core/model/errors';
import { MAX_BUNDLE_BYTES, readSupportBundle } from '../../core/diagnosis/bundle-schema';
import { expectPositionals, parseCommand, stringOption } from '../args';
import { bundleText } from '../bundle-text';
import { openCliCore } from '../core';
import { readBoundedFile } from '../import-file';
import { EXIT, type ExitCode, type Printer, targetOf } from '../output';
import { resolveConnection } from '../credential-core';

/** Run `patchbay bundle …`. */
export async function bundleCommand(args: string[], printer: Printer): Promise<ExitCode> {
  if (args[0] === 'show') return showCommand(args.slice(1), printer);
  const parsed = parseCommand('bundle', args, { output: { type: 'string', short: 'o' } });
  const [ref = ''] = expectPositionals('bundle', parsed.positionals, ['connection']);
  const output = stringOption(parsed, 'output');
  const pkg = (await import('../../../package.json', { with: { type: 'json' } })) as { default: { version: string } };
  const core = await openCliCore(printer.io, { signIn: false, appVersion: pkg.default.version });
  try {
    const target = await resolveConnection(core, ref);
    printer.target = targetOf(target);
    const file = await core.supportBundle(target.id);
    const where = path.resolve(output ?? file.fileName);
    try {
      // 0600: a bundle holds no secret, but it does describe someone's account.
      await writeFile(where, file.text, { encoding: 'utf8', mode: 0o600, flag: 'w' });
    } catch (cause) {
      throw new PatchbayError(
        'invalid_input',
        `Patchbay could not write "${where}". Check that the folder exists and that you may write there.`,
        { field: 'output', cause },
      );
    }
    printer.emit({ file: where, bytes: Buffer.byteLength(file.text, 'utf8'), connectionId: target.id });
    printer.say(`Saved the support bundle for ${target.label} (${target.providerName}) to ${where}.`);
    printer.say('It holds no token, code, key or secret. Attach it to your support ticket.');
    return EXIT.ok;
  } finally {
    await core.close();
  }
}

async function showCommand(args: string[], printer: Printer): Promise<ExitCode> {
  const parsed = parseCommand('bundle', args, {});
  const [file = ''] = expectPositionals('bundle show', parsed.positionals, ['file']);
  const text = await readBoundedFile(
    file,
    MAX_BUNDLE_BYTES,
    () =>
      new PatchbayError(
        'invalid_input',
        `"${file}" is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB, so it is not a Patchbay support bundle; it was not opened.`,
        { field: 'file' },
      ),
  );
  const bundle = readSupportBundle(text);
  printer.emit(bundle);
  // Line by line through the terminal net: text was cleaned when read, this is the last guard.
  if (!printer.json) for (const line of bundleText(bundle).split('\n').slice(0, -1)) printer.say(line);
  return EXIT.ok;
}
