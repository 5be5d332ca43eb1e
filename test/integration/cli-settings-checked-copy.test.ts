/**
 * The `patchbay` CLI as it runs in CI (the built dist/node under test/run-all.sh) checks settings
 * files with the same rules as these sources: it takes a checked copy stamped with the sources'
 * fingerprint as checked, and checks a file in full when the copy carries any other fingerprint.
 * A build that carried another fingerprint (a stale build, a `define` lost from vite.config.ts)
 * would either check every file in full or trust copies it should not; the first case fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKED_COPY_SUFFIX } from '../../main/core/storage/settings';
import { settingsRulesFingerprint } from '../../main/core/storage/settings-rules';
import { cliEnv, runCli, type CliEnv } from '../helpers/cli';

let env: CliEnv | null = null;
afterEach(async () => {
  await env?.cleanup();
  env = null;
});

/** A document the schema refuses only for a preference `status` never reads. */
const refused = JSON.stringify(
  {
    schemaVersion: 1,
    providers: [],
    clients: {},
    connections: [],
    preferences: { theme: 'purple' },
  },
  undefined,
  '\t',
);

async function statusWithCopy(rules: string) {
  env = await cliEnv();
  const file = path.join(env.home, 'settings.json');
  fs.writeFileSync(file, refused);
  fs.writeFileSync(
    `${file}${CHECKED_COPY_SUFFIX}`,
    `Patchbay checked the settings text below with rules ${rules}.\n${refused}`,
  );
  const result = await runCli(['status'], env.env);
  return { ...result, kept: fs.existsSync(file) && fs.readFileSync(file, 'utf8') === refused };
}

describe('the CLI and checked copies of the settings', () => {
  it('takes a copy stamped with these sources’ rules as checked', async () => {
    const r = await statusWithCopy(settingsRulesFingerprint());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^No connections yet/);
    expect(r.kept).toBe(true);
  });

  it('checks the file in full under a copy stamped with other rules', async () => {
    const r = await statusWithCopy('0'.repeat(32));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/could not be read \("preferences\.theme" is not valid\)/);
    expect(r.kept).toBe(false);
  });
});
