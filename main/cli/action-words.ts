/**
 * The CLI's wording of action slots (preload/action-words.ts): the command to run.
 *
 * Messages from the core and stored errors both pass through `cliText`, so a person at the
 * terminal is told what to type, never which button to click.
 */
import { fillActions, type ActionTarget, type ActionWords } from '../../preload/action-words';
import type { BridgeError } from '../../preload/contract';

const connection = (t: ActionTarget) => t.connectionId ?? '<connection>';

/** Commands for each next step. Trying a connect again about a known connection means reconnecting it. */
export const CLI_ACTIONS: ActionWords = {
  connect: (t) => (t.connectionId ? CLI_ACTIONS.reconnect(t) : `Run "patchbay connect ${t.providerId}"`),
  reconnect: (t) =>
    t.connectionId
      ? `Run "patchbay connect ${t.providerId} --reconnect ${t.connectionId}"`
      : `Run "patchbay connect ${t.providerId} --reconnect <connection>"`,
  setup: (t) =>
    `Run "patchbay credentials set ${t.providerId} --client-id <id>" (with --client-secret-stdin for a secret)`,
  test: (t) => `Run "patchbay test ${connection(t)}"`,
};

/** A message for the terminal. Without a known target the slots name placeholders. */
export function cliText(message: string, target: ActionTarget | null): string {
  return fillActions(message, CLI_ACTIONS, target ?? { providerId: '<provider>', providerName: 'the provider' });
}

/** A bridge error as the CLI prints it (human or --json): same fields, message in CLI words. */
export function cliError<T extends BridgeError>(error: T, target: ActionTarget | null): T {
  return { ...error, message: cliText(error.message, target) };
}
