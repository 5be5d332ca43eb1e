/**
 * Per-host traffic rules for health checks: at most N requests in flight, none inside a window.
 *
 * A provider that answers 429 with Retry-After is asking every client of its host to wait, not
 * only the request that got the answer, so the window belongs to the host and every check of a
 * connection on that host waits for it. The concurrency bound is per host too: a thousand
 * connections on one provider must not become a thousand simultaneous requests to it.
 */

/** The longest window a Retry-After may open: a hostile or broken header cannot park a host forever. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** One host's slots and its "do not ask before" time. */
export class HostGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** Epoch ms before which no request may be sent to this host. */
  blockedUntil = 0;

  constructor(private readonly limit: number) {}

  /** Requests in flight now (for tests and diagnostics). */
  get inFlight(): number {
    return this.active;
  }

  /** Wait for a free slot (first come, first served); call the returned function to give it back. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` never drops below the real count.
      if (next) next();
      else this.active -= 1;
    };
  }

  /** Close the host until `until` (epoch ms); an earlier end never shortens a longer window. */
  block(until: number, now: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, Math.min(until, now + MAX_RETRY_AFTER_MS));
  }
}

/** The gates of every host a runner has talked to, created on first use. */
export class HostGates {
  private readonly gates = new Map<string, HostGate>();

  constructor(private readonly limit: number) {}

  get(host: string): HostGate {
    let gate = this.gates.get(host);
    if (!gate) {
      gate = new HostGate(this.limit);
      this.gates.set(host, gate);
    }
    return gate;
  }
}
