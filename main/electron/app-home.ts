/**
 * Step 0: decide where this app instance keeps its files, before anything reads `userData`.
 *
 * Patchbay's settings folder and Electron's `userData` are the same folder by default
 * (`~/.config/Patchbay`, `~/Library/Application Support/Patchbay`, `%APPDATA%/Patchbay`), so
 * the CLI and the app share one settings file. PATCHBAY_HOME moves both: tests and Playwright
 * runs get a throwaway folder for settings *and* Chromium's profile. It must run before the
 * single-instance lock, because Electron keeps that lock inside `userData` — that is also what
 * lets two isolated test instances run side by side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { resolveConfig, type PatchbayConfig } from '../core/model/config';

/** Resolve the config and point Electron's userData at PATCHBAY_HOME when it is set. */
export function applyHome(env: Record<string, string | undefined>): PatchbayConfig {
  const config = resolveConfig(env);
  if (env.PATCHBAY_HOME?.trim()) {
    fs.mkdirSync(config.home, { recursive: true, mode: 0o700 });
    app.setPath('userData', config.home);
  }
  return config;
}

/** Where the bundles live at run time (dist/electron/main.js is this file once built). */
export interface BundlePaths {
  preload: string;
  renderer: string;
}

/** Paths of the preload bundle and the built renderer, relative to the running main bundle. */
export function bundlePaths(moduleUrl: string): BundlePaths {
  const here = path.dirname(fileURLToPath(moduleUrl));
  return {
    preload: path.join(here, 'preload.cjs'),
    renderer: path.resolve(here, '..', 'renderer'),
  };
}
