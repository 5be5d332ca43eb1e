/**
 * Collect issued secrets and search for them: the "no secret anywhere else" checks.
 *
 * Values are taken from where they legitimately live (the keychain, after each step, so rotated
 * tokens count too). A slice of the middle of each long value is searched as well, so a cut or
 * re-wrapped leak is still caught.
 */
import { expect } from 'vitest';
import { createKeytarVault } from '../../main/core/storage/vault';

export class SecretScan {
  readonly values = new Map<string, string>();

  add(label: string, value: string | null | undefined): void {
    if (!value) return;
    expect(value.length, `${label} is too short to search for`).toBeGreaterThanOrEqual(8);
    this.values.set(`${label}#${this.values.size}`, value);
    if (value.length >= 32)
      this.values.set(
        `${label} (middle)#${this.values.size}`,
        value.slice(Math.floor(value.length / 2), Math.floor(value.length / 2) + 16),
      );
  }

  /** Add the connection's current secrets from the keychain. */
  async addConnection(service: string, id: string): Promise<void> {
    const secret = await createKeytarVault(service).getConnectionSecret(id);
    expect(secret, `no keychain entry for ${id}`).not.toBeNull();
    if (secret?.kind === 'oauth2') {
      this.add('access token', secret.accessToken);
      this.add('refresh token', secret.refreshToken);
      this.add('id token', secret.idToken);
    } else if (secret) this.add('api key', secret.apiKey);
  }

  /** Every "<secret> in <place>" found; expect the list to be empty. */
  findIn(places: Array<{ where: string; text: string }>): string[] {
    const hits: string[] = [];
    for (const { where, text } of places) {
      for (const [label, value] of this.values) if (text.includes(value)) hits.push(`${label} in ${where}`);
    }
    return hits;
  }
}
