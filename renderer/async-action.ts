/**
 * Async work started from React event handlers and effects, with its failure shown, not lost.
 *
 * React ignores what an event handler returns, so `onClick={async () => ...}` turns a rejection
 * into an unhandled one: the dialog stays "Working…" and the person is told nothing. The bridge
 * answers with a Result for every expected failure; what is left is the unexpected (an IPC call
 * that fails in Electron, a bug), and these helpers turn it into the same BridgeError shape the
 * components already display.
 */
import type { BridgeError, Result } from '../preload/contract';

/** The message of anything thrown, bounded so a huge error cannot flood the page. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** An unexpected failure as a BridgeError a dialog can show, with what to do next. */
export function unexpectedError(error: unknown): BridgeError {
  return {
    code: 'internal',
    message: `Patchbay could not finish that (${messageOf(error)}). Try again; if it keeps happening, restart Patchbay.`,
  };
}

/**
 * A void event handler that runs `action` and hands any rejection to `onError`.
 *
 * Use it for every async handler in JSX: `onSubmit={asyncAction(submit, showError)}`. `onError`
 * should also undo any "busy" state the action set, since the action did not get to.
 */
export function asyncAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
  onError: (error: BridgeError) => void,
): (...args: A) => void {
  return (...args: A) => {
    action(...args).catch((error: unknown) => onError(unexpectedError(error)));
  };
}

/**
 * A bridge call that never rejects: an unexpected failure (an IPC call that fails in Electron, a
 * bug) becomes the same failed Result every action already shows, so a click started with `void`
 * always ends in a notice and never leaves a row "busy".
 */
export function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  return call.catch((error: unknown) => ({ ok: false as const, error: unexpectedError(error) }));
}
