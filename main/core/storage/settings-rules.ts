/**
 * Which rules a settings file was checked with: a fingerprint of the code that checks it.
 *
 * Every Patchbay process that writes the settings file also leaves a copy of the exact text it
 * checked beside it, stamped with this fingerprint (settings.ts, "checked copy"). Another process
 * that finds the file still holding that text, checked by the same rules, can use it without
 * building zod's schemas and checking every record again, a good part of the start-up of
 * `patchbay token`, `exec` and `request`. A Patchbay with other rules (another version, a changed schema) has
 * another fingerprint and checks the file in full.
 *
 * The fingerprint is a SHA-256 over the source files that decide whether a file passes (listed
 * below: the store, which parses and migrates, and every module it loads for the check; a unit test
 * fails when one is missing from the list) and the version of zod. A build computes it once and writes it into the bundle (vite.config.ts), so running
 * Patchbay loads neither node:crypto nor these files for it; unbuilt code (tests, tsx) computes it
 * from the same files when first asked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files whose code decides whether a settings file passes, relative to the repository root. */
export const SETTINGS_RULE_SOURCES: readonly string[] = [
  'main/core/storage/settings.ts',
  'main/core/storage/settings-rules.ts',
  'main/core/storage/settings-schema.ts',
  'main/core/providers/provider-schema.ts',
  'main/core/providers/provider-text.ts',
  'main/core/model/zod.ts',
  'main/core/model/errors.ts',
  'preload/contract.ts',
];

/** The fingerprint of the rules in the repository at `root` (the build calls this). */
export function settingsRulesFingerprintAt(root: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  const hash = createHash('sha256');
  for (const source of SETTINGS_RULE_SOURCES) {
    hash.update(`${source}\0`);
    hash.update(fs.readFileSync(path.join(root, source)));
    hash.update('\0');
  }
  const zod = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/zod/package.json'), 'utf8')) as {
    version: string;
  };
  hash.update(`zod@${zod.version}`);
  return hash.digest('hex').slice(0, 32);
}

/** Written into built bundles by vite.config.ts (`define`); absent when the sources run unbuilt. */
declare const __PATCHBAY_SETTINGS_RULES__: string | undefined;

let unbuilt: string | null = null;

/** The fingerprint of the rules this Patchbay checks settings files with. */
export function settingsRulesFingerprint(): string {
  if (typeof __PATCHBAY_SETTINGS_RULES__ === 'string') return __PATCHBAY_SETTINGS_RULES__;
  return (unbuilt ??= settingsRulesFingerprintAt(path.resolve(fileURLToPath(import.meta.url), '../../../..')));
}
