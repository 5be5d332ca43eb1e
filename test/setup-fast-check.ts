/**
 * Every property test runs from a fixed seed, so a CI run is reproducible; a failure prints its
 * seed and path. Set PATCHBAY_FUZZ_SEED to explore other inputs (or to replay one).
 */
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.PATCHBAY_FUZZ_SEED ?? 20261121) });
