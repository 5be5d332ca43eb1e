/**
 * The strip under the toolbar: how many connections need the person (a live region, so the count
 * is read out when it changes), "Check all now", and on the web host "Allow notifications".
 *
 * Clicking the count moves focus to the first connection that needs you, then the next one on
 * each click: the rows are already sorted with those first, so focus (not a filter that hides
 * the working ones) is the shortest way there for mouse, keyboard and screen-reader users alike.
 */
import { useRef } from 'react';
import type { ConnectionView, HealthStatus } from '../../preload/contract';
import { needsYou, needsYouText } from '../../preload/attention';
import { connectionRowTarget, focusWhenReady } from '../focus';
import { healthLine } from '../health-words';
import type { NotificationAccess } from '../use-health';

export interface HealthBarProps {
  connections: ConnectionView[];
  status: HealthStatus | null;
  /** Null on the desktop app, which notifies from the main process. */
  permission: NotificationAccess | null;
  onCheckNow: () => void;
  onAllowNotifications: () => void;
}

/** Reveal a row that sits in a closed "Other ways to connect" group, then focus it. */
function focusRow(id: string): void {
  const find = connectionRowTarget(id);
  const row = document.querySelector(`[data-connection-id="${CSS.escape(id)}"]`);
  const group = row?.closest('details');
  if (group && !group.open) group.open = true;
  row?.scrollIntoView({ block: 'center' });
  focusWhenReady(find);
}

/** The health strip. */
export function HealthBar({ connections, status, permission, onCheckNow, onAllowNotifications }: HealthBarProps) {
  const attention = connections.filter(needsYou);
  const turn = useRef(0);
  const text = needsYouText(attention.length);

  const goToNext = () => {
    // Page order, so "next" means the next one down the page.
    const ids = new Set(attention.map((c) => c.id));
    const rows = [...document.querySelectorAll<HTMLElement>('[data-connection-id]')]
      .map((el) => el.dataset.connectionId ?? '')
      .filter((id) => ids.has(id));
    const list = rows.length > 0 ? rows : [...ids];
    const id = list[turn.current % list.length];
    turn.current += 1;
    if (id) focusRow(id);
  };

  return (
    <section className="health-bar" aria-label="Connection health">
      <div role="status" aria-live="polite" className="health-attention">
        {text ? (
          <button type="button" className="attention-count" onClick={goToNext}>
            {text}
          </button>
        ) : null}
      </div>
      <p className="health-line">{healthLine(status)}</p>
      {status?.settingProblem ? <p className="notice notice-error">{status.settingProblem}</p> : null}
      <div className="health-actions">
        {permission === 'default' ? (
          <button type="button" onClick={onAllowNotifications}>
            Allow notifications
          </button>
        ) : null}
        {permission === 'denied' ? (
          <span className="hint">Notifications are blocked for this page in your browser&apos;s settings.</span>
        ) : null}
        {connections.length > 0 ? (
          <button
            type="button"
            aria-disabled={status?.checking ? true : undefined}
            onClick={() => !status?.checking && onCheckNow()}
          >
            {status?.checking ? 'Checking…' : 'Check all now'}
          </button>
        ) : null}
      </div>
    </section>
  );
}
