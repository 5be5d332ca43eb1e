/**
 * Wiring of the desktop core: electron-store is handed to the core's openSettings (same file,
 * schema and migrations as the CLI), the authorizers are [embedded, browser], and the library's
 * renderer IPC listener is removed. electron-store is replaced by conf, its base class, with the
 * options translated the way electron-store does (name -> configName): the real one imports
 * the `electron` package, which would try to download the binary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../../main/core/model/config';
import { DeepLinkQueue } from '../../../main/electron/deep-link-queue';
import { createElectronStandIn } from '../../electron-stand-in';

const electron = createElectronStandIn();
electron.control.launch();
vi.mock('electron', () => electron.module);
const storeOptions: Record<string, unknown>[] = [];
vi.mock('electron-store', () => ({
  default: class extends Conf<Record<string, unknown>> {
    constructor(options: { name?: string } & Record<string, unknown>) {
      storeOptions.push(options);
      const { name, ...rest } = options;
      super({ ...rest, configName: name ?? 'config', projectName: 'patchbay-test' });
    }
  },
}));

const { createElectronCore } = await import('../../../main/electron/core-setup');

let home: string;
beforeEach(() => {
  storeOptions.length = 0;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-core-setup-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('createElectronCore', () => {
  it('uses electron-store in PATCHBAY_HOME as the settings backend and offers [embedded, browser]', async () => {
    // What the real electron-store does on construction in the main process.
    electron.module.ipcMain.on('electron-store-get-data', () => undefined);
    const env = {
      PATCHBAY_HOME: home,
      PATCHBAY_KEYCHAIN_SERVICE: 'PatchbayUnit-core-setup',
      PATCHBAY_SANDBOX_PORT: '47999',
    };
    const { core, settings } = createElectronCore(env, resolveConfig(env), new DeepLinkQueue(), () => null);
    try {
      expect(storeOptions).toEqual([expect.objectContaining({ cwd: home, name: 'settings', configFileMode: 0o600 })]);
      expect(settings.path).toBe(path.join(home, 'settings.json'));
      expect(electron.module.ipcMain.listenerCount('electron-store-get-data')).toBe(0);

      const providers = await core.listProviders();
      const sandbox = providers.find((p) => p.id === 'sandbox');
      // The first authorizer (the embedded window) names the redirect URI users register.
      expect(sandbox?.redirectUri).toBe('patchbay://oauth/callback');

      await core.saveProvider({
        id: 'custom-one',
        name: 'Custom One',
        auth: 'oauth2',
        authorizationUrl: 'https://id.example.com/authorize',
        tokenUrl: 'https://id.example.com/token',
      });
      const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8')) as {
        providers: { id: string }[];
      };
      expect(onDisk.providers.map((p) => p.id)).toContain('custom-one');
    } finally {
      await core.close();
    }
  });
});
