/**
 * Build a connection's support bundle: one JSON file a support engineer can attach to a ticket.
 *
 * It is assembled only from views that cannot hold a secret (the connection view, the provider
 * definition, the already-redacted trace, claim names and a few claim values), and then, as a
 * last net, searched for every secret the keychain holds for the connection and its provider
 * (whole, and every 12-character stretch of each): one hit and nothing is handed out.
 */
import os from 'node:os';
import type { CoreContext } from '../flows/context';
import { findConnection, findProvider } from '../flows/context';
import { PatchbayError } from '../model/errors';
import { toConnectionView } from '../facade/views';
import { loadTrace } from '../storage/trace';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, MAX_BUNDLE_BYTES } from './bundle-schema';
import { diagnose } from './diagnose';
import { jwtClaimsView } from './jwt-claims';
import type { SupportBundleFile, SupportBundleView, TraceEntry } from '../../../preload/contract';

/** A stretch of a secret this long found in a bundle counts as a leak (a cut-short echo). */
export const SECRET_SLICE = 12;
/** Secrets shorter than this are compared whole only when at least this long (shorter ones are words). */
const MIN_WHOLE = 6;

/** What the bundle needs from its host beyond the core's context. */
export interface BundleHostFacts {
  appVersion: string;
  redirectUri: string | null;
}

/**
 * True when `text` holds any of `secrets` whole, or any SECRET_SLICE-character stretch of one.
 * One pass over the text with a set of every stretch, so a 1 MB bundle is scanned in milliseconds.
 */
export function leaksSecret(text: string, secrets: ReadonlyArray<string | null | undefined>): boolean {
  const slices = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_WHOLE) continue;
    if (text.includes(secret)) return true;
    for (let i = 0; i + SECRET_SLICE <= secret.length; i += 1) slices.add(secret.slice(i, i + SECRET_SLICE));
  }
  if (slices.size === 0) return false;
  for (let i = 0; i + SECRET_SLICE <= text.length; i += 1) if (slices.has(text.slice(i, i + SECRET_SLICE))) return true;
  return false;
}

/** The newest clock skew the trace measured, or null. */
export function latestSkew(entries: readonly TraceEntry[]): number | null {
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const skew = entries[i]!.clockSkewSeconds;
    if (skew !== undefined) return skew;
  }
  return null;
}

/** Build, scan and serialise one connection's support bundle. */
export async function buildSupportBundle(
  ctx: CoreContext,
  connectionId: string,
  host: BundleHostFacts,
): Promise<SupportBundleFile> {
  const record = findConnection(ctx, connectionId);
  const provider = findProvider(ctx, record.providerId);
  const def = provider.definition;
  const now = ctx.clock.now();
  const view = toConnectionView(record, def.name, now);
  const [{ entries }, secret, clientSecret] = await Promise.all([
    loadTrace(ctx.config.home, connectionId),
    ctx.vault.getConnectionSecret(connectionId),
    def.auth === 'oauth2' ? ctx.vault.getClientSecret(def.id) : Promise.resolve(null),
  ]);
  const oauth = secret?.kind === 'oauth2' ? secret : null;
  const requested = [...(def.scopes ?? [])];
  const granted = [...record.scopes];
  const bundle: SupportBundleView = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: new Date(now).toISOString(),
    app: { version: host.appVersion, os: `${os.type()} ${os.release()}`, arch: process.arch, node: process.version },
    provider: structuredClone(def),
    connection: view,
    trace: entries,
    scopes: { requested, granted, missing: requested.filter((s) => !granted.includes(s)) },
    tokens: { accessToken: jwtClaimsView(oauth?.accessToken), idToken: jwtClaimsView(oauth?.idToken) },
    clockSkewSeconds: latestSkew(entries),
    diagnosis: diagnose({
      providerName: def.name,
      error: record.lastError,
      httpStatus: record.lastTest?.httpStatus ?? null,
      trace: entries,
      redirectUri: host.redirectUri,
      auth: record.auth,
    }),
  };
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  const secrets = [
    oauth?.accessToken,
    oauth?.refreshToken,
    oauth?.idToken,
    secret?.kind === 'apiKey' ? secret.apiKey : null,
    clientSecret,
  ];
  if (leaksSecret(text, secrets)) {
    throw new PatchbayError(
      'internal',
      'Patchbay found part of a saved secret in the support bundle, so it did not write it. Send the diagnostics text instead, and report this as a bug.',
    );
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_BUNDLE_BYTES) {
    throw new PatchbayError(
      'internal',
      'The support bundle came out larger than Patchbay can open, so it was not written. Report this as a bug.',
    );
  }
  return { fileName: bundleFileName(def.id, now), text };
}

/** "patchbay-<provider>-<yyyymmdd-hhmm>.json", safe on every file system. */
function bundleFileName(providerId: string, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `patchbay-${providerId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}-${stamp}.json`;
}
