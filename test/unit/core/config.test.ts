import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHome, resolveConfig } from '../../../main/core/model/config';
import { PatchbayError } from '../../../main/core/model/errors';

describe('resolveConfig', () => {
  it('uses the documented defaults', () => {
    const config = resolveConfig({ HOME: '/home/ada' });
    expect(config.keychainService).toBe('Patchbay');
    expect(config.sandboxPort).toBe(47615);
    expect(config.sandboxIssuer).toBe('http://127.0.0.1:47615');
    expect(config.home).toBe(defaultHome({ HOME: '/home/ada' }));
  });

  it('follows each platform convention for the home folder', () => {
    expect(defaultHome({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.config/Patchbay');
    expect(defaultHome({ HOME: '/home/ada', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(path.join('/xdg', 'Patchbay'));
    expect(defaultHome({ HOME: '/Users/ada' }, 'darwin')).toBe('/Users/ada/Library/Application Support/Patchbay');
    expect(defaultHome({ HOME: 'C:/Users/ada', APPDATA: 'C:/Users/ada/AppData/Roaming' }, 'win32')).toBe(
      path.join('C:/Users/ada/AppData/Roaming', 'Patchbay'),
    );
    expect(defaultHome({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'Patchbay'));
  });

  it('honours every override', () => {
    const config = resolveConfig({
      PATCHBAY_HOME: '/tmp/pb-home',
      PATCHBAY_KEYCHAIN_SERVICE: 'PatchbayTest-1',
      PATCHBAY_SANDBOX_PORT: '5050',
    });
    expect(config).toEqual({
      home: '/tmp/pb-home',
      keychainService: 'PatchbayTest-1',
      sandboxPort: 5050,
      sandboxIssuer: 'http://127.0.0.1:5050',
    });
  });

  it('treats empty variables as unset and resolves a relative home', () => {
    const config = resolveConfig({
      HOME: '/home/ada',
      PATCHBAY_HOME: '',
      PATCHBAY_KEYCHAIN_SERVICE: ' ',
      PATCHBAY_SANDBOX_PORT: '',
    });
    expect(config.keychainService).toBe('Patchbay');
    expect(config.sandboxPort).toBe(47615);
    expect(resolveConfig({ PATCHBAY_HOME: 'rel/home' }).home).toBe(path.resolve('rel/home'));
  });

  it.each(['0', '65536', 'abc', '80.5', '-1', '12ab'])(
    'rejects PATCHBAY_SANDBOX_PORT=%s with a clear error',
    (value) => {
      let error: unknown;
      try {
        resolveConfig({ PATCHBAY_SANDBOX_PORT: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PatchbayError);
      expect((error as PatchbayError).code).toBe('invalid_input');
      expect((error as PatchbayError).field).toBe('PATCHBAY_SANDBOX_PORT');
      expect((error as PatchbayError).message).toContain('PATCHBAY_SANDBOX_PORT');
      expect((error as PatchbayError).message).toContain('1 to 65535');
    },
  );
});
