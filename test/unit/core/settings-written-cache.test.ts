/**
 * The settings store skips the schema check for a file that still holds exactly the text it last
 * wrote (settings.ts, `written`). These tests try to make that shortcut serve a document the file
 * no longer holds: another writer's change, hand edits of the same length with the old
 * modification time put back, a damaged file, and a caller changing what a read handed it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingsData } from '../../../main/core/model/types';
import { CHECKED_COPY_SUFFIX, openSettings } from '../../../main/core/storage/settings';
import { addRichDocument, connectionRecord as record, editInPlace } from '../../helpers/settings-edits';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-written-cache-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/**
 * The document a full check of the file gives: another store, with the checked copy the writer
 * left beside the file removed first (with it, that store would skip the check too).
 */
function readInFull(): SettingsData {
  fs.rmSync(path.join(home, `settings.json${CHECKED_COPY_SUFFIX}`), { force: true });
  return openSettings({ home }).read();
}

/** A document with every part the schema fills in or normalises, written by `store`. */
async function writeRichDocument(store: ReturnType<typeof openSettings>): Promise<void> {
  await store.update(addRichDocument);
}

describe('settings reads of the text the store itself wrote', () => {
  it('give the same document a full check of the file gives', async () => {
    const store = openSettings({ home });
    await writeRichDocument(store);
    const shortcut = store.read();
    const checkedInFull = readInFull();
    expect(shortcut).toEqual(checkedInFull);
    expect(shortcut.connections.map((c) => c.id)).toEqual(['acme-1', 'acme-2']);
  });

  it('leave out conf’s bookkeeping, which conf keeps in the file across the store’s writes', async () => {
    const file = path.join(home, 'settings.json');
    const bookkeeping = { migrations: { version: '1.0.0' } };
    fs.writeFileSync(
      file,
      JSON.stringify({
        __internal__: bookkeeping,
        schemaVersion: 1,
        providers: [],
        clients: {},
        connections: [],
        preferences: { theme: 'system' },
      }),
    );
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).__internal__).toEqual(bookkeeping);
    const shortcut = store.read();
    expect(Object.keys(shortcut)).not.toContain('__internal__');
    expect(shortcut).toEqual(readInFull());
  });

  it('hand every caller its own copy: changing one read does not change the next', async () => {
    const store = openSettings({ home });
    await writeRichDocument(store);
    const first = store.read();
    first.connections[0]!.label = 'changed in memory only';
    first.connections.pop();
    first.providers.length = 0;
    const second = store.read();
    expect(second.connections.map((c) => c.label)).toEqual(['Account acme-1', 'Account acme-2']);
    expect(second.providers).toHaveLength(1);
  });

  it('see another writer’s change between two reads', async () => {
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    expect(store.read().connections[0]!.label).toBe('Account acme-1');
    const other = openSettings({ home });
    await other.update((data) => void (data.connections[0]!.label = 'Renamed elsewhere'));
    expect(store.read().connections[0]!.label).toBe('Renamed elsewhere');
  });

  it('see a hand edit of the same length with the old modification time put back', async () => {
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1', { label: 'Alice' })));
    expect(store.read().connections[0]!.label).toBe('Alice');
    editInPlace(store.path, (text) => text.replace('"Alice"', '"Alfie"'));
    expect(store.read().connections[0]!.label).toBe('Alfie');
    // And inside an update: the mutator sees the file as it is now.
    await store.update((data) => expect(data.connections[0]!.label).toBe('Alfie'));
  });

  it('still refuse a file damaged by hand after the store wrote it', async () => {
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    expect(store.read().connections).toHaveLength(1);
    // Same length, same times: only the content says the state is not one Patchbay knows.
    editInPlace(store.path, (text) => text.replace('"state": "ok"', '"state": "zz"'));
    const after = store.read();
    expect(after.connections).toEqual([]);
    expect(store.notice).toMatch(/could not be read \("connections\.0\.state" is not valid\)/);
    const aside = fs.readdirSync(home).filter((name) => name.startsWith('settings.corrupt-'));
    expect(aside).toHaveLength(1);
  });

  it('still refuse a provider definition damaged by hand after it passed several writes', async () => {
    const store = openSettings({ home });
    await writeRichDocument(store);
    await store.update((data) => void data.connections.pop());
    expect(store.read().providers).toHaveLength(1);
    editInPlace(store.path, (text) => text.replace('"https://acme.example/token"', '"htt:s://acme.example/token"'));
    expect(store.read().providers).toEqual([]);
    expect(store.notice).toMatch(/could not be read \("providers\.0" is not valid\)/);
  });

  it('still refuse text that is not JSON, written over the store’s own', async () => {
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    editInPlace(store.path, (text) => `${text.slice(0, -1)}!`);
    expect(store.read().connections).toEqual([]);
    expect(store.notice).toMatch(/it is not valid JSON/);
  });
});
