/**
 * Read a provider definition file for `patchbay providers import`, bounded before reading.
 *
 * A definition file is a few kilobytes. The size is checked on the open file (not the path, so a
 * swap between check and read changes nothing) and at most MAX_IMPORT_BYTES + 1 bytes are ever
 * read, so a 600 MB file, /dev/zero or a FIFO cannot fill memory; and each failure says what is
 * wrong with the file instead of calling every one of them "not found".
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { PatchbayError } from '../core/model/errors';
import { MAX_IMPORT_BYTES } from '../core/providers/provider-schema';

function tooLarge(): PatchbayError {
  return new PatchbayError(
    'invalid_input',
    'The file is larger than 1 MB, which is far more than provider definitions need. Check that you picked the right file.',
    { field: 'file' },
  );
}

/** The file's text, or a PatchbayError naming `file` and the fix. */
export function readImportFile(file: string): Promise<string> {
  return readBoundedFile(file, MAX_IMPORT_BYTES, tooLarge);
}

/**
 * A file's text, reading at most `maxBytes` + 1 bytes from the open file; `tooLarge` is thrown
 * past that. Shared by every command that reads a file someone handed over.
 */
export async function readBoundedFile(file: string, maxBytes: number, tooLarge: () => PatchbayError): Promise<string> {
  let handle;
  try {
    handle = await open(path.resolve(file), 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PatchbayError('not_found', `There is no file "${file}". Check the path and try again.`, { cause });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new PatchbayError(
        'invalid_input',
        `Patchbay may not read "${file}". Check the file's permissions and try again.`,
        { field: 'file', cause },
      );
    }
    throw new PatchbayError('invalid_input', `Patchbay could not open "${file}". Check the path and try again.`, {
      field: 'file',
      cause,
    });
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory())
      throw new PatchbayError('invalid_input', `"${file}" is a folder. Name the JSON file inside it.`, {
        field: 'file',
      });
    if (stats.size > maxBytes) throw tooLarge();
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw tooLarge();
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}
