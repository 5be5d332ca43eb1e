/**
 * Which health changes become a notification: exactly one when a connection starts needing the
 * person, and one when it works again.
 *
 * The tracker remembers, per connection, whether it needed the person when last looked at, and
 * only a flip of that answer is announced. A connection that stays broken through retries,
 * repeated checks or a change from one error to another is not announced again. What a
 * connection looked like when the host started is the baseline: a restart never repeats an
 * old notification.
 */
import type { ConnectionView, HealthAlert } from '../../preload/contract';
import { needsYou } from '../../preload/attention';

/** The notification's words for one change. */
export function alertFor(c: ConnectionView, kind: HealthAlert['kind'], at: string): HealthAlert {
  const who = `${c.label} at ${c.providerName}`;
  if (kind === 'recovered') {
    return {
      connectionId: c.id,
      providerId: c.providerId,
      kind,
      title: `${who} works again`,
      body: 'Its last check passed. Nothing to do.',
      at,
    };
  }
  const body =
    c.status === 'error'
      ? 'Its last check failed. Open it to see what happened.'
      : 'Patchbay can no longer use this sign-in. Open it and click Reconnect.';
  return { connectionId: c.id, providerId: c.providerId, kind, title: `${who} needs you`, body, at };
}

/** Remembers each connection's last answer to "does it need you?". */
export class HealthAlerts {
  private readonly known = new Map<string, boolean>();
  private baselined = false;

  /**
   * Compare `connections` with what was known and return one alert per flip. Connections in
   * `skip` (a check of theirs is still running, with its retries) are left for a later look.
   */
  observe(connections: readonly ConnectionView[], at: string, skip: ReadonlySet<string> = new Set()): HealthAlert[] {
    const alerts: HealthAlert[] = [];
    const present = new Set<string>();
    for (const c of connections) {
      present.add(c.id);
      if (skip.has(c.id)) continue;
      const now = needsYou(c);
      const before = this.known.get(c.id);
      this.known.set(c.id, now);
      // The first look and a connection seen for the first time set the baseline, silently.
      if (!this.baselined || before === undefined || before === now) continue;
      alerts.push(alertFor(c, now ? 'needs_attention' : 'recovered', at));
    }
    for (const id of [...this.known.keys()]) if (!present.has(id)) this.known.delete(id);
    this.baselined = true;
    return alerts;
  }
}
