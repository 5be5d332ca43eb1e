import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinaryPath } from '../../e2e/electron-host';

describe('electronBinaryPath', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-electron-path-'));
    fs.mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writePathTxt = (value: string) => fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), value);
  const touch = (file: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    return file;
  };

  it('is null when electron was installed without its binary (no path.txt)', () => {
    expect(electronBinaryPath({}, root)).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', () => {
    writePathTxt('electron');
    expect(electronBinaryPath({}, root)).toBeNull();
  });

  it('finds the binary named by path.txt under dist/', () => {
    writePathTxt('electron');
    const binary = touch(path.join(root, 'node_modules', 'electron', 'dist', 'electron'));
    expect(electronBinaryPath({}, root)).toBe(binary);
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH instead of dist/', () => {
    const override = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-electron-dist-'));
    try {
      const binary = touch(path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron'));
      expect(electronBinaryPath({ ELECTRON_OVERRIDE_DIST_PATH: override }, root)).toBe(binary);
    } finally {
      fs.rmSync(override, { recursive: true, force: true });
    }
  });

  it('reports this checkout honestly (no binary is downloaded by asking)', () => {
    const here = electronBinaryPath();
    if (here !== null) expect(fs.existsSync(here)).toBe(true);
    expect(fs.existsSync(path.join('node_modules', 'electron', 'dist')) || here === null || !!process.env.ELECTRON_OVERRIDE_DIST_PATH).toBe(true);
  });
});
