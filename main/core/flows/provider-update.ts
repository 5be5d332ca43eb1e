/**
 * Saving imported or edited provider definitions: preview first, then apply safely.
 *
 * An update that moves an endpoint of a provider with connections or a client secret to another
 * origin is refused unless confirmed. Once confirmed, the provider's tokens and client secret are
 * deleted from the keychain *before* the new definition is stored and without being sent
 * anywhere (no revocation call: that would hand them to the new origin, and the old one is what
 * the person no longer trusts), its connections are marked as needing a new sign-in, and the
 * client secret must be entered again.
 */
import type { ProviderChangeOptions, ProviderDefinition, ProviderImportPreview } from '../../../preload/contract';
import { originChangeRefused, previewChange } from '../providers/definition-changes';
import type { SettingsData } from '../model/types';
import { allProviders, checkNotBuiltIn, type CoreContext } from './context';

/** What importing `defs` would change, from the settings as they are now. */
export function previewProviders(
  ctx: CoreContext,
  defs: readonly ProviderDefinition[],
  data: SettingsData = ctx.settings.read(),
): ProviderImportPreview[] {
  const stored = new Map(allProviders(ctx, data).map((p) => [p.definition.id, p.definition]));
  return defs.map((def) =>
    previewChange(stored.get(def.id), def, {
      connections: data.connections.filter((c) => c.providerId === def.id).length,
      hasClientSecret: data.clients[def.id]?.hasClientSecret === true,
    }),
  );
}

function refuseUnconfirmed(previews: readonly ProviderImportPreview[], options: ProviderChangeOptions): void {
  const unconfirmed = previews.find((p) => p.needsConfirmation);
  if (unconfirmed && options.allowOriginChange !== true) throw originChangeRefused(unconfirmed);
}

function movedMessage(name: string): string {
  return `${name}'s addresses moved to another host, so Patchbay deleted this connection's tokens without sending them anywhere. {reconnect} to sign in again.`;
}

/**
 * Store `defs` (insert or replace by id), refusing an unconfirmed origin change.
 *
 * Resolves with the previews that were applied, so callers can report what changed.
 */
export async function applyProviderUpdate(
  ctx: CoreContext,
  defs: ProviderDefinition[],
  options: ProviderChangeOptions = {},
): Promise<ProviderImportPreview[]> {
  for (const def of defs) checkNotBuiltIn(ctx, def);
  const previews = previewProviders(ctx, defs);
  refuseUnconfirmed(previews, options);
  const moved = new Set(previews.filter((p) => p.originChanges.length > 0).map((p) => p.id));
  const data = ctx.settings.read();
  // Secrets first: once the new addresses are stored, nothing may still hold a token for them.
  const cleared = new Set<string>();
  for (const c of data.connections.filter((r) => moved.has(r.providerId))) {
    await ctx.vault.deleteConnectionSecret(c.id);
    cleared.add(c.id);
  }
  for (const id of moved) if (data.clients[id]?.hasClientSecret) await ctx.vault.deleteClientSecret(id);

  const late = await ctx.settings.update((draft) => {
    // Checked again under the lock: another process may have connected meanwhile.
    refuseUnconfirmed(previewProviders(ctx, defs, draft), options);
    for (const def of defs) {
      const at = draft.providers.findIndex((d) => d.id === def.id);
      if (at >= 0) draft.providers[at] = def;
      else draft.providers.push(def);
    }
    const missed: string[] = [];
    for (const c of draft.connections) {
      if (!moved.has(c.providerId)) continue;
      const name = defs.find((d) => d.id === c.providerId)?.name ?? c.providerId;
      c.state = 'needs_reconnect';
      c.lastError = { code: 'invalid_grant', message: movedMessage(name) };
      if (!cleared.has(c.id)) missed.push(c.id);
    }
    for (const id of moved) {
      const client = draft.clients[id];
      if (client) client.hasClientSecret = false;
    }
    return missed;
  });
  for (const id of late) await ctx.vault.deleteConnectionSecret(id);
  ctx.emit('providers');
  if (moved.size > 0) ctx.emit('connections');
  return previews;
}
