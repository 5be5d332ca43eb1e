/**
 * Action slots: one message, worded for the interface that shows it.
 *
 * The core writes each message once and marks the next step with a slot ("{connect} to try
 * again."). The app fills the slot with its button ("Click Connect"), the CLI with its command
 * (`Run "patchbay connect sandbox"`), so neither interface tells a person to use the other one's
 * controls and the sentence itself is never copied. Imported by the renderer and the CLI; free of
 * imports like contract.ts.
 */

/** The next steps a message can point to. */
export const ACTION_SLOTS = ['connect', 'reconnect', 'setup', 'test'] as const;
export type ActionSlot = (typeof ACTION_SLOTS)[number];

/** What the slot is about, from wherever the message is shown. */
export interface ActionTarget {
  providerId: string;
  providerName: string;
  /** The connection the message is about, when there is one. */
  connectionId?: string | null;
  /** How many connections the provider has (the app's Connect button changes its label). */
  connectionCount?: number;
}

/** One interface's wording: an imperative phrase per slot, starting with a capital letter. */
export type ActionWords = { readonly [S in ActionSlot]: (target: ActionTarget) => string };

const SLOT = /\{(connect|reconnect|setup|test)\}/g;

/** Fill every slot of `message` with `words` for `target`; text without slots is returned as is. */
export function fillActions(message: string, words: ActionWords, target: ActionTarget): string {
  return message.replace(SLOT, (_, slot: ActionSlot) => words[slot](target));
}

/** True when `message` still has a slot in it (for tests and guards). */
export function hasActionSlot(message: string): boolean {
  return new RegExp(SLOT.source).test(message);
}
