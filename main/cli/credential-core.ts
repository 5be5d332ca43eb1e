/**
 * Finding the connection a command names, and opening the core for the commands that hand out
 * one connection's credential (`token`, `exec`, `request`).
 *
 * Those three are what scripts run, often in loops, so their start-up is the product: their
 * modules import the engine only through here, dynamically, so a usage error costs no engine load.
 */
import { PatchbayError, notFound } from '../core/model/errors';
import type { PatchbayCore } from '../core/model/types';
import type { ConnectionView } from '../../preload/contract';
import type { CliCore } from './core';
import type { CliIo } from './output';

/** Find a connection by ID, or by provider ID when that is unambiguous. */
export async function resolveConnection(core: PatchbayCore, ref: string): Promise<ConnectionView> {
  const all = await core.listConnections();
  const exact = all.find((c) => c.id === ref);
  if (exact) return exact;
  const byProvider = all.filter((c) => c.providerId === ref);
  if (byProvider.length === 1 && byProvider[0]) return byProvider[0];
  if (byProvider.length > 1) {
    throw new PatchbayError(
      'invalid_input',
      `You have ${byProvider.length} connections to "${ref}": ${byProvider.map((c) => c.id).join(', ')}. Name one of them by its ID.`,
      { field: 'connection' },
    );
  }
  throw notFound('connection', ref);
}

/** The core for a command that uses one connection's credential (no sign-in, so no authorizer). */
export async function openCredentialCore(io: CliIo): Promise<CliCore> {
  const { openCliCore } = await import('./core');
  return openCliCore(io, { signIn: false });
}
