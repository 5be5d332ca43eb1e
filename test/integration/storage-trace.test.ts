/**
 * Traces are appended without a lock (one part file per flow, folded into the base file under a
 * lock once there are many parts). Several processes appending at once must lose no entry and
 * show none twice, including across the folds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_TRACE_PARTS, loadTrace } from '../../main/core/storage/trace';
import { spawnTs } from '../helpers/node-child';

const homes: string[] = [];
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => rm(h, { recursive: true, force: true })));
});

describe('trace appends across processes', () => {
  it('4 processes x 30 appends: every entry once, through several folds', { timeout: 120_000 }, async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'pb-trace-'));
    homes.push(home);
    const perChild = 30;
    expect(4 * perChild).toBeGreaterThan(MAX_TRACE_PARTS * 2); // enough appends to force folds
    const codes = await Promise.all(
      [0, 1, 2, 3].map(
        (who) =>
          new Promise<number | null>((resolve) => {
            const child = spawnTs(
              'test/helpers/trace-append-child.ts',
              [home, String(who), String(perChild)],
              process.env,
            );
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => {
              stderr += d.toString();
            });
            child.on('close', (code) => {
              if (code !== 0) console.error(stderr);
              resolve(code);
            });
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const steps = (await loadTrace(home, 'conn:shared')).entries.map((e) => e.step);
    expect(steps).toHaveLength(4 * perChild);
    expect(new Set(steps).size).toBe(4 * perChild);
    for (const who of [0, 1, 2, 3]) {
      const mine = steps.filter((s) => s.startsWith(`p${who}-`)).map((s) => Number(s.split('-')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b)); // each process's entries keep their order
    }
  });
});
