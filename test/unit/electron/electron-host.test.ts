import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinaryPath, electronPlan } from '../../e2e/electron-host';

describe('electronBinaryPath', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-electron-path-'));
    fs.mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const writePathTxt = (value: string) =>
    fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), value);
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
});

describe('electronPlan (what the Playwright electron project does here)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-electron-plan-'));
    fs.mkdirSync(path.join(root, 'node_modules', 'electron'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const installBinary = () => {
    const binary = path.join(root, 'node_modules', 'electron', 'dist', 'electron');
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    fs.writeFileSync(binary, '');
    fs.writeFileSync(path.join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    return binary;
  };

  it('without a binary it skips, and the reason says how to install one', () => {
    const plan = electronPlan({}, root);
    expect(plan.kind).toBe('skip');
    expect(plan.kind === 'skip' && plan.reason).toContain('npx install-electron --no');
  });

  it('without a binary and PATCHBAY_REQUIRE_ELECTRON=1 it fails, naming the variable and the install command', () => {
    const plan = electronPlan({ PATCHBAY_REQUIRE_ELECTRON: '1' }, root);
    expect(plan).toEqual({
      kind: 'fail',
      reason: expect.stringMatching(/^PATCHBAY_REQUIRE_ELECTRON=1, but: .*npx install-electron --no/),
    });
  });

  it.each(['0', '', 'yes', 'true'])('PATCHBAY_REQUIRE_ELECTRON=%j does not require Electron', (value) => {
    expect(electronPlan({ PATCHBAY_REQUIRE_ELECTRON: value }, root).kind).toBe('skip');
  });

  it('with a binary it runs, required or not', () => {
    const binary = installBinary();
    expect(electronPlan({}, root)).toEqual({ kind: 'run', binary });
    expect(electronPlan({ PATCHBAY_REQUIRE_ELECTRON: '1' }, root)).toEqual({ kind: 'run', binary });
  });
});
