/**
 * The non-secret settings document on conf (electron-store in Electron, which extends conf).
 *
 * Several processes share one file (the app, the web host, `patchbay` commands), so every
 * change is a read-modify-write of the file as it is *now*, under a cross-process lock, written
 * atomically. The document is validated with zod on every write and on every read of text other
 * than exactly what this store last wrote (see `written`), migrated forward by version, and a
 * file that cannot be read is moved aside (never silently overwritten) with a notice for the
 * person.
 *
 * Reading is plain fs + zod; conf (with ajv and semver, slow to load) is only loaded for the first
 * write, so commands that just read (`patchbay status`) start fast.
 *
 * Every write also leaves `settings.json.checked` beside the file: the exact text just written
 * (which had passed the schema), under a line naming the rules it passed (settings-rules.ts).
 * Another process that reads the file and finds it holds exactly that text, under the rules it
 * checks with itself, uses it as checked. The copy is compared, never read as settings; any
 * other text (a hand edit, an older Patchbay's write, a damaged copy) is checked in full.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ConfClass from 'conf';
import type * as FileLockModule from './file-lock';
import type { SettingsData, SettingsStore } from '../model/types';
import { PatchbayError } from '../model/errors';
import { CURRENT_SCHEMA_VERSION, findSecretKey, migrateSettings, parseSettingsDocument } from './settings-schema';
import { settingsRulesFingerprint } from './settings-rules';

export { CURRENT_SCHEMA_VERSION } from './settings-schema';

/**
 * What the store needs of conf: where the file is and a whole-document atomic write.
 *
 * electron-store 12 extends conf, so the Electron host passes its own instance here and gets the
 * same schema, migrations and locking as the CLI.
 */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

/**
 * Build a ConfLike for a folder and file name (lets the store vet the file before conf reads it).
 *
 * Pass `serialize` on to conf (electron-store takes the same option): the store writes conf's own
 * format (tab-indented JSON) itself, so it knows the exact text it wrote, and conf leaves out its
 * walk of the whole document for values JSON cannot hold, which the schema check before every
 * write has already ruled out.
 */
export type ConfFactory = (options: { cwd: string; configName: string; serialize: Serialize }) => ConfLike;

/** Document -> file text, as conf's `serialize` option takes it. */
export type Serialize = (value: Record<string, unknown>) => string;

export interface OpenSettingsOptions {
  /** The folder the settings file lives in (PATCHBAY_HOME). */
  home: string;
  /** 'conf' (default), an existing conf/electron-store instance, or a factory for one. */
  backend?: 'conf' | ConfLike | ConfFactory;
  /** For the timestamp in a moved-aside file's name (tests). */
  now?: () => Date;
}

const CONFIG_NAME = 'settings';
/** conf keeps its own bookkeeping under this key; it is not part of the document. */
const CONF_INTERNAL_KEY = '__internal__';

/** A fresh, empty settings document. */
export function defaultSettings(): SettingsData {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    providers: [],
    clients: {},
    connections: [],
    preferences: { theme: 'system' },
  };
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The lock module (proper-lockfile, graceful-fs), imported by the first write like conf and kept:
 * importing it again on every update costs a module resolution each time.
 */
let fileLockModule: Promise<typeof FileLockModule> | null = null;

/** The default backend: conf in `home`, loaded when first needed (writes are synchronous, so is this). */
function openConf(home: string, serialize: Serialize): ConfLike {
  const { default: Conf } = requireFromHere('conf') as { default: typeof ConfClass };
  return new Conf<Record<string, unknown>>({ cwd: home, configName: CONFIG_NAME, configFileMode: 0o600, serialize });
}

/** conf's own file format: JSON indented with tabs. */
function confText(value: unknown): string {
  return JSON.stringify(value, undefined, '\t');
}

/** The checked copy's name: the settings file's name plus this. */
export const CHECKED_COPY_SUFFIX = '.checked';

/** The first line of a checked copy: what it is, and the rules its text passed. */
function checkedCopyHeader(): string {
  return `Patchbay checked the settings text below with rules ${settingsRulesFingerprint()}.\n`;
}

/** The text a checked copy vouches for, or null when there is none for these rules. */
function readCheckedCopy(file: string): string | null {
  try {
    // O_NONBLOCK: a FIFO planted at the copy's name reads as empty instead of stopping the reader.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    let copy: string;
    try {
      copy = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
    const header = checkedCopyHeader();
    return copy.startsWith(header) ? copy.slice(header.length) : null;
  } catch {
    return null;
  }
}

/**
 * Open flags for the checked copy: a symbolic link at its name is refused (ELOOP) rather than
 * followed, and a FIFO (ENXIO) rather than waited on with the settings lock held. No O_TRUNC: the
 * file is written only once it is known to be a plain file of its own (not a hard link).
 */
const COPY_OPEN_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/**
 * Leave the checked copy of `text` beside the settings file. Best effort: without a copy (a full
 * disk, a read-only folder) the next process just checks the file in full.
 *
 * Written in place: a temporary file and a rename cost a connect about 0.4 ms more here. Anything
 * at the copy's name that is not a plain file of its own (a symbolic or hard link, a FIFO, a
 * folder) is removed and the copy written anew, so nothing else is ever written through it. A
 * reader that catches a copy half-written sees the start of the new checked text over the end of
 * the old one: it matches the file (which already holds the new text) only where it is that text.
 * The writes are under the settings lock, except the repair or upgrade when a store opens; two of
 * those at once leave at worst a mix of two checked texts, which no file holds.
 */
function writeCheckedCopy(file: string, text: string): void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (writeCheckedCopyOnce(file, text)) return;
    try {
      fs.rmSync(file, { force: true });
    } catch {
      return; // Neither written nor removable (a folder in its place): it vouches for nothing.
    }
  }
}

/** One attempt at writeCheckedCopy: true when the whole copy was written and closed. */
function writeCheckedCopyOnce(file: string, text: string): boolean {
  let fd: number;
  try {
    // Windows has no O_NOFOLLOW: a symbolic link there is found by its own stat instead.
    if (process.platform === 'win32' && fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
    fd = fs.openSync(file, COPY_OPEN_FLAGS, 0o600);
  } catch {
    return false;
  }
  let written = false;
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.nlink === 1) {
      if ((stat.mode & 0o777) !== 0o600) fs.fchmodSync(fd, 0o600);
      // Over the old copy, then cut to length only if it was longer (truncating costs ~0.3 ms here).
      const bytes = Buffer.from(checkedCopyHeader() + text, 'utf8');
      fs.writeFileSync(fd, bytes);
      if (stat.size > bytes.length) fs.ftruncateSync(fd, bytes.length);
      written = true;
    }
  } catch {
    written = false;
  }
  try {
    fs.closeSync(fd);
  } catch {
    written = false; // A close that fails (a network folder) may have lost the end of the copy.
  }
  return written;
}

/**
 * File text as a document object, without conf's bookkeeping (kept in the file when it had
 * some, never part of the document), or why it is not one. Nothing is checked beyond that.
 */
function documentOf(text: string): { doc: Record<string, unknown> } | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { reason: 'it is not valid JSON' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { reason: 'it does not hold a settings object' };
  const doc = raw as Record<string, unknown>;
  delete doc[CONF_INTERNAL_KEY];
  return { doc };
}

/**
 * Text whose document already passed the schema, as that document; null (never for such text)
 * sends the caller to a full check.
 */
function checkedDocument(text: string): SettingsData | null {
  const found = documentOf(text);
  return 'doc' in found ? (found.doc as unknown as SettingsData) : null;
}

type Vetted = { ok: true; data: SettingsData; migrated: boolean } | { ok: false; reason: string };

/** Parse, migrate and validate file text. Never throws. */
function vet(text: string): Vetted {
  const found = documentOf(text);
  if ('reason' in found) return { ok: false, reason: found.reason };
  try {
    const { data, migrated } = migrateSettings(found.doc);
    const parsed = parseSettingsDocument(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, reason: `"${issue?.path.join('.') || 'the document'}" is not valid` };
    }
    return { ok: true, data: parsed.data as SettingsData, migrated };
  } catch (error) {
    return { ok: false, reason: error instanceof PatchbayError ? error.message : 'a migration failed' };
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PatchbayError(
      'internal',
      `Patchbay could not read its settings file ${file}. Check that the file is readable.`,
      { cause: error },
    );
  }
}

/** Move a damaged file aside as settings.corrupt-<timestamp>.json; returns the new name. */
function moveAside(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/:/g, '');
  const ext = path.extname(file);
  const base = path.join(path.dirname(file), `${path.basename(file, ext)}.corrupt-${stamp}`);
  let target = `${base}${ext}`;
  for (let n = 2; fs.existsSync(target); n += 1) target = `${base}-${n}${ext}`;
  fs.renameSync(file, target);
  return target;
}

/**
 * Open (creating if needed) the settings in `home`.
 *
 * Runs migrations and writes the upgraded file; a file that is not JSON or fails the schema is
 * renamed to `settings.corrupt-<timestamp>.json` beside it and `notice` says so. `update()` holds
 * the lock `<settings>.lock`, re-reads the file, validates before and after the mutator, and
 * refuses to write anything that looks like a secret.
 */
export function openSettings(options: OpenSettingsOptions): SettingsStore {
  const now = options.now ?? (() => new Date());
  const backendOption = options.backend ?? 'conf';
  const home = path.resolve(options.home);
  const expectedPath = typeof backendOption === 'object' ? backendOption.path : path.join(home, `${CONFIG_NAME}.json`);
  const checkedCopyPath = `${expectedPath}${CHECKED_COPY_SUFFIX}`;
  let notice: string | null = null;

  /**
   * What opening the store read, handed to the first later read if the file is unchanged by then:
   * nobody else holds that copy, so a command that opens and reads once parses the file once.
   */
  let unclaimed: { text: string; data: SettingsData } | null = null;

  /**
   * The text this store last wrote, spelled as conf writes it: the serialisation of a document
   * that had just passed the schema check. While the file holds exactly these characters (compared
   * whole on every read, never by size or time), parsing them gives that valid document back, so
   * the check is not run again. Any other text (another process's write, a hand edit, a damaged
   * file, a backend that writes another format) differs and is checked in full.
   */
  let written: string | null = null;
  /** The text the backend serialised last (through `serialize` below), if it uses it. */
  let serialised: string | null = null;
  const serialize: Serialize = (value) => (serialised = confText(value));

  /**
   * Read the file as it is now: defaults when missing, moved aside when damaged. Each caller gets
   * its own copy (parsed now, or the unclaimed one from opening); `keep` marks the opening read.
   */
  function readFresh(keep = false): { data: SettingsData; needsWrite: boolean } {
    const text = readText(expectedPath);
    const kept = unclaimed;
    unclaimed = null;
    if (text === null) return { data: defaultSettings(), needsWrite: false };
    if (kept?.text === text) return { data: kept.data, needsWrite: false };
    const own = text === written ? checkedDocument(text) : null;
    if (own) return { data: own, needsWrite: false };
    const vouched = readCheckedCopy(checkedCopyPath) === text ? checkedDocument(text) : null;
    if (vouched) {
      if (keep) unclaimed = { text, data: vouched };
      return { data: vouched, needsWrite: false };
    }
    const vetted = vet(text);
    if (vetted.ok) {
      if (keep && !vetted.migrated) unclaimed = { text, data: vetted.data };
      return { data: vetted.data, needsWrite: vetted.migrated };
    }
    const moved = moveAside(expectedPath, now());
    notice = `Your settings file could not be read (${vetted.reason}), so Patchbay started with fresh settings. The old file was kept as ${path.basename(moved)} in ${path.dirname(moved)}; your saved connections may need to be connected again.`;
    return { data: defaultSettings(), needsWrite: true };
  }

  const initial = readFresh(true);
  fs.mkdirSync(path.dirname(expectedPath), { recursive: true });
  /** A given backend is checked now; the default conf one is created on the first write. */
  function checkPath(backend: ConfLike): ConfLike {
    if (path.resolve(backend.path) !== path.resolve(expectedPath)) {
      throw new PatchbayError(
        'internal',
        `The settings backend writes to ${backend.path}, not ${expectedPath}. Pass the same folder to both.`,
      );
    }
    return backend;
  }
  let backend: ConfLike | null =
    typeof backendOption === 'object'
      ? checkPath(backendOption)
      : typeof backendOption === 'function'
        ? checkPath(backendOption({ cwd: path.dirname(expectedPath), configName: CONFIG_NAME, serialize }))
        : null;

  function write(data: SettingsData): void {
    // Same verdict as settingsSchema.safeParse, without zod's per-record cost on every write.
    const checked = parseSettingsDocument(data as unknown as Record<string, unknown>);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new PatchbayError(
        'invalid_input',
        `That change would make the settings invalid (${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}). Nothing was saved.`,
        { field: issue?.path.join('.') },
      );
    }
    const secretKey = findSecretKey(checked.data);
    if (secretKey) {
      throw new PatchbayError(
        'internal',
        `Refusing to write a secret ("${secretKey}") to the settings file. Secrets belong in the keychain. Nothing was saved.`,
      );
    }
    backend ??= checkPath(openConf(home, serialize));
    written = null;
    serialised = null;
    // checked.data holds the draft's records, and the draft is never touched again: no clone needed.
    backend.store = checked.data as unknown as Record<string, unknown>;
    // The text just written; a backend passed in without our `serialize` gets conf's format spelled
    // out here, now, before any caller can change a record (if it wrote another, reads just miss).
    written = serialised ?? confText(checked.data);
    writeCheckedCopy(checkedCopyPath, written);
  }

  if (initial.needsWrite) write(initial.data);

  return {
    get notice() {
      return notice;
    },
    path: expectedPath,
    read(): SettingsData {
      return readFresh().data;
    },
    async update<T>(mutate: (data: SettingsData) => T): Promise<T> {
      const { withFileLock } = await (fileLockModule ??= import('./file-lock'));
      return withFileLock(
        expectedPath,
        async () => {
          // readFresh hands out its own copy (never handed to anyone else): mutate it directly.
          const draft = readFresh().data;
          const result = await mutate(draft);
          write(draft);
          return result;
        },
        { purpose: 'saving the settings' },
      );
    },
  };
}
