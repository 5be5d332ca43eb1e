/**
 * The checked copy (settings.ts): a write leaves `settings.json.checked` beside the file, and
 * another process whose file holds exactly that text, under the same rules, uses it unchecked.
 *
 * Each store here stands for another process (a store only remembers its own writes). The tests
 * try to get an unchecked document past the store: hand edits that keep size and time, a copy made
 * under other rules, a damaged copy, a refused change, a copy that cannot be written; and they
 * check that reading never writes (`patchbay exec` writes nothing).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionRecord, SettingsData } from '../../../main/core/model/types';
import { CHECKED_COPY_SUFFIX, openSettings } from '../../../main/core/storage/settings';
import { settingsRulesFingerprint } from '../../../main/core/storage/settings-rules';
import { acmeProvider, addRichDocument, connectionRecord as record, editInPlace } from '../../helpers/settings-edits';

let home: string;
let file: string;
let copy: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-checked-copy-'));
  file = path.join(home, 'settings.json');
  copy = `${file}${CHECKED_COPY_SUFFIX}`;
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const header = (rules = settingsRulesFingerprint()) =>
  `Patchbay checked the settings text below with rules ${rules}.\n`;
const aside = () => fs.readdirSync(home).filter((name) => name.startsWith('settings.corrupt-'));

/** A document the schema refuses (an unknown connection state), as the file would spell it. */
function refusedText(): string {
  return JSON.stringify(
    {
      schemaVersion: 1,
      providers: [],
      clients: {},
      connections: [record('acme-1', { state: 'zz' as ConnectionRecord['state'] })],
      preferences: { theme: 'system' },
    },
    undefined,
    '\t',
  );
}

describe('the checked copy a settings write leaves', () => {
  it('is the header naming the rules and then exactly the text written, readable by the owner only', async () => {
    await openSettings({ home }).update((data) => {
      data.providers.push({ ...acmeProvider });
      data.connections.push(record('acme-1'));
    });
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
    if (process.platform !== 'win32') expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
  });

  it('is cut to the new length when the settings get shorter', async () => {
    await openSettings({ home }).update((data) => void data.connections.push(record('acme-1'), record('acme-2')));
    await openSettings({ home }).update((data) => void data.connections.pop());
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
    expect(
      openSettings({ home })
        .read()
        .connections.map((c) => c.id),
    ).toEqual(['acme-1']);
  });

  it('lets another process use the file without checking it: what it vouches for is taken as checked', () => {
    // Proof that the check is skipped (and why the copy must only ever hold checked text): a
    // refused document that a copy under this build's rules vouches for is used as it is.
    fs.writeFileSync(file, refusedText());
    fs.writeFileSync(copy, header() + refusedText());
    const store = openSettings({ home });
    expect(store.read().connections[0]?.state).toBe('zz');
    expect(store.notice).toBeNull();
    expect(aside()).toEqual([]);
  });

  it('gives another process the same document a full check gives', async () => {
    await openSettings({ home }).update(addRichDocument);
    const viaCopy = openSettings({ home }).read();
    fs.rmSync(copy);
    const inFull = openSettings({ home }).read();
    expect(viaCopy).toEqual(inFull);
    expect(inFull.providers[0]?.pkce).toBe(true); // the defaults the check fills in are there
  });

  it('vouches for nothing once the file is edited by hand, even at the same size and time', async () => {
    await openSettings({ home }).update((data) => void data.connections.push(record('acme-1')));
    editInPlace(file, (text) => text.replace('"state": "ok"', '"state": "zz"'));
    const store = openSettings({ home });
    expect(store.read().connections).toEqual([]);
    expect(store.notice).toMatch(/could not be read \("connections\.0\.state" is not valid\)/);
    expect(aside()).toHaveLength(1);
  });

  it('vouches for nothing when made under other rules (another version of Patchbay)', () => {
    fs.writeFileSync(file, refusedText());
    fs.writeFileSync(copy, header('0'.repeat(32)) + refusedText());
    const store = openSettings({ home });
    expect(store.read().connections).toEqual([]);
    expect(store.notice).toMatch(/could not be read/);
  });

  it.each([
    ['cut short', (text: string) => text.slice(0, -1)],
    ['with a line added', (text: string) => `${text}\n`],
    ['without its header', (text: string) => text.slice(header().length)],
    ['with its header on the wrong line', (text: string) => `\n${text}`],
    ['empty', () => ''],
  ])('vouches for nothing when damaged: %s', (_name, damage) => {
    fs.writeFileSync(file, refusedText());
    fs.writeFileSync(copy, damage(header() + refusedText()));
    const store = openSettings({ home });
    expect(store.read().connections).toEqual([]);
    expect(store.notice).toMatch(/could not be read/);
  });

  it('never vouches for a change the check refused', async () => {
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    const before = { text: fs.readFileSync(file, 'utf8'), copy: fs.readFileSync(copy, 'utf8') };
    await expect(
      store.update(
        (data) => void data.connections.push(record('acme-2', { state: 'zz' as ConnectionRecord['state'] })),
      ),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before.text);
    expect(fs.readFileSync(copy, 'utf8')).toBe(before.copy);
  });

  it.each([
    ['a record deleted from the list', (data: SettingsData) => void delete data.connections[0]],
    ['a scope deleted from a record', (data: SettingsData) => void delete data.connections[1]!.scopes[0]],
  ])('never vouches for a document with a hole in a list (%s): the change is refused', async (_name, mutate) => {
    // JSON has no holes: written out, a hole would be a null that a full check refuses.
    const store = openSettings({ home });
    await store.update((data) => {
      data.connections.push(record('acme-1'), record('acme-2', { scopes: ['read', 'write'] }));
    });
    const before = { text: fs.readFileSync(file, 'utf8'), copy: fs.readFileSync(copy, 'utf8') };
    await expect(store.update(mutate)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before.text);
    expect(fs.readFileSync(copy, 'utf8')).toBe(before.copy);
  });

  it.skipIf(process.platform === 'win32')(
    'replaces a link planted at its name instead of writing through it',
    async () => {
      const elsewhere = path.join(home, 'elsewhere.txt');
      fs.writeFileSync(elsewhere, 'not yours');
      fs.symlinkSync(elsewhere, copy);
      await openSettings({ home }).update((data) => void data.connections.push(record('acme-1')));
      expect(fs.readFileSync(elsewhere, 'utf8')).toBe('not yours');
      expect(fs.lstatSync(copy).isFile()).toBe(true);
      expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
      expect(fs.readdirSync(home).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('replaces a hard link at its name instead of writing through it, and makes an older copy owner-only', async () => {
    const elsewhere = path.join(home, 'notes.txt');
    fs.writeFileSync(elsewhere, 'not yours');
    fs.linkSync(elsewhere, copy);
    await openSettings({ home }).update((data) => void data.connections.push(record('acme-1')));
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('not yours');
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
    if (process.platform !== 'win32') {
      fs.chmodSync(copy, 0o644);
      await openSettings({ home }).update((data) => void data.connections.push(record('acme-2')));
      expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    }
  });

  it.skipIf(process.platform === 'win32')('neither a writer nor a reader waits on a FIFO planted at its name', () => {
    // In a child process with a time limit: a store that waited would block its whole process.
    const store = pathToFileURL(path.resolve(import.meta.dirname, '../../../main/core/storage/settings.ts')).href;
    const script = `
        const { openSettings } = await import(${JSON.stringify(store)});
        const home = process.env.HOME_UNDER_TEST;
        const reader = openSettings({ home });
        const notice = reader.notice;
        await openSettings({ home }).update((data) => void data.connections.push(${JSON.stringify(record('acme-1'))}));
        console.log(JSON.stringify({ notice }));`;
    spawnSync('mkfifo', [copy]);
    expect(fs.statSync(copy).isFIFO()).toBe(true);
    fs.writeFileSync(file, refusedText());
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, HOME_UNDER_TEST: home },
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(run.signal, 'the store waited on the FIFO and was stopped').toBeNull();
    expect(run.status, run.stderr).toBe(0);
    // The reader neither waited nor trusted the FIFO; the writer replaced it with the copy.
    expect(JSON.parse(run.stdout).notice).toMatch(/could not be read/);
    expect(fs.statSync(copy).isFile()).toBe(true);
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
  });

  it('is rewritten for the fresh settings that replace a damaged file', async () => {
    await openSettings({ home }).update((data) => void data.connections.push(record('acme-1')));
    editInPlace(file, (text) => text.replace('"state": "ok"', '"state": "zz"'));
    const store = openSettings({ home });
    expect(store.notice).toMatch(/could not be read/);
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + fs.readFileSync(file, 'utf8'));
    expect(openSettings({ home }).read().connections).toEqual([]);
  });

  it('is left for the migrated text when an older file is upgraded on opening', () => {
    fs.writeFileSync(file, JSON.stringify({ connections: [record('acme-1')] }));
    openSettings({ home });
    const text = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(text).schemaVersion).toBe(1);
    expect(fs.readFileSync(copy, 'utf8')).toBe(header() + text);
  });

  it('is never written by reading: a reader leaves the folder exactly as it found it', async () => {
    await openSettings({ home }).update((data) => void data.connections.push(record('acme-1')));
    fs.rmSync(copy);
    const before = fs.statSync(file);
    const store = openSettings({ home });
    store.read();
    store.read();
    expect(fs.readdirSync(home).sort()).toEqual(['settings.json']);
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
    // A stale copy (another rules' or another text's) is left as it is too.
    fs.writeFileSync(copy, header('0'.repeat(32)) + 'stale');
    openSettings({ home }).read();
    expect(fs.readFileSync(copy, 'utf8')).toBe(`${header('0'.repeat(32))}stale`);
  });

  it('does not stop a write when it cannot be written, and then vouches for nothing', async () => {
    fs.mkdirSync(copy); // a folder where the copy should go: it can be neither written nor removed
    fs.writeFileSync(path.join(copy, 'keep'), '');
    const store = openSettings({ home });
    await store.update((data) => void data.connections.push(record('acme-1')));
    expect(
      openSettings({ home })
        .read()
        .connections.map((c) => c.id),
    ).toEqual(['acme-1']);
    editInPlace(file, (text) => text.replace('"state": "ok"', '"state": "zz"'));
    const other = openSettings({ home });
    expect(other.read().connections).toEqual([]);
    expect(other.notice).toMatch(/could not be read/);
  });
});
