/**
 * The settings' network section as the provider fetch reads it: on every request, cheaply.
 *
 * The fetch must follow a Settings > Network save at once, even one made by another process, so
 * it cannot keep the section for the life of the host. But reading it means reading, parsing and
 * validating the whole settings file, every connection record included: for `patchbay check`
 * over a thousand connections that was a thousand full parses, more time than the requests. The
 * file is replaced whole on every save (a temporary file renamed over it), so its identity and
 * times say whether it changed; the section is read again when they differ, when the file
 * cannot be looked at, and at least every `maxAgeMs` in case an editor rewrote it in place
 * within the file system's timestamp granularity.
 */
import fs from 'node:fs';
import type { SettingsData, SettingsStore } from '../model/types';

type NetworkSection = SettingsData['network'];

/** How long a read is trusted while the file looks unchanged (ms). */
export const NETWORK_SECTION_MAX_AGE_MS = 1000;

/** What identifies one version of a file: device, inode, size and change times (ns). Null when missing. */
function fileVersion(file: string): string | null {
  try {
    const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    if (!stat) return null;
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return null;
  }
}

/** A reader of `settings.read().network` that re-reads only when the file changed (or the read is old). */
export function savedNetworkReader(
  settings: SettingsStore,
  options: { maxAgeMs?: number; now?: () => number } = {},
): () => NetworkSection {
  const maxAgeMs = options.maxAgeMs ?? NETWORK_SECTION_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  let cached: { version: string; at: number; section: NetworkSection } | null = null;
  return () => {
    const version = fileVersion(settings.path);
    const at = now();
    if (!cached || version === null || cached.version !== version || at - cached.at >= maxAgeMs) {
      // Stat first, read second: a save landing in between makes the next call read again.
      const section = settings.read().network;
      cached = version === null ? null : { version, at, section };
      return section === undefined ? undefined : structuredClone(section);
    }
    return cached.section === undefined ? undefined : structuredClone(cached.section);
  };
}
