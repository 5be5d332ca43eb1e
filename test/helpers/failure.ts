/**
 * Await a promise that must fail with a PatchbayError, and hand back the error so a test can
 * look at its code, field and sentence. A promise that resolves fails the test here.
 */
import { expect } from 'vitest';
import { PatchbayError } from '../../main/core/model/errors';

export async function failure(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PatchbayError);
  return error as PatchbayError;
}
