/**
 * The last step of a connect: put the secret in the keychain, then the record in settings.
 *
 * A new connection gets a fresh id. A reconnect replaces an existing connection in place: same
 * id, label and creation time, new secret and token facts, its "needs you" state cleared, so
 * every list, script and trace that knows the id keeps working and no duplicate appears.
 */
import { invalidInput, notFound, PatchbayError } from '../model/errors';
import type { TraceRecorder } from '../storage/trace';
import type { ConnectionRecord, ConnectionSecret, SettingsData } from '../model/types';
import type { CoreContext } from './context';
import { clearPending, markPending } from './connect-safety';
import type { ConnectInput, ProviderDefinition } from '../../../preload/contract';

/**
 * Where the flow is up to: the connection the trace belongs to once one is saved, and whether a
 * failed reconnect left its new secret in place (so the tokens must not be revoked).
 */
export interface SaveState {
  connectionId: string | null;
  secretKept: boolean;
}

/**
 * The connection a reconnect replaces, checked before anyone signs in: it must exist and belong
 * to the provider being connected. Null for a plain connect.
 */
export function reconnectTarget(
  input: ConnectInput,
  def: ProviderDefinition,
  data: SettingsData,
): ConnectionRecord | null {
  if (input.reconnect === undefined) return null;
  const target = data.connections.find((c) => c.id === input.reconnect);
  if (!target) throw notFound('connection', input.reconnect);
  if (target.providerId !== def.id) {
    throw invalidInput(
      'reconnect',
      `The connection "${target.id}" belongs to another provider (${target.providerId}), not ${def.name}. Reconnect it with its own provider.`,
    );
  }
  return target;
}

/** Carry over what a reconnect keeps from the connection it replaces. */
export function keepIdentity(record: ConnectionRecord, target: ConnectionRecord | null): ConnectionRecord {
  if (!target) return record;
  return { ...record, id: target.id, label: target.label, createdAt: target.createdAt };
}

/**
 * Keychain first, then the record: a record never points at a secret that was not saved.
 *
 * `beforeRecord` runs between the two (the "who am I" call, bounded by IDENTIFY_GRACE_MS) and
 * may fill in the record's label; it must not throw. `replaces` is the connection a reconnect
 * overwrites (its id is `record.id`). Returns the record as saved.
 */
export async function saveConnection(
  ctx: CoreContext,
  trace: TraceRecorder,
  secret: ConnectionSecret,
  record: ConnectionRecord,
  state: SaveState,
  replaces: ConnectionRecord | null,
  beforeRecord?: () => Promise<void>,
): Promise<ConnectionRecord> {
  let saved: ConnectionRecord;
  // Written first, removed once the record is saved: a process killed in between leaves this note,
  // and the next start revokes and deletes the token set it names (connect-safety.ts). A reconnect
  // whose record is still in the settings by then is left alone by that sweep.
  await markPending(ctx, record.id, record.providerId);
  let cleaned = false;
  let written = false;
  try {
    // A new id was made up for this flow (newConnectionId): nothing stale can sit under it. A
    // reconnect writes over an id that had a secret, so stale chunks are cleaned up.
    await ctx.vault.setConnectionSecret(record.id, secret, { isNew: replaces === null });
    written = true;
    trace.add({ step: 'keychain_write', detail: 'Saved the credentials in the keychain.', ok: true });
    await beforeRecord?.();
    saved = await ctx.settings.update((data) => {
      if (!replaces) {
        data.connections.push(record);
        return structuredClone(record);
      }
      const at = data.connections.findIndex((c) => c.id === record.id);
      if (at < 0)
        throw new PatchbayError(
          'not_found',
          'That connection was disconnected while you signed in, so nothing was saved. Connect it again as a new connection.',
        );
      data.connections[at] = record;
      return structuredClone(record);
    });
    cleaned = true;
  } catch (error) {
    // Half a new connection is worse than none: remove whatever part of the secret was written.
    // A reconnect whose record is still there keeps the keychain entry: once written, the new
    // secret works with that record (so its tokens must not be revoked); unwritten, the old one
    // is left as it was.
    const recordGone = error instanceof PatchbayError && error.code === 'not_found';
    if (!replaces || recordGone) {
      cleaned = await ctx.vault.deleteConnectionSecret(record.id).then(
        () => true,
        () => false,
      );
    } else {
      cleaned = true;
      state.secretKept = written;
    }
    trace.add({
      step: 'save',
      detail: state.secretKept
        ? 'Saving the connection record failed; the new sign-in was kept in the keychain.'
        : 'Saving the connection failed; nothing was kept.',
      ok: false,
    });
    throw error;
  } finally {
    // A keychain that could not even delete keeps the note, so a later start tries again.
    if (cleaned) await clearPending(ctx, record.id).catch(() => undefined);
  }
  state.connectionId = record.id;
  trace.add({
    step: 'settings_write',
    detail: replaces ? 'Replaced the connection record (same id, new sign-in).' : 'Saved the connection record.',
    ok: true,
  });
  ctx.emit('connections');
  return saved;
}
