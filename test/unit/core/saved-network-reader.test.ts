/**
 * The provider fetch's view of Settings > Network: parsed again only when the settings file
 * changed, yet a save by another process (or this one) is followed on the very next request.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { savedNetworkReader } from '../../../main/core/network/saved-network-reader';
import { openSettings } from '../../../main/core/storage/settings';
import type { SettingsStore } from '../../../main/core/model/types';

let home = '';
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'patchbay-network-reader-'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

/** The settings store, counting its reads. */
function counted(store: SettingsStore): { store: SettingsStore; reads: () => number } {
  let reads = 0;
  return {
    store: {
      get notice() {
        return store.notice;
      },
      path: store.path,
      read: () => {
        reads += 1;
        return store.read();
      },
      update: (mutate) => store.update(mutate),
    },
    reads: () => reads,
  };
}

const proxy = (url: string) => ({ proxyUrl: url, noProxy: '', caFile: null, proxyUser: null, hasProxyPassword: false });

describe('saved network reader', () => {
  it('reads the file once while it is unchanged', async () => {
    const { store, reads } = counted(openSettings({ home }));
    await store.update((d) => void (d.network = proxy('http://127.0.0.1:3128')));
    const read = savedNetworkReader(store, { maxAgeMs: 60_000 });
    for (let i = 0; i < 50; i += 1) expect(read()?.proxyUrl).toBe('http://127.0.0.1:3128');
    expect(reads()).toBe(1);
  });

  it('follows a save made by another process on the next request', async () => {
    const { store } = counted(openSettings({ home }));
    const read = savedNetworkReader(store, { maxAgeMs: 60_000 });
    expect(read()?.proxyUrl ?? null).toBeNull();
    // Another process: its own store on the same file.
    await openSettings({ home }).update((d) => void (d.network = proxy('http://127.0.0.1:3128')));
    expect(read()?.proxyUrl).toBe('http://127.0.0.1:3128');
    await openSettings({ home }).update((d) => void (d.network = proxy('http://127.0.0.1:8080')));
    expect(read()?.proxyUrl).toBe('http://127.0.0.1:8080');
  });

  it('reads again after maxAgeMs even when the file looks the same', async () => {
    let now = 0;
    const { store, reads } = counted(openSettings({ home }));
    await store.update((d) => void (d.network = proxy('http://127.0.0.1:3128')));
    const read = savedNetworkReader(store, { maxAgeMs: 1000, now: () => now });
    read();
    now = 999;
    read();
    expect(reads()).toBe(1);
    now = 1000;
    read();
    expect(reads()).toBe(2);
  });

  it('reads every time when there is no file to look at, and hands out copies', () => {
    const section = proxy('http://127.0.0.1:3128');
    let reads = 0;
    const store = {
      notice: null,
      path: path.join(home, 'nowhere', 'settings.json'),
      read: () => {
        reads += 1;
        return { network: section } as ReturnType<SettingsStore['read']>;
      },
      update: () => Promise.reject(new Error('not used')),
    } satisfies SettingsStore;
    const read = savedNetworkReader(store);
    read()!.proxyUrl = 'http://evil.invalid';
    expect(read()?.proxyUrl).toBe('http://127.0.0.1:3128');
    expect(reads).toBe(2);
  });
});
