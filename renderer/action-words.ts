/**
 * The app's wording of action slots (preload/action-words.ts): the button to press.
 *
 * The Connect button reads "Connect another account" once a provider has a connection, and a
 * failed reconnect is retried with the row's Reconnect button, so the words follow what is on
 * screen at that moment.
 */
import { fillActions, type ActionTarget, type ActionWords } from '../preload/action-words';
import type { ConnectionView, ProviderView } from '../preload/contract';

/** Buttons for each next step. */
export const UI_ACTIONS: ActionWords = {
  connect: (t) => {
    if (t.connectionId) return 'Click Reconnect';
    return (t.connectionCount ?? 0) > 0 ? 'Click Connect another account' : 'Click Connect';
  },
  reconnect: () => 'Click Reconnect',
  setup: (t) => `Open Set up for ${t.providerName} and paste the client ID (and secret)`,
  test: () => 'Click Test connection',
};

/** A core message in the app's words. */
export function uiText(message: string, target: ActionTarget): string {
  return fillActions(message, UI_ACTIONS, target);
}

/** The target of a message about one connection. */
export function connectionTarget(c: ConnectionView): ActionTarget {
  return { providerId: c.providerId, providerName: c.providerName, connectionId: c.id };
}

/** The target of a message about a provider with `count` connections. */
export function providerTarget(p: ProviderView, count: number): ActionTarget {
  return { providerId: p.id, providerName: p.name, connectionCount: count };
}
