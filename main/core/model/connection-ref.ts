/**
 * What a person means by a connection reference on a command line: an exact connection ID, or a
 * provider ID when exactly one connection uses that provider (so `patchbay test sandbox` works
 * for the common single-connection case).
 */

/** The verdict for one reference. */
export type ConnectionPick<T> = { kind: 'one'; connection: T } | { kind: 'ambiguous'; matches: T[] } | { kind: 'none' };

/** Pick the connection `ref` names among `connections`. */
export function pickConnection<T extends { id: string; providerId: string }>(
  connections: readonly T[],
  ref: string,
): ConnectionPick<T> {
  const exact = connections.find((c) => c.id === ref);
  if (exact) return { kind: 'one', connection: exact };
  const byProvider = connections.filter((c) => c.providerId === ref);
  if (byProvider.length === 1) return { kind: 'one', connection: byProvider[0]! };
  if (byProvider.length > 1) return { kind: 'ambiguous', matches: byProvider };
  return { kind: 'none' };
}
