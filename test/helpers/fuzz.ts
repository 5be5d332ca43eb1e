/**
 * Shared settings for the fuzz suites: one seed (PATCHBAY_FUZZ_SEED replays a failure), 10,000
 * cases per property, and a failure message that says how to replay it.
 */
import fc from 'fast-check';

export const SEED = Number(process.env.PATCHBAY_FUZZ_SEED ?? 20_261_121);
export const RUNS = 10_000;

/** Assert a property with the shared seed; the error names the seed to replay. */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, runs = RUNS): void {
  try {
    fc.assert(property, { numRuns: runs, seed: SEED });
  } catch (error) {
    throw new Error(`fuzz failure (replay with PATCHBAY_FUZZ_SEED=${SEED}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
