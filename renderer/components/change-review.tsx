/**
 * What a provider import or edit is about to change, shown before anything is saved.
 *
 * A definition decides where Patchbay sends a provider's secrets, so a file (or a typo in the
 * editor) that moves an endpoint of a provider in use to another host is the one change a person
 * must see and accept on purpose: the old and new hosts are named, what is lost is said (saved
 * sign-ins and the client secret are deleted without being sent), and the confirming button stays
 * disabled until the box "I trust <host>" is ticked. Every other change is listed field by field.
 */
import type { FieldChange, ProviderImportPreview } from '../../preload/contract';

const FIELD_WORDS: Record<string, string> = {
  authorizationUrl: 'Authorization URL',
  tokenUrl: 'Token URL',
  revocationUrl: 'Revocation URL',
  testUrl: 'Test URL',
  apiBaseUrl: 'API base URL',
  redirectUri: 'Redirect URI',
  scopes: 'Scopes',
  name: 'Name',
};

/** A field name in words ("tokenUrl" → "Token URL"; unknown ones as they are). */
function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? field;
}

/** A value as one short line of text (long ones are cut: this is a summary, not the file). */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  const text = Array.isArray(value)
    ? value.join(' ')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The host of an address, or the text itself when it is not one. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The hosts a confirmation must name: every new host an endpoint moves to. */
export function newHosts(previews: readonly ProviderImportPreview[]): string[] {
  const hosts = previews.filter((p) => p.needsConfirmation).flatMap((p) => p.originChanges.map((c) => hostOf(c.to)));
  return [...new Set(hosts)];
}

/** One sentence for what a person loses when a provider in use moves. */
function stakeText(p: ProviderImportPreview): string {
  const parts = [
    p.connections > 0 ? `${p.connections} connection${p.connections === 1 ? '' : 's'} will need a new sign-in` : null,
    p.hasClientSecret ? 'you will need to enter the client secret again' : null,
  ].filter(Boolean);
  return `Its saved sign-ins and client secret are deleted first, without being sent anywhere: ${parts.join(' and ')}.`;
}

function Changes({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="change-list">
      {changes.map((c) => (
        <li key={c.field}>
          {fieldWords(c.field)}: {valueText(c.from)} → {valueText(c.to)}
        </li>
      ))}
    </ul>
  );
}

export interface ChangeReviewProps {
  previews: ProviderImportPreview[];
  /** The state of the "I trust …" box (only shown when a move needs it). */
  trusted: boolean;
  onTrustedChange: (trusted: boolean) => void;
}

/** The review: a line per provider, its field changes, and each origin move with its consequence. */
export function ChangeReview({ previews, trusted, onTrustedChange }: ChangeReviewProps) {
  const hosts = newHosts(previews);
  return (
    <div className="change-review" role="group" aria-label="What will change">
      <ul className="change-providers">
        {previews.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>
            {p.action === 'added'
              ? ' will be added.'
              : p.action === 'unchanged'
                ? ': nothing changes.'
                : ' will be updated.'}
            <Changes changes={p.changes} />
            {p.originChanges.length > 0 ? (
              <div className={p.needsConfirmation ? 'origin-move warning' : 'origin-move'}>
                {p.originChanges.map((c) => (
                  <p key={c.field}>
                    {fieldWords(c.field)} moves from <strong>{hostOf(c.from)}</strong> to{' '}
                    <strong>{hostOf(c.to)}</strong>.
                  </p>
                ))}
                {p.needsConfirmation ? <p>{stakeText(p)}</p> : null}
              </div>
            ) : null}
            {p.warnings.map((w) => (
              <p key={w} className="note">
                {w}
              </p>
            ))}
          </li>
        ))}
      </ul>
      {hosts.length > 0 ? (
        <label className="checkbox-row">
          <input type="checkbox" checked={trusted} onChange={(e) => onTrustedChange(e.target.checked)} />I trust{' '}
          {hosts.join(' and ')} and want to send sign-ins there
        </label>
      ) : null}
    </div>
  );
}
