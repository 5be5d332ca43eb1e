/**
 * A provider's connections at any scale: the ones that need the person first, then a bounded page
 * of rows with "Show more" / "Show all" and a "Find a connection" box once there are more than a
 * page.
 *
 * A thousand rows at once is ~14,000 elements nobody reads; a page of 10 paints at once and every
 * connection stays two keystrokes or one click away, with the same rows, actions and names.
 */
import { startTransition, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ConnectionView } from '../../preload/contract';
import {
  FILTER_FROM,
  FIRST_PAGE,
  PAGE_STEP,
  attentionFirst,
  countWords,
  matchesQuery,
  showingText,
} from '../connection-list-model';
import type { Notice } from '../use-patchbay';
import { ConnectionRow, type RowHandlers } from './connection-row';

export interface ConnectionListProps {
  providerName: string;
  connections: ConnectionView[];
  now: number;
  busy: Record<string, string>;
  notices: Record<string, Notice>;
  handlers: RowHandlers;
}

/** The list of one provider's connections (render only when there is at least one). */
export function ConnectionList({ providerName, connections, now, busy, notices, handlers }: ConnectionListProps) {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(FIRST_PAGE);
  const filterId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  /** Index of the first row a "Show more" revealed: it gets the focus once it is rendered. */
  const focusFrom = useRef<number | null>(null);

  const paged = connections.length >= FILTER_FROM;
  // A list that shrank below a page hides the box: a query typed before must not hide rows.
  const activeQuery = paged ? query.trim() : '';
  const ordered = useMemo(() => attentionFirst(connections), [connections]);
  const matching = useMemo(
    () => (activeQuery ? ordered.filter((c) => matchesQuery(c, activeQuery)) : ordered),
    [ordered, activeQuery],
  );
  const shown = paged && matching.length > limit ? matching.slice(0, limit) : matching;
  const hidden = matching.length - shown.length;

  useEffect(() => {
    const index = focusFrom.current;
    if (index === null || shown.length <= index) return;
    focusFrom.current = null;
    listRef.current?.children[index]?.querySelector('button')?.focus();
  }, [shown.length]);

  const reveal = (next: number) => {
    focusFrom.current = shown.length;
    // A transition: "Show all" on a thousand rows stays interruptible by typing and clicks.
    startTransition(() => setLimit(next));
  };

  return (
    <div className="connection-list">
      {paged ? (
        <div className="list-tools">
          <label htmlFor={filterId}>Find a connection</label>
          <input
            id={filterId}
            type="search"
            value={query}
            placeholder="Account name or id"
            autoComplete="off"
            onChange={(e) => {
              setQuery(e.target.value);
              setLimit(FIRST_PAGE);
            }}
          />
          <p className="list-showing" aria-live="polite">
            {showingText(shown.length, matching.length, connections.length, activeQuery)}
          </p>
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul ref={listRef} className="connections" aria-label={`${providerName} connections`}>
          {shown.map((c) => (
            <ConnectionRow
              key={c.id}
              connection={c}
              now={now}
              busy={busy[c.id]}
              notice={notices[c.id]}
              handlers={handlers}
            />
          ))}
        </ul>
      ) : null}
      {hidden > 0 ? (
        <div className="list-more">
          <button type="button" onClick={() => reveal(limit + PAGE_STEP)}>
            Show {countWords(Math.min(PAGE_STEP, hidden))} more
          </button>
          <button type="button" onClick={() => reveal(Number.POSITIVE_INFINITY)}>
            Show all {countWords(matching.length)}
          </button>
        </div>
      ) : null}
    </div>
  );
}
