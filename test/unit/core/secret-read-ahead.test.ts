/**
 * The checks' keychain read-ahead: how far ahead it reads, how many reads at once, and that a
 * secret read ahead is handed out once and never when the read found nothing or failed.
 */
import { describe, expect, it } from 'vitest';
import { SecretReadAhead, READ_AHEAD_PARALLEL } from '../../../main/core/health/secret-read-ahead';
import type { CheckTarget } from '../../../main/core/health/check-runner';
import type { ConnectionSecret, SecretVault } from '../../../main/core/model/types';

/** A vault whose reads wait until the test answers them; it records every read and the peak in flight. */
function slowVault(answer: (id: string) => ConnectionSecret | null | Error = (id) => key(id)) {
  const reads: string[] = [];
  const open: Array<() => void> = [];
  let inFlight = 0;
  let peak = 0;
  const vault = {
    getConnectionSecret: (id: string) => {
      reads.push(id);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      return new Promise<ConnectionSecret | null>((resolve, reject) =>
        open.push(() => {
          inFlight -= 1;
          const value = answer(id);
          if (value instanceof Error) reject(value);
          else resolve(value);
        }),
      );
    },
  } as unknown as SecretVault;
  return {
    vault,
    reads,
    peak: () => peak,
    /** Answer every read waiting now, and let the reads they start begin. */
    async answerAll() {
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 50 && open.length > 0; i += 1) {
        for (const done of open.splice(0)) done();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

const key = (id: string): ConnectionSecret => ({ kind: 'apiKey', apiKey: `key-of-${id}` });
const targets = (host: string, n: number): CheckTarget[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${host}-${i}`, host }));

describe('secret read-ahead', () => {
  it('reads only `ahead` targets past the last one taken on each host, at most 4 at once', async () => {
    const v = slowVault();
    const ahead = new SecretReadAhead(v.vault, [...targets('a', 50), ...targets('b', 50)], 8);
    expect(v.peak()).toBeLessThanOrEqual(READ_AHEAD_PARALLEL);
    await v.answerAll();
    // Nothing taken yet: the first 8 of each host, not the other 84.
    expect([...v.reads].sort()).toEqual([...targets('a', 8), ...targets('b', 8)].map((t) => t.id).sort());
    expect(await ahead.take('a-0')).toEqual(key('a-0'));
    await v.answerAll();
    expect(v.reads).toContain('a-8');
    expect(v.reads).not.toContain('a-9');
    expect(v.reads.filter((id) => id.startsWith('b-'))).toHaveLength(8);
    expect(v.peak()).toBeLessThanOrEqual(READ_AHEAD_PARALLEL);
  });

  it('hands a secret out once; a retry reads the keychain itself', async () => {
    const v = slowVault();
    const ahead = new SecretReadAhead(v.vault, targets('a', 3), 4);
    await v.answerAll();
    expect(await ahead.take('a-1')).toEqual(key('a-1'));
    expect(await ahead.take('a-1')).toBeNull();
    expect(await ahead.take('not-a-target')).toBeNull();
  });

  it('never hands out a read that found nothing or failed: the check reads again itself', async () => {
    const v = slowVault((id) => (id === 'a-0' ? null : id === 'a-1' ? new Error('keychain locked') : key(id)));
    const ahead = new SecretReadAhead(v.vault, targets('a', 3), 4);
    await v.answerAll();
    expect(await ahead.take('a-0')).toBeNull();
    expect(await ahead.take('a-1')).toBeNull();
    expect(await ahead.take('a-2')).toEqual(key('a-2'));
  });

  it('reads a target out of order once, whichever comes first', async () => {
    const v = slowVault();
    const ahead = new SecretReadAhead(v.vault, targets('a', 20), 2);
    await v.answerAll();
    // A retry queue or another order: a target far ahead is asked for before its turn.
    expect(await ahead.take('a-15')).toBeNull();
    await v.answerAll();
    expect(v.reads.filter((id) => id === 'a-15')).toHaveLength(0);
    expect(v.reads).toEqual(expect.arrayContaining(['a-16', 'a-17']));
    expect(v.reads).not.toContain('a-18');
  });
});
