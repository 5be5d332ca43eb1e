/**
 * Where keyboard focus goes after an action removes or replaces the control that started it.
 *
 * Connect, Cancel sign-in, Disconnect and Delete provider all take their own button away; left
 * alone, the browser drops focus to <body> and a keyboard or screen-reader user must start again
 * from the top. Each action instead names the place that now matters (the new row, the provider's
 * next step, the neighbouring row or provider) and focus moves there as soon as it is on screen
 * and no modal dialog holds the focus.
 */

/** How long a request waits for its target to appear before giving up. */
const WAIT_MS = 5_000;

let pending = 0;

/**
 * Focus the element `find` returns once it exists, is visible and no modal dialog is open.
 *
 * A newer request replaces an older one, so the last action wins. The target should be focusable
 * (a control, or an element with tabIndex -1).
 */
export function focusWhenReady(find: () => HTMLElement | null): void {
  const ticket = ++pending;
  const until = performance.now() + WAIT_MS;
  const attempt = () => {
    if (ticket !== pending || performance.now() > until) return;
    const el = find();
    const blocked = document.querySelector('dialog[open]') !== null;
    if (el && !blocked && el.checkVisibility()) {
      el.focus();
      if (document.activeElement === el) return;
    }
    requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

const byData = (name: string, value: string) => `[data-${name}="${CSS.escape(value)}"]`;

/** The text of one connection row (label, status, notice): where a finished action on it lands. */
export function connectionRowTarget(connectionId: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`${byData('connection-id', connectionId)} .connection-text`);
}

/** The provider's one next step (Set up, Connect, Connect another account). */
export function providerStepTarget(providerId: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`${byData('provider-id', providerId)} [data-next-step]`);
}

/** The provider's heading, or its sign-in status while one runs. */
export function providerFlowTarget(providerId: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`${byData('provider-id', providerId)} [data-flow-status]`);
}

/** The heading of a provider region. */
export function providerHeadingTarget(providerId: string): () => HTMLElement | null {
  return () => document.querySelector<HTMLElement>(`${byData('provider-id', providerId)} h3`);
}

/**
 * Where focus goes when a connection row is about to disappear: the next row, else the previous
 * one, else the provider's next step. Read from the page before the row goes.
 */
export function afterRowRemoved(connectionId: string, providerId: string): () => HTMLElement | null {
  const row = document.querySelector(byData('connection-id', connectionId));
  const sibling = (row?.nextElementSibling ?? row?.previousElementSibling) as HTMLElement | null | undefined;
  const neighbour = sibling?.dataset.connectionId;
  return neighbour ? connectionRowTarget(neighbour) : providerStepTarget(providerId);
}

/**
 * Where focus goes when a provider region is about to disappear: the heading of the next visible
 * provider, else the previous one, else the "Add a provider" button.
 */
export function afterProviderRemoved(providerId: string): () => HTMLElement | null {
  const regions = [...document.querySelectorAll<HTMLElement>('[data-provider-id]')].filter((el) =>
    el.checkVisibility(),
  );
  const at = regions.findIndex((el) => el.dataset.providerId === providerId);
  const neighbour = (regions[at + 1] ?? regions[at - 1])?.dataset.providerId;
  if (neighbour && neighbour !== providerId) return providerHeadingTarget(neighbour);
  return () => document.querySelector<HTMLElement>('[data-add-provider]');
}

/**
 * After Test or Refresh: focus that action's button in the row again (or the row's text when the
 * button is gone), but only when focus is still in the row or was dropped; never pull it back from
 * where the person went meanwhile.
 */
export function returnToAction(connectionId: string, action: string): void {
  const row = document.querySelector(byData('connection-id', connectionId));
  const active = document.activeElement;
  if (active && active !== document.body && !row?.contains(active)) return;
  const rowText = connectionRowTarget(connectionId);
  focusWhenReady(() => row?.querySelector<HTMLElement>(byData('action', action)) ?? rowText());
}
