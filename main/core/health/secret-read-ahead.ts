/**
 * Keychain reads for a run of checks, done just ahead of the checks that need them.
 *
 * A check reads its connection's secret and then calls the provider. Done inside the host's
 * slot, every keychain round trip (a D-Bus call on Linux) adds to the time a slot is held, so
 * the reads queue behind the requests instead of overlapping with them. The next few targets of
 * each host (as many as the host has slots) are read while the current ones are in flight,
 * through a small bound of their own, so a check finds its secret already there.
 *
 * Only a little is read ahead, not the whole keychain up front: secrets stay in memory for about
 * one request's time, and what a check uses is what the keychain held a moment before. A secret
 * read ahead is used at most once; a retry, or a target nobody read ahead, reads it when needed.
 * A read ahead that found nothing, or failed, is never used: the check reads again itself, so a
 * key saved meanwhile is found and a keychain failure is reported by the check that hits it.
 */
import type { CoreContext } from '../flows/context';
import type { ConnectionSecret, SecretVault } from '../model/types';
import type { CheckTarget } from './check-runner';

/** Keychain reads in flight at once for the read-ahead (across all hosts). */
export const READ_AHEAD_PARALLEL = 4;

export class SecretReadAhead {
  private readonly byHost = new Map<string, { ids: string[]; next: number }>();
  private readonly place = new Map<string, { host: string; index: number }>();
  private readonly ready = new Map<string, Promise<ConnectionSecret | null>>();
  private readonly taken = new Set<string>();
  private readonly queue: Array<() => void> = [];
  private active = 0;
  /** Keychain reads made ahead (for tests and the bench). */
  reads = 0;

  /** `ahead`: how many of a host's targets past the one being checked may be read already. */
  constructor(
    private readonly vault: SecretVault,
    targets: readonly CheckTarget[],
    private readonly ahead: number,
    private readonly parallel = READ_AHEAD_PARALLEL,
  ) {
    for (const { id, host } of targets) {
      if (this.place.has(id)) continue;
      const list = this.byHost.get(host) ?? { ids: [], next: 0 };
      this.place.set(id, { host, index: list.ids.length });
      list.ids.push(id);
      this.byHost.set(host, list);
    }
    for (const host of this.byHost.keys()) this.fill(host, 0);
  }

  /**
   * The secret read ahead for `id`, once: null when there is none to use (not read ahead, already
   * used, nothing found, or the read failed), and the caller reads the keychain itself.
   */
  async take(id: string): Promise<ConnectionSecret | null> {
    const place = this.place.get(id);
    if (place && !this.taken.has(id)) {
      this.taken.add(id);
      this.fill(place.host, place.index + 1);
    }
    const pending = this.ready.get(id);
    if (!pending) return null;
    this.ready.delete(id);
    return pending.catch(() => null);
  }

  /** Start reads for `host`'s targets up to `from + ahead` that nobody has read or used yet. */
  private fill(host: string, from: number): void {
    const list = this.byHost.get(host)!;
    const end = Math.min(list.ids.length, from + this.ahead);
    for (list.next = Math.max(list.next, from); list.next < end; list.next += 1) {
      const id = list.ids[list.next]!;
      if (this.taken.has(id) || this.ready.has(id)) continue;
      const read = this.slot().then((release) => this.vault.getConnectionSecret(id).finally(release));
      read.catch(() => undefined);
      this.reads += 1;
      this.ready.set(id, read);
    }
  }

  private async slot(): Promise<() => void> {
    if (this.active >= this.parallel) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active += 1;
    return () => {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    };
  }
}

/**
 * The core's context, with `secret` handed out for connection `id` on its first read only.
 *
 * The test operation reads the secret itself; this hands it the one read ahead instead, and
 * every later read (a refresh's, a retry's) goes to the keychain.
 */
export function withSecret(ctx: CoreContext, id: string, secret: ConnectionSecret): CoreContext {
  let unused = true;
  const vault: SecretVault = {
    getConnectionSecret: (asked) => {
      if (asked !== id || !unused) return ctx.vault.getConnectionSecret(asked);
      unused = false;
      return Promise.resolve(secret);
    },
    setConnectionSecret: (...args) => ctx.vault.setConnectionSecret(...args),
    deleteConnectionSecret: (...args) => ctx.vault.deleteConnectionSecret(...args),
    getClientSecret: (...args) => ctx.vault.getClientSecret(...args),
    setClientSecret: (...args) => ctx.vault.setClientSecret(...args),
    deleteClientSecret: (...args) => ctx.vault.deleteClientSecret(...args),
  };
  return { ...ctx, vault };
}
