/**
 * Classic zod cannot come back: eslint.config.js refuses every zod import except `zod/mini` in
 * main/core/model/zod.ts, which also installs the English messages.
 *
 * Classic zod cannot be tree-shaken, so one classic import anywhere in main/ or preload/ would put
 * the whole 188 KB classic build back into every CLI start. Lints source text as if it lived at a
 * given path with the repo's real config, so the test fails if the rule or its wiring goes away.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Probe files do not exist, so the type-aware rules (which need a real file in a tsconfig
// project) are off; the import rules need no types.
const eslint = new ESLint({
  cwd: path.resolve(import.meta.dirname, '../../..'),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function zodErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('zod imports', () => {
  beforeAll(() => eslint.lintText('', { filePath: 'main/core/probe.ts' }), 60_000);

  it.each([
    ['main/core/providers/probe.ts', "import { z } from 'zod';\nexport const s = z.string();"],
    ['main/core/storage/probe.ts', "import * as z from 'zod/v4';\nexport const s = z.string();"],
    ['main/core/facade/probe.ts', "import { z } from 'zod/v4/classic';\nexport const s = z.string();"],
    ['main/core/diagnosis/probe.ts', "export { z } from 'zod';"],
    ['main/core/diagnosis/probe.ts', "import type { ZodType } from 'zod';\nexport type T = ZodType;"],
    ['main/cli/probe.ts', "export const load = () => import('zod');"],
    ['main/electron/ipc.ts', "export const load = () => import('zod/v4');"],
    ['preload/probe.ts', "import { z } from 'zod';\nexport const s = z.string();"],
    ['renderer/probe.ts', "import { z } from 'zod';\nexport const s = z.string();"],
    ['test/unit/probe.test.ts', "import { z } from 'zod';\nexport const s = z.string();"],
    // zod/mini outside the one module would parse without the English messages.
    ['main/core/storage/probe.ts', "import { z } from 'zod/mini';\nexport const s = z.string();"],
    ['main/core/model/zod.ts', "import * as z from 'zod';\nexport { z };"],
  ])('%s: %s is refused with the reason', async (filePath, code) => {
    const errors = await zodErrors(filePath, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/main\/core\/model\/zod.*classic zod cannot be tree-shaken/);
  });

  it('accepts z from main/core/model/zod, and zod/mini inside that module', async () => {
    expect(
      await zodErrors(
        'main/core/providers/probe.ts',
        "import { z } from '../model/zod';\nexport const s = z.string();",
      ),
    ).toEqual([]);
    expect(
      await zodErrors(
        'main/core/model/zod.ts',
        "import * as z from 'zod/mini';\nz.config(z.locales.en());\nexport { z };",
      ),
    ).toEqual([]);
  });
});
