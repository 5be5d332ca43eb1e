/**
 * electron-builder.yml is checked with electron-builder's own validator (its JSON schema) and with
 * the checks electron-builder runs per target before it builds (its own functions, called on our
 * package.json and config), and the security-relevant keys are asserted one by one.
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
const pkg = (): Config => JSON.parse(fs.readFileSync('package.json', 'utf8')) as Config;

const { checkMetadata } = require('app-builder-lib/out/util/packageMetadata') as {
  checkMetadata(metadata: Config, devMetadata: Config, appFile: string, devFile: string): void;
};
const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget') as { default: { prototype: Config } }).default;
const { AppInfo } = require('app-builder-lib/out/appInfo') as {
  AppInfo: new (info: Config, buildVersion: null, options: Config) => Config;
};

/**
 * What the deb target checks before building (FpmTarget.computeFpmMetaInfoOptions: a homepage,
 * and a maintainer from linux.maintainer or the package.json author's e-mail), run on a target
 * built from our files the way electron-builder builds it (options = linux merged with deb).
 */
async function debMetaInfo(metadata: Config, config: Config): Promise<Config> {
  const appInfo = new AppInfo(
    { metadata, devMetadata: metadata, config, repositoryInfo: Promise.resolve(null) },
    null,
    config.linux,
  );
  const target = Object.assign(Object.create(FpmTarget.prototype), {
    options: { ...config.linux, ...config.deb },
    packager: { appInfo, info: { metadata } },
  });
  return target.computeFpmMetaInfoOptions();
}

/** Every target electron-builder.yml builds, and electron-builder's own pre-build check for it. */
const REQUIRED_BY_TARGET: Record<string, (metadata: Config, config: Config) => Promise<unknown>> = {
  // name and version (packageMetadata.checkMetadata) for every target ...
  AppImage: async (metadata) => checkMetadata(metadata, metadata, 'package.json', 'package.json'),
  dmg: async (metadata) => checkMetadata(metadata, metadata, 'package.json', 'package.json'),
  nsis: async (metadata) => checkMetadata(metadata, metadata, 'package.json', 'package.json'),
  // ... and for deb also homepage and the maintainer's e-mail.
  deb: async (metadata, config) => {
    checkMetadata(metadata, metadata, 'package.json', 'package.json');
    return debMetaInfo(metadata, config);
  },
};
const configuredTargets = (config: Config): string[] =>
  [config.linux.target, config.mac.target, config.win.target].flat();

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

  it('has a pre-build check for every configured target, and each passes', async () => {
    const config = load();
    for (const target of configuredTargets(config)) {
      expect(REQUIRED_BY_TARGET, `no requirement check for target ${target}`).toHaveProperty(target);
      await REQUIRED_BY_TARGET[target]!(pkg(), config);
    }
    await expect(debMetaInfo(pkg(), config)).resolves.toMatchObject({
      maintainer: expect.stringMatching(/<[^@\s]+@[^@\s]+>$/),
      url: expect.stringMatching(/^https:\/\//),
    });
  });

  it.each([
    ['homepage', (m: Config) => delete m.homepage, /homepage/],
    ["author's e-mail", (m: Config) => delete m.author.email, /author 'email'/],
    ['version', (m: Config) => delete m.version, /'version'/],
  ])('the deb target fails without the %s', async (_field, remove, message) => {
    const metadata = pkg();
    remove(metadata);
    await expect(REQUIRED_BY_TARGET.deb!(metadata, load())).rejects.toThrow(message);
  });

  it("deb depends on electron-builder's default libraries plus libsecret (keytar's Secret Service)", () => {
    const config = load();
    const defaults = FpmTarget.prototype.getDefaultDepends('deb') as string[];
    const effective: string[] = config.deb?.depends ?? defaults;
    expect(effective).toEqual(expect.arrayContaining([...defaults, 'libsecret-1-0']));
    expect(effective).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'xdg-utils']));
  });

  it('writes the patchbay scheme into the desktop entry once', () => {
    // LinuxTargetHelper.computeDesktopEntry: MimeType = linux.mimeTypes, then each file association's
    // type, then x-scheme-handler/<scheme> for every scheme in `protocols`.
    const config = load();
    const mimeTypes = [
      ...(config.linux.mimeTypes ?? []),
      ...config.protocols.flatMap((p: { schemes: string[] }) => p.schemes.map((s) => `x-scheme-handler/${s}`)),
    ];
    expect(mimeTypes.filter((m: string) => m === 'x-scheme-handler/patchbay')).toHaveLength(1);
    expect(new Set(mimeTypes).size).toBe(mimeTypes.length);
  });
});
