/**
 * One connection in a provider's list: its status in words, the one primary action for that
 * status, and the secondary ones (test, refresh, details, disconnect).
 *
 * Memoised and lean: a provider may list a thousand of these.
 */
import { memo } from 'react';
import type { ConnectionView } from '../../preload/contract';
import { lastCheckedAt } from '../../preload/attention';
import { checkedWords, exactTime } from '../health-words';
import { ACTION_LABELS, connectionStatusText, primaryAction, type ConnectionAction } from '../status-words';
import type { Notice } from '../use-patchbay';

export interface RowHandlers {
  act: (c: ConnectionView, action: ConnectionAction) => void;
  details: (c: ConnectionView) => void;
  disconnect: (c: ConnectionView) => void;
}

export interface ConnectionRowProps {
  connection: ConnectionView;
  /** Current time rounded to the minute (so rows re-render once a minute, not every tick). */
  now: number;
  busy: string | undefined;
  notice: Notice | undefined;
  handlers: RowHandlers;
}

/** "Checked 5 minutes ago", the exact time in its tooltip (and in Details). */
function CheckedAt({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="connection-checked">{checkedWords(null, now)}</span>;
  return (
    <time className="connection-checked" dateTime={iso} title={exactTime(iso)}>
      {checkedWords(iso, now)}
    </time>
  );
}

const BUSY_WORDS: Record<string, string> = { test: 'Testing…', refresh: 'Renewing…', disconnect: 'Disconnecting…' };

function ConnectionRowImpl({ connection: c, now, busy, notice, handlers }: ConnectionRowProps) {
  const primary = primaryAction(c);
  const secondary: ConnectionAction[] = (['test', 'refresh'] as const).filter(
    (a) => a !== primary && (a !== 'refresh' || c.canRefresh),
  );
  const statusClass =
    c.status === 'connected' || c.status === 'expiring'
      ? 'ok'
      : c.status === 'expired' && c.canRefresh
        ? 'warn'
        : 'bad';
  return (
    <li className="connection" data-connection-id={c.id}>
      {/* tabIndex -1: focus lands here after an action on the row; it reads label, status and notice. */}
      <div className="connection-text" tabIndex={-1}>
        <span className="connection-label">{c.label}</span>
        <span className={`connection-status status-${statusClass}`}>{connectionStatusText(c, now)}</span>
        <CheckedAt iso={lastCheckedAt(c)} now={now} />
        {busy ? <span className="busy">{BUSY_WORDS[busy] ?? 'Working…'}</span> : null}
        {notice ? <span className={`notice notice-${notice.kind}`}>{notice.text}</span> : null}
      </div>
      <div className="connection-actions">
        {[primary, ...secondary].map((a) => (
          // aria-disabled, not disabled: a disabled button loses the keyboard focus while it works.
          <button
            key={a}
            type="button"
            className={a === primary ? 'primary' : undefined}
            data-action={a}
            aria-disabled={busy ? true : undefined}
            onClick={() => !busy && handlers.act(c, a)}
          >
            {ACTION_LABELS[a]}
          </button>
        ))}
        <button type="button" onClick={() => handlers.details(c)}>
          Details
        </button>
        <button
          type="button"
          className="quiet-danger"
          aria-disabled={busy ? true : undefined}
          onClick={() => !busy && handlers.disconnect(c)}
        >
          Disconnect
        </button>
      </div>
    </li>
  );
}

/** Lists arrive as fresh objects after every reload; compare what the row shows instead. */
function sameRow(a: ConnectionRowProps, b: ConnectionRowProps): boolean {
  const x = a.connection;
  const y = b.connection;
  return (
    a.now === b.now &&
    a.busy === b.busy &&
    a.notice === b.notice &&
    a.handlers === b.handlers &&
    x.id === y.id &&
    x.label === y.label &&
    x.status === y.status &&
    x.expiresAt === y.expiresAt &&
    x.canRefresh === y.canRefresh &&
    x.lastTest?.at === y.lastTest?.at &&
    x.lastCheck?.at === y.lastCheck?.at &&
    x.lastError?.code === y.lastError?.code &&
    x.lastError?.message === y.lastError?.message &&
    x.lastError?.retryAfterSeconds === y.lastError?.retryAfterSeconds
  );
}

/** A memoised row: re-renders only when what it shows changes. */
export const ConnectionRow = memo(ConnectionRowImpl, sameRow);
