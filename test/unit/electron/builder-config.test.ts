/**
 * electron-builder.yml is checked with electron-builder's own validator (its JSON schema), and
 * the security-relevant keys are asserted one by one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// js-yaml and app-builder-lib come with electron-builder; they are what it uses itself.
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
};

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (): Config => yaml.load(fs.readFileSync('electron-builder.yml', 'utf8')) as Config;
const logger = { isEnabled: false, add: () => undefined };

// Loading app-builder-lib takes seconds on a busy machine.
describe('electron-builder.yml', { timeout: 60_000 }, () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(load(), logger)).resolves.toBeUndefined();
  });

  it('a misspelt key would be caught by the same validation', async () => {
    const config = load();
    config.electronFuses.runAsNodee = false;
    await expect(validateConfiguration(config, logger)).rejects.toThrow(/configuration/i);
  });

  it('hardens the fuses', () => {
    expect(load().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('registers the patchbay scheme and the Linux scheme handler', () => {
    const config = load();
    expect(config.protocols.flatMap((p: { schemes: string[] }) => p.schemes)).toEqual(['patchbay']);
    expect(config.linux.mimeTypes).toContain('x-scheme-handler/patchbay');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('packs the built app only and unpacks keytar from asar', () => {
    const config = load();
    expect(config.appId).toBe('app.patchbay.desktop');
    expect(config.productName).toBe('Patchbay');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.asarUnpack.some((glob: string) => glob.includes('keytar') && glob.endsWith('.node'))).toBe(true);
  });
});
