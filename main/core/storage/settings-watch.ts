/**
 * Notice changes another process made to the settings file.
 *
 * The desktop app and the web host stay open while `patchbay connect` or a second window adds,
 * refreshes or removes connections. Polling the file's modification time (fs.watchFile works the
 * same on every OS and on network folders) and comparing the connections and providers with the
 * last snapshot tells the host what to re-read, without a message bus between processes.
 */
import fs from 'node:fs';
import type { SettingsData, SettingsStore } from '../model/types';

export type ChangeKind = 'connections' | 'providers';

/** A snapshot of what listeners care about, to tell a real change from a touch. */
function snapshot(data: SettingsData): Record<ChangeKind, string> {
  return {
    connections: JSON.stringify(data.connections),
    providers: JSON.stringify([data.providers, data.clients]),
  };
}

export interface SettingsWatcher {
  /** Record the current state as seen (after this process's own change, which it already announced). */
  sync(): void;
  stop(): void;
}

/**
 * Watch the settings file and call `onChange` for each part that differs from the last snapshot.
 *
 * The poll does not keep the process alive. Read errors are ignored: the next poll tries again.
 */
export function watchSettings(
  settings: SettingsStore,
  onChange: (what: ChangeKind) => void,
  intervalMs = 1000,
): SettingsWatcher {
  let last = safeSnapshot(settings);
  const check = (): void => {
    const now = safeSnapshot(settings);
    if (!now || !last) {
      last = now ?? last;
      return;
    }
    const previous = last;
    last = now;
    for (const kind of ['providers', 'connections'] as const) if (now[kind] !== previous[kind]) onChange(kind);
  };
  const listener = (curr: fs.Stats, prev: fs.Stats): void => {
    if (curr.mtimeMs !== prev.mtimeMs || curr.size !== prev.size) check();
  };
  fs.watchFile(settings.path, { interval: intervalMs, persistent: false }, listener);
  return {
    sync() {
      last = safeSnapshot(settings) ?? last;
    },
    stop() {
      fs.unwatchFile(settings.path, listener);
    },
  };
}

function safeSnapshot(settings: SettingsStore): Record<ChangeKind, string> | null {
  try {
    return snapshot(settings.read());
  } catch {
    return null;
  }
}
