/**
 * The fingerprint of the settings rules (settings-rules.ts) must change whenever the code that
 * decides whether a settings file passes changes; otherwise a checked copy written under the old
 * rules would vouch for a file the new rules refuse.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SETTINGS_RULE_SOURCES,
  settingsRulesFingerprint,
  settingsRulesFingerprintAt,
} from '../../../main/core/storage/settings-rules';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The repository files a module loads at run time: its relative imports, except `import type`. */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'/gm)) {
    const base = path.join(path.dirname(file), m[1]!);
    const resolved = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base].find((candidate) =>
      fs.existsSync(path.join(ROOT, candidate)),
    );
    if (!resolved) throw new Error(`${file} imports ${m[1]}, which is not a file here`);
    found.push(resolved.split(path.sep).join('/'));
  }
  return found;
}

/** Every repository module the settings store loads to check a file, settings.ts included. */
function checkingModules(): string[] {
  const seen = new Set<string>();
  const queue = ['main/core/storage/settings.ts'];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...runtimeImports(file));
  }
  return [...seen].sort();
}

describe('the settings rules fingerprint', () => {
  it('covers every module the settings store loads to check a file', () => {
    const modules = checkingModules();
    // The scan itself must find the schema, or it proves nothing.
    expect(modules).toContain('main/core/providers/provider-schema.ts');
    const missing = modules.filter((file) => !SETTINGS_RULE_SOURCES.includes(file));
    expect(missing, 'add these to SETTINGS_RULE_SOURCES in main/core/storage/settings-rules.ts').toEqual([]);
  });

  it('changes when any rule source or the zod version changes, and only then', () => {
    const copyRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-rules-'));
    try {
      for (const file of [...SETTINGS_RULE_SOURCES, 'node_modules/zod/package.json']) {
        fs.mkdirSync(path.dirname(path.join(copyRoot, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(copyRoot, file));
      }
      const original = settingsRulesFingerprintAt(copyRoot);
      expect(original).toBe(settingsRulesFingerprintAt(ROOT));
      const seen = new Set([original]);
      for (const file of SETTINGS_RULE_SOURCES) {
        const at = path.join(copyRoot, file);
        const text = fs.readFileSync(at, 'utf8');
        fs.writeFileSync(at, `${text}\n`);
        seen.add(settingsRulesFingerprintAt(copyRoot));
        fs.writeFileSync(at, text);
      }
      const zodPackage = path.join(copyRoot, 'node_modules/zod/package.json');
      const zod = JSON.parse(fs.readFileSync(zodPackage, 'utf8')) as { version: string };
      fs.writeFileSync(zodPackage, JSON.stringify({ ...zod, version: `${zod.version}-next` }));
      seen.add(settingsRulesFingerprintAt(copyRoot));
      expect(seen.size).toBe(SETTINGS_RULE_SOURCES.length + 2);
    } finally {
      fs.rmSync(copyRoot, { recursive: true, force: true });
    }
  });

  it('is the fingerprint of these sources when they run unbuilt', () => {
    expect(settingsRulesFingerprint()).toBe(settingsRulesFingerprintAt(ROOT));
    expect(settingsRulesFingerprint()).toMatch(/^[0-9a-f]{32}$/);
  });
});
