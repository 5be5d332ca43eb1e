/**
 * The import matrix (eslint.config.js, build/eslint-layers.js) refuses wrong-way imports.
 *
 * Lints source text as if it lived at a given path with the repo's real config, so the test
 * fails if the rule, the matrix or the config wiring stops catching them.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The probes are files that do not exist, so the type-aware rules (which need a real file in a
// tsconfig project) are switched off for them; the layer rule needs no types.
const eslint = new ESLint({
  cwd: path.resolve(import.meta.dirname, '../../..'),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layer import matrix', () => {
  // Loading the config and the TypeScript parser takes seconds on a busy machine; do it once.
  beforeAll(() => eslint.lintText('', { filePath: 'main/core/probe.ts' }), 60_000);

  it.each([
    [
      'main/core/flows/probe.ts',
      "export { ensureSandbox } from '../../sandbox/index';",
      'main/core may not import main/sandbox/index',
    ],
    [
      'main/core/flows/probe.ts',
      "export const load = () => import('../../web/web-host');",
      'main/core may not import main/web/web-host',
    ],
    [
      'main/core/model/probe.ts',
      "import { app } from 'electron';\nexport const a = app;",
      'main/core may not import the package "electron"',
    ],
    [
      'main/sandbox/probe.ts',
      "export { openCliCore } from '../cli/core';",
      'main/sandbox may not import main/cli/core',
    ],
    [
      'main/sandbox/probe.ts',
      "export { createCore } from '../core/facade/create-core';",
      'main/sandbox may not import main/core/facade/create-core',
    ],
    [
      'main/cli/probe.ts',
      "export { startWebHost } from '../web/web-host';",
      'main/cli may not import main/web/web-host',
    ],
    ['main/web/probe.ts', "export { sendEvent } from '../electron/ipc';", 'main/web may not import main/electron/ipc'],
    [
      'renderer/probe.ts',
      "export { PatchbayError } from '../main/core/model/errors';",
      'renderer may not import main/core/model/errors',
    ],
    [
      'renderer/probe.ts',
      "export { CHANNELS } from '../preload/contract';",
      'renderer may import only types from preload/contract',
    ],
    [
      'renderer/probe.ts',
      "import fs from 'node:fs';\nexport const f = fs;",
      'renderer may not import the package "node:fs"',
    ],
    ['renderer/probe.ts', "import fs from 'fs';\nexport const f = fs;", 'renderer may not import the package "fs"'],
  ])('%s: %s', async (file, code, expected) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ['main/cli/probe.ts', "export { createDefaultCore } from '../core/facade/create-core';"],
    ['main/web/probe.ts', "export { startSandbox } from '../sandbox/starter';"],
    ['main/sandbox/probe.ts', "export { PatchbayError } from '../core/model/errors';"],
    ['renderer/probe.ts', "export type { ConnectionView } from '../preload/contract';"],
    ['renderer/probe.ts', "export { invokePath } from '../preload/web-transport';"],
    ['test/unit/probe.ts', "export { ensureSandbox } from '../../main/sandbox/index';"],
  ])('%s may: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
