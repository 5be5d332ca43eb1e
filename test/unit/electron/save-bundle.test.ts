/**
 * "Save support bundle" on the desktop: the Electron transport asks with the save dialog (attached
 * to the main window) and writes the bundle where the person chose, owner-only; a cancelled dialog
 * writes nothing. Runs against the lifecycle-faithful stand-in for `electron`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createElectronStandIn } from '../../electron-stand-in';

const electron = createElectronStandIn({ platform: 'linux' });
electron.control.launch();
const { module: e } = electron;
vi.mock('electron', () => electron.module);

const { electronTransport } = await import('../../../main/electron/host-adapter');

async function answered(): Promise<(typeof e.dialog.saveDialogs)[number]> {
  await vi.waitFor(() => expect(e.dialog.saveDialogs.length).toBeGreaterThan(0));
  return e.dialog.saveDialogs.shift()!;
}

describe('the desktop save dialog for support bundles', () => {
  it('writes the bundle where the person chose, and nothing when they cancel', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'patchbay-save-'));
    try {
      const transport = electronTransport(
        () => null,
        async () => false,
      );
      const target = path.join(dir, 'chosen.json');
      const saving = transport.saveFile!('patchbay-sandbox-20261130-1200.json', '{"format":"x"}\n');
      const dialog = await answered();
      expect(dialog.options).toMatchObject({
        defaultPath: 'patchbay-sandbox-20261130-1200.json',
        filters: [{ name: 'Patchbay support bundle', extensions: ['json'] }],
      });
      dialog.answer(target);
      expect(await saving).toBe(true);
      expect(await fs.readFile(target, 'utf8')).toBe('{"format":"x"}\n');
      expect((await fs.stat(target)).mode & 0o777).toBe(0o600);

      const cancelled = transport.saveFile!('b.json', 'text');
      (await answered()).answer(null);
      expect(await cancelled).toBe(false);
      expect(await fs.readdir(dir)).toEqual(['chosen.json']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
