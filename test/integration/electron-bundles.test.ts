/**
 * The Electron bundles as `vite build --mode electron` writes them (into a temp folder here):
 * an ESM main process that leaves `electron` and dependencies external, and ONE CommonJS preload
 * that loads nothing but `electron` — a sandboxed preload cannot load ESM or other files.
 * Nothing here runs Electron; the bundles are read as text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { CHANNELS } from '../../preload/contract';

let outDir: string;
let main: string;
let preload: string;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-electron-build-'));
  await build({ mode: 'electron', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  main = fs.readFileSync(path.join(outDir, 'main.js'), 'utf8');
  preload = fs.readFileSync(path.join(outDir, 'preload.cjs'), 'utf8');
}, 120_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('Electron bundles', () => {
  it('writes exactly main.js and preload.cjs', () => {
    expect(
      fs
        .readdirSync(outDir)
        .filter((f) => !fs.statSync(path.join(outDir, f)).isDirectory())
        .sort(),
    ).toEqual(['main.js', 'preload.cjs']);
  });

  it('preload.cjs requires only electron and uses no ESM syntax', () => {
    const requires = [...preload.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import[\s{*]/m);
    expect(preload).not.toMatch(/^\s*export\s/m);
    expect(preload).not.toMatch(/import\(/);
  });

  it('preload.cjs exposes window.patchbay with every contract channel name, never ipcRenderer', () => {
    expect(preload).toContain('exposeInMainWorld("patchbay"');
    for (const channel of CHANNELS) expect(preload).toContain(`"${channel}"`);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });

  it('main.js is ESM with electron and runtime dependencies left external', () => {
    expect(main).toMatch(/^import \{[^}]*\bapp\b[^}]*\} from "electron";/m);
    expect(main).toMatch(/from "electron-store";/);
    expect(main).not.toMatch(/\brequire\(/);
    // Electron's own package (which downloads binaries) must not have been inlined.
    expect(main).not.toContain('ELECTRON_OVERRIDE_DIST_PATH');
  });
});
