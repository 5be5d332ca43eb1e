/**
 * asyncAction: an async event handler's rejection reaches the component as a BridgeError it can
 * show (and nothing is left as an unhandled rejection); a resolved action reports nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import { asyncAction, settle, unexpectedError } from '../../../renderer/async-action';

/** Resolves once the microtasks queued by a handler have run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('asyncAction', () => {
  it('hands a rejection to onError as an internal error with the reason and what to do', async () => {
    const onError = vi.fn();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const handler = asyncAction(async (n: number) => {
        throw new Error(`IPC failed ${n}`);
      }, onError);
      expect(handler(7)).toBeUndefined();
      await settled();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]?.[0]).toMatchObject({
        code: 'internal',
        message: expect.stringContaining('(IPC failed 7). Try again'),
      });
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('passes the arguments through and stays quiet when the action succeeds', async () => {
    const onError = vi.fn();
    const seen: string[] = [];
    asyncAction(async (a: string, b: string) => {
      seen.push(a + b);
    }, onError)('x', 'y');
    await settled();
    expect(seen).toEqual(['xy']);
    expect(onError).not.toHaveBeenCalled();
  });

  it('bounds a huge error message', () => {
    expect(unexpectedError('e'.repeat(10_000)).message.length).toBeLessThan(450);
    expect(unexpectedError({ toString: () => 'odd' }).message).toContain('(odd)');
  });
});

describe('settle', () => {
  it('turns a rejected bridge call into a failed Result with the reason, and passes answers through', async () => {
    await expect(settle(Promise.reject(new Error('ipc channel closed')))).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('(ipc channel closed)') },
    });
    await expect(settle(Promise.resolve({ ok: true as const, value: 3 }))).resolves.toEqual({ ok: true, value: 3 });
    const failed = { ok: false as const, error: { code: 'not_found' as const, message: 'gone' } };
    await expect(settle(Promise.resolve(failed))).resolves.toBe(failed);
  });
});
