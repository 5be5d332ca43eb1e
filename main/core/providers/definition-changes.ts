/**
 * What a provider update changes, and whether it may be applied without asking.
 *
 * A definition says where Patchbay sends a provider's secrets: the token URL gets the refresh
 * token and the client secret, the test URL the access token, the revocation URL both. A file
 * with the same ID but endpoints on another origin would quietly redirect an existing
 * connection's secrets to whoever wrote the file. So such an update of a provider that has
 * connections or a client secret is refused unless the person confirms it, and the diff of every
 * update is shown before it is applied.
 */
import type { FieldChange, OriginChange, ProviderDefinition, ProviderImportPreview } from '../../../preload/contract';
import { PatchbayError } from '../model/errors';
import { PROVIDER_FIELDS } from './provider-schema';
import { providerWarnings } from '../facade/views';

/** Fields whose address receives a code, a token or the client secret (the device endpoint gets the client's credentials). */
export const ENDPOINT_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'deviceAuthorizationUrl',
  'revocationUrl',
  'testUrl',
] as const;

function origin(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Every field whose value differs, in the format's field order. */
export function diffDefinitions(before: ProviderDefinition | undefined, after: ProviderDefinition): FieldChange[] {
  if (!before) return [];
  const changes: FieldChange[] = [];
  for (const field of PROVIDER_FIELDS) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from: from ?? null, to: to ?? null });
  }
  return changes;
}

/** Endpoints that were set before and now point at another origin (a removed endpoint sends nothing). */
export function originChanges(before: ProviderDefinition | undefined, after: ProviderDefinition): OriginChange[] {
  if (!before) return [];
  const out: OriginChange[] = [];
  for (const field of ENDPOINT_FIELDS) {
    const from = origin(before[field]);
    const to = origin(after[field]);
    if (from !== null && to !== null && from !== to)
      out.push({ field, from: String(before[field]), to: String(after[field]) });
  }
  return out;
}

/** What is at stake for one provider: its connections and whether a client secret is saved. */
export interface ProviderStake {
  connections: number;
  hasClientSecret: boolean;
}

/** The preview of importing `def` over `before`. */
export function previewChange(
  before: ProviderDefinition | undefined,
  def: ProviderDefinition,
  stake: ProviderStake,
): ProviderImportPreview {
  const changes = diffDefinitions(before, def);
  const moved = originChanges(before, def);
  return {
    id: def.id,
    name: def.name,
    action: before === undefined ? 'added' : changes.length === 0 ? 'unchanged' : 'updated',
    changes,
    originChanges: moved,
    connections: stake.connections,
    hasClientSecret: stake.hasClientSecret,
    needsConfirmation: moved.length > 0 && (stake.connections > 0 || stake.hasClientSecret),
    warnings: providerWarnings(def),
  };
}

const FIELD_WORDS: Record<string, string> = {
  authorizationUrl: 'Authorization URL',
  tokenUrl: 'Token URL',
  deviceAuthorizationUrl: 'Device authorization endpoint',
  revocationUrl: 'Revocation URL',
  testUrl: 'Test URL',
};

/** The refusal of an unconfirmed origin change, naming the field and the old and new hosts. */
export function originChangeRefused(preview: ProviderImportPreview): PatchbayError {
  const first = preview.originChanges[0]!;
  const hosts = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  };
  const moved = preview.originChanges
    .map((c) => `${FIELD_WORDS[c.field] ?? c.field} from ${hosts(c.from)} to ${hosts(c.to)}`)
    .join(', ');
  const stake = [
    preview.connections > 0 ? `${preview.connections} connection${preview.connections === 1 ? '' : 's'}` : null,
    preview.hasClientSecret ? 'a client secret' : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return new PatchbayError(
    'invalid_input',
    `This update moves ${preview.name}'s ${moved}. ${preview.name} has ${stake}, whose secrets would then go to the new host, so nothing was changed. ` +
      'If you trust the new host, confirm the change (patchbay providers import --allow-origin-change); its connections will then need a new sign-in and the client secret must be entered again.',
    { field: first.field },
  );
}
