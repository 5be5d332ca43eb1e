/**
 * What a connect leaves behind when it fails or is killed after the provider issued tokens.
 *
 * Tokens the provider issued but Patchbay did not keep are live credentials nobody can see or
 * disconnect. Two nets: a connect that fails after a successful exchange revokes what it got
 * (best effort) and says so; and a connect writes a small "pending" record before its keychain
 * write and removes it after the settings write, so if the process dies in between, the next
 * start finds the record, revokes the token set it names and deletes it from the keychain. The
 * record names one connection id, so the sweep never lists the keychain (which would decrypt every
 * other customer's secret into this process).
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PatchbayError, toPatchbayError } from '../model/errors';
import type { TokenSet } from '../model/types';
import type { OAuthClient } from '../oauth/authorization-code';
import { revokeTokens } from '../oauth/revoke';
import { isAlive } from '../storage/lock-owner';
import { TraceRecorder } from '../storage/trace';
import type { ProviderDefinition } from '../../../preload/contract';
import { appendTrace, clientFor, findProvider, httpFor, type CoreContext } from './context';

/**
 * Revoke tokens issued to a connect that then failed, and return the failure with a sentence
 * saying whether they were revoked. Never throws anything but that error.
 */
export async function revokeIssued(
  ctx: CoreContext,
  def: ProviderDefinition,
  client: OAuthClient,
  tokens: TokenSet,
  trace: TraceRecorder,
  failure: unknown,
): Promise<PatchbayError> {
  const error = toPatchbayError(failure);
  let after: string;
  try {
    const outcome = await revokeTokens(httpFor(ctx, def, trace), def, client, tokens);
    after =
      outcome === 'revoked'
        ? `The tokens ${def.name} had just issued were revoked.`
        : `${def.name} has no revocation URL, so the tokens it had just issued stay valid until they expire; you can remove Patchbay's access in your ${def.name} account settings.`;
    trace.add({
      step: 'revocation',
      detail:
        outcome === 'revoked'
          ? 'Revoked the tokens issued to the failed connect.'
          : 'No revocation URL; the issued tokens were dropped.',
      ok: true,
    });
  } catch (revokeError) {
    after = `Patchbay could not revoke the tokens ${def.name} had just issued; remove Patchbay's access in your ${def.name} account settings.`;
    trace.add({
      step: 'revocation',
      detail: `Revoking the issued tokens failed (${toPatchbayError(revokeError).code}).`,
      ok: false,
    });
  }
  return new PatchbayError(error.code, `${error.message} ${after}`, {
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error,
  });
}

interface PendingRecord {
  id: string;
  providerId: string;
  pid: number;
  startedAt: string;
}

function pendingDir(ctx: CoreContext): string {
  return path.join(ctx.config.home, 'pending-connects');
}

/**
 * Note, before the keychain write, that connection `id` is being saved by this process.
 *
 * The note is a hundred bytes written whole (temporary file, then rename), synchronously: the
 * promise API's thread-pool round trips cost more than the write. The folder is made only when
 * the write finds it missing, not checked on every connect.
 */
export async function markPending(ctx: CoreContext, id: string, providerId: string): Promise<void> {
  const dir = pendingDir(ctx);
  const record: PendingRecord = {
    id,
    providerId,
    pid: process.pid,
    startedAt: new Date(ctx.clock.now()).toISOString(),
  };
  const temp = path.join(dir, `.${id}.${process.pid}.tmp`);
  const text = JSON.stringify(record);
  try {
    fsSync.writeFileSync(temp, text, { mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    fsSync.writeFileSync(temp, text, { mode: 0o600 });
  }
  fsSync.renameSync(temp, path.join(dir, `${id}.json`));
}

/** The connect of `id` finished (saved or cleaned up): forget it. */
export async function clearPending(ctx: CoreContext, id: string): Promise<void> {
  try {
    fsSync.unlinkSync(path.join(pendingDir(ctx), `${id}.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function readPending(file: string): Promise<PendingRecord | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<PendingRecord>;
    if (typeof parsed.id !== 'string' || typeof parsed.providerId !== 'string' || typeof parsed.pid !== 'number')
      return null;
    return { id: parsed.id, providerId: parsed.providerId, pid: parsed.pid, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return null;
  }
}

/**
 * Clean up after connects whose process died between the keychain and the settings write.
 *
 * A record whose process still runs (another window or command mid-connect, or this process) is
 * left alone. For the others: a connection that reached the settings is kept; otherwise the
 * token set saved under its id is revoked (best effort) and deleted with its chunks. A keychain
 * that cannot be reached leaves the record for the next start.
 */
export async function sweepPending(ctx: CoreContext): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(pendingDir(ctx));
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = path.join(pendingDir(ctx), name);
    const pending = await readPending(file);
    if (!pending) {
      await fs.rm(file, { force: true });
      continue;
    }
    if (pending.pid === process.pid || isAlive(pending.pid)) continue;
    if (!ctx.settings.read().connections.some((c) => c.id === pending.id)) await removeOrphan(ctx, pending);
    await fs.rm(file, { force: true });
  }
}

async function removeOrphan(ctx: CoreContext, pending: PendingRecord): Promise<void> {
  const trace = new TraceRecorder(`provider:${pending.providerId}`, ctx.clock);
  try {
    const secret = await ctx.vault.getConnectionSecret(pending.id).catch((error: unknown) => {
      if (error instanceof PatchbayError && error.code === 'keychain_unavailable') throw error;
      return null; // Half-written (damaged) entries are deleted below all the same.
    });
    if (secret?.kind === 'oauth2') {
      trace.registerSecret(secret.accessToken);
      trace.registerSecret(secret.refreshToken);
      try {
        const def = findProvider(ctx, pending.providerId).definition;
        const client = await clientFor(ctx, def);
        trace.registerSecret(client.clientSecret);
        await revokeTokens(httpFor(ctx, def, trace), def, client, secret);
        trace.add({
          step: 'revocation',
          detail: `Revoked the tokens of an interrupted connect (${pending.id}).`,
          ok: true,
        });
      } catch (error) {
        trace.add({
          step: 'revocation',
          detail: `Revoking the tokens of an interrupted connect failed (${toPatchbayError(error).code}); they were deleted here.`,
          ok: false,
        });
      }
    }
    await ctx.vault.deleteConnectionSecret(pending.id);
    trace.add({
      step: 'keychain_delete',
      detail: `Removed what an interrupted connect (${pending.id}) left in the keychain.`,
      ok: true,
    });
  } finally {
    await appendTrace(ctx, `provider:${pending.providerId}`, trace).catch(() => undefined);
  }
}
