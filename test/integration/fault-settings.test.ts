/**
 * Settings faults: a damaged settings file, and several processes writing at once.
 *
 * A corrupt or schema-invalid file is moved aside with a timestamp (its bytes kept for recovery),
 * the person is told, and Patchbay still starts — checked through the web host's `app:info` (the
 * app's view) and the CLI as a real process. Concurrent writers — a core in this process and two
 * CLI processes — each add providers in a burst; every change must survive (read-modify-write
 * under the cross-process lock, never last-writer-wins on a stale copy).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDefaultCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { openSettings } from '../../main/core/storage/settings';
import { startWebHost } from '../../main/web/web-host';
import { cliEnv, runCli } from '../helpers/cli';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function home() {
  const env = await cliEnv();
  cleanups.push(env.cleanup);
  return env;
}

const DAMAGE: Array<[string, string]> = [
  ['not JSON', '{"schemaVersion": 1, "providers": [ {"id": "acme"'],
  [
    'schema-invalid JSON',
    JSON.stringify({
      schemaVersion: 1,
      providers: 'nope',
      clients: [],
      connections: [{ id: 5 }],
      preferences: { theme: 'neon' },
    }),
  ],
];

describe('a damaged settings file', () => {
  it.each(DAMAGE)(
    '%s: moved aside with a timestamp, reported by the app, and the app still starts',
    async (_name, content) => {
      const { home: dir, env } = await home();
      await writeFile(path.join(dir, 'settings.json'), content);
      const settings = openSettings({ home: dir });
      const core = createDefaultCore({
        env: { ...env, PATCHBAY_HOME: dir },
        settings,
        authorizers: [createLoopbackAuthorizer({ openUrl: () => undefined })],
      });
      const host = await startWebHost({
        core,
        staticDir: dir,
        port: 0,
        version: 'test',
        settingsNotice: () => settings.notice,
      });
      cleanups.push(() => host.close());
      const res = await fetch(`${host.origin}/api/invoke/app:info`, {
        method: 'POST',
        headers: { origin: host.origin, 'x-patchbay-key': host.key, 'content-type': 'application/json' },
        body: '[]',
      });
      const info = (await res.json()) as { ok: boolean; value: { settingsNotice: string | null } };
      expect(info.ok).toBe(true);
      const moved = (await readdir(dir)).filter((f) => /^settings\.corrupt-\d{4}-\d\d-\d\dT[\d.]+Z\.json$/.test(f));
      expect(moved).toHaveLength(1);
      expect(await readFile(path.join(dir, moved[0]!), 'utf8')).toBe(content);
      expect(info.value.settingsNotice).toContain(moved[0]);
      // Still starts and works: providers are listed, a change can be saved.
      expect((await core.listProviders()).some((p) => p.id === 'sandbox')).toBe(true);
      await core.saveProvider({
        id: 'after',
        name: 'After',
        authorizationUrl: 'https://a.example.com/a',
        tokenUrl: 'https://a.example.com/t',
      });
      expect(
        openSettings({ home: dir })
          .read()
          .providers.map((p) => p.id),
      ).toEqual(['after']);
    },
  );

  it(
    'the CLI still starts on a damaged file, moves it aside and tells the person on stderr',
    { timeout: 60_000 },
    async () => {
      const { home: dir, env } = await home();
      await writeFile(path.join(dir, 'settings.json'), DAMAGE[0]![1]);
      const result = await runCli(['status', '--json'], env);
      // Not an empty list with exit 0 as if nothing were wrong: the command fails and says why.
      expect(result.code).toBe(1);
      const moved = (await readdir(dir)).filter((f) => f.startsWith('settings.corrupt-'));
      expect(moved).toHaveLength(1);
      // "Reported": a person running the CLI must learn that their settings were reset, and where the old file went.
      expect(`${result.stdout}\n${result.stderr}`).toContain(moved[0]);
    },
  );
});

describe("concurrent writers never lose each other's changes", () => {
  it(
    'a core in this process and two CLI processes importing providers at the same time: every provider survives',
    { timeout: 180_000 },
    async () => {
      const { home: dir, env } = await home();
      const files: string[] = [];
      for (const proc of ['a', 'b']) {
        for (let round = 0; round < 2; round += 1) {
          const file = path.join(dir, '..', `${path.basename(dir)}-${proc}${round}.json`);
          const defs = Array.from({ length: 3 }, (_, i) => ({
            id: `cli-${proc}-${round}-${i}`,
            name: `CLI ${proc}${round}${i}`,
            authorizationUrl: 'https://x.example.com/a',
            tokenUrl: 'https://x.example.com/t',
          }));
          await writeFile(file, JSON.stringify(defs));
          files.push(file);
          cleanups.push(() => import('node:fs/promises').then((fs) => fs.rm(file, { force: true })));
        }
      }
      const core = createDefaultCore({ env, authorizers: [] });
      const cliWriter = async (proc: 'a' | 'b') => {
        for (let round = 0; round < 2; round += 1) {
          const r = await runCli(['providers', 'import', files[(proc === 'a' ? 0 : 2) + round]!], env);
          expect(r.code, r.stderr).toBe(0);
        }
      };
      // The core keeps writing for as long as the CLI processes run, so their writes interleave.
      let clisDone = false;
      let coreWrites = 0;
      const coreWriter = async () => {
        while (!clisDone || coreWrites < 10) {
          await core.saveProvider({
            id: `core-${coreWrites}`,
            name: `Core ${coreWrites}`,
            authorizationUrl: 'https://y.example.com/a',
            tokenUrl: 'https://y.example.com/t',
          });
          coreWrites += 1;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await Promise.all([
        Promise.all([cliWriter('a'), cliWriter('b')]).finally(() => {
          clisDone = true;
        }),
        coreWriter(),
      ]);
      const ids = openSettings({ home: dir })
        .read()
        .providers.map((p) => p.id)
        .sort();
      const expected = [
        ...Array.from({ length: coreWrites }, (_, i) => `core-${i}`),
        ...['a', 'b'].flatMap((p) => [0, 1].flatMap((r) => [0, 1, 2].map((i) => `cli-${p}-${r}-${i}`))),
      ].sort();
      expect(ids).toEqual(expected);
      expect((await readdir(dir)).filter((f) => f.startsWith('settings.corrupt-'))).toEqual([]);
    },
  );
});
