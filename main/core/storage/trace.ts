/**
 * Per-connection diagnostics: what happened in a flow, step by step, with every secret removed.
 *
 * Support staff read these to see where a connection failed (which URL, which status, how long)
 * without ever seeing a token, code, client secret or API key. Entries are redacted when they are
 * added and again when they are saved, so one forgotten call site cannot leak a value to disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TraceEntry, TraceView } from '../../../preload/contract';
import type { Clock } from '../model/types';
import type * as FileLockModule from './file-lock';
import { redactText, redactUrl, registerSecret } from './redact';

/** How many entries a saved trace keeps (the newest). */
export const MAX_TRACE_ENTRIES = 200;

const systemClock: Clock = { now: () => Date.now() };

function cleanEntry(entry: TraceEntry, secrets: Iterable<string>): TraceEntry {
  const list = [...secrets];
  const out: TraceEntry = {
    at: entry.at,
    step: redactText(String(entry.step), list).slice(0, 100),
    detail: redactText(String(entry.detail), list).slice(0, 2000),
    ok: entry.ok === true,
  };
  if (typeof entry.durationMs === 'number' && Number.isFinite(entry.durationMs))
    out.durationMs = Math.max(0, Math.round(entry.durationMs));
  if (typeof entry.httpStatus === 'number' && Number.isInteger(entry.httpStatus)) out.httpStatus = entry.httpStatus;
  if (typeof entry.method === 'string') out.method = entry.method.slice(0, 10).toUpperCase();
  if (typeof entry.url === 'string') out.url = redactUrl(entry.url, list).slice(0, 2000);
  if (typeof entry.technical === 'string') out.technical = redactText(entry.technical, list).slice(0, 500);
  const skew = boundedInteger(entry.clockSkewSeconds, MAX_SKEW_SECONDS);
  if (skew !== undefined) out.clockSkewSeconds = skew;
  const retry = boundedInteger(entry.retryAfterSeconds, MAX_SKEW_SECONDS);
  if (retry !== undefined && retry >= 0) out.retryAfterSeconds = retry;
  const oauthError = signalWord(entry.oauthError, /^[A-Za-z0-9_.-]{1,64}$/);
  if (oauthError !== undefined) out.oauthError = oauthError;
  const transport = signalWord(entry.transportError, /^[A-Z][A-Z0-9_]{1,63}$/);
  if (transport !== undefined) out.transportError = transport;
  const scope = signalWord(entry.scopeNeeded, /^[\x21\x23-\x5B\x5D-\x7E ]{1,300}$/);
  if (scope !== undefined) out.scopeNeeded = redactText(scope, list);
  return out;
}

/** Ten years in seconds: a clock skew or Retry-After beyond it is a broken header. */
const MAX_SKEW_SECONDS = 10 * 365 * 24 * 3600;

function boundedInteger(value: unknown, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= max ? Math.round(value) : undefined;
}

/** A diagnosis signal kept only when it is a plain word of the expected shape (never free text). */
function signalWord(value: unknown, shape: RegExp): string | undefined {
  return typeof value === 'string' && shape.test(value) ? value : undefined;
}

/**
 * Collects the steps of one flow, redacting as it goes.
 *
 * `registerSecret` adds a value this recorder (and, as a second net, every later redaction in
 * the process) replaces wherever it appears, for values with no telltale name around them.
 */
export class TraceRecorder {
  readonly subject: string;
  private readonly clock: Clock;
  private readonly items: TraceEntry[] = [];
  private readonly secrets = new Set<string>();

  constructor(subject: string, clock: Clock = systemClock) {
    this.subject = subject;
    this.clock = clock;
  }

  /** Remember a secret value seen in this flow so it never appears in an entry. */
  registerSecret(value: string | null | undefined): void {
    if (!value) return;
    this.secrets.add(value);
    registerSecret(value);
  }

  /** Record a step; `at` is stamped from the clock. Returns the redacted entry. */
  add(entry: Omit<TraceEntry, 'at'>): TraceEntry {
    const clean = cleanEntry({ ...entry, at: new Date(this.clock.now()).toISOString() }, this.secrets);
    this.items.push(clean);
    if (this.items.length > MAX_TRACE_ENTRIES) this.items.splice(0, this.items.length - MAX_TRACE_ENTRIES);
    return clean;
  }

  /** A copy of the entries recorded so far. */
  entries(): TraceEntry[] {
    return this.items.map((e) => ({ ...e }));
  }

  /** The values registered with this recorder, for a save that should redact them too. */
  knownSecrets(): string[] {
    return [...this.secrets];
  }
}

/** A file name that cannot escape the traces folder, stable for one subject. */
export function traceFileName(subject: string): string {
  const safe = subject
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120);
  // Two subjects that sanitise alike ("a:b", "a_b") must not share a file.
  const suffix = safe === subject ? '' : `-${createHash('sha256').update(subject).digest('hex').slice(0, 8)}`;
  return `${safe || '_'}${suffix}.json`;
}

function tracePath(home: string, subject: string): string {
  return path.join(home, 'traces', traceFileName(subject));
}

/** The folder of a subject's appended parts, beside its base file. */
function partsDir(home: string, subject: string): string {
  return `${tracePath(home, subject)}.parts`;
}

/** Once a subject has more appended parts than this, the next append folds them into the base file. */
export const MAX_TRACE_PARTS = 16;

/** What a base file holds: the entries, and the appended parts already folded into them. */
interface TraceFile extends TraceView {
  merged?: string[];
}

let partCounter = 0;

/** The lock module, imported when parts are first folded and kept (see compactTrace). */
let fileLockModule: Promise<typeof FileLockModule> | null = null;

/** A part name that sorts by write time and is unique across processes. */
function partName(): string {
  partCounter += 1;
  return `${Date.now().toString(36).padStart(10, '0')}-${process.pid.toString(36)}-${partCounter.toString(36).padStart(4, '0')}-${randomBytes(3).toString('hex')}.json`;
}

/**
 * Write a file so readers see all of it or none of it (temporary file, then rename).
 *
 * Synchronous: a trace is at most 200 short entries, and the promise API's thread-pool round
 * trips (open, write, close, rename) cost more than writing it.
 */
function writeWhole(file: string, body: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fsSync.writeFileSync(tmp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  fsSync.renameSync(tmp, file);
}

function entriesOf(raw: unknown): TraceEntry[] {
  const list = (raw as { entries?: unknown } | null)?.entries;
  return Array.isArray(list)
    ? list.filter(
        (e): e is TraceEntry => typeof e === 'object' && e !== null && typeof (e as TraceEntry).step === 'string',
      )
    : [];
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null; // Unreadable: treated as empty, never fatal.
  }
}

async function listParts(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/**
 * Everything saved for a subject, oldest first: the base file, then the parts not folded into it.
 *
 * Parts are listed before the base is read, so a part folded and deleted meanwhile shows up as
 * missing; the read is then simply done again.
 */
async function readAll(home: string, subject: string): Promise<{ entries: TraceEntry[]; parts: string[] }> {
  const dir = partsDir(home, subject);
  for (let attempt = 0; ; attempt += 1) {
    const parts = await listParts(dir);
    const base = (await readJson(tracePath(home, subject))) as TraceFile | null | undefined;
    const merged = new Set(Array.isArray(base?.merged) ? base.merged : []);
    const entries = entriesOf(base);
    let vanished = false;
    for (const name of parts) {
      if (merged.has(name)) continue;
      const part = await readJson(path.join(dir, name));
      if (part === undefined) vanished = true;
      entries.push(...entriesOf(part));
    }
    if (!vanished || attempt >= 3) return { entries, parts };
  }
}

/**
 * Save a subject's trace (the last 200 entries), redacting every entry again first.
 *
 * Replaces whatever was saved before: the base file is written whole (temporary file, then
 * rename, so a reader never sees half a trace) and appended parts are removed.
 */
export async function saveTrace(
  home: string,
  subject: string,
  entries: readonly TraceEntry[],
  secrets: Iterable<string> = [],
): Promise<void> {
  const list = [...secrets];
  const kept = entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, list));
  const file = tracePath(home, subject);
  fsSync.mkdirSync(path.dirname(file), { recursive: true });
  const body: TraceView = { subject, entries: kept };
  writeWhole(file, body);
  await fs.rm(partsDir(home, subject), { recursive: true, force: true });
}

/**
 * Add a flow's entries to a subject's trace without reading or locking it.
 *
 * Several processes may finish flows on one subject at once. Each append is its own new file
 * (a "part", written whole and renamed into place), so no two writers ever touch the same file
 * and nothing is lost. Entries are redacted again first. When parts pile up, one appender folds
 * them into the base file under a lock (see compactTrace).
 */
export async function appendTraceEntries(
  home: string,
  subject: string,
  entries: readonly TraceEntry[],
  secrets: Iterable<string> = [],
): Promise<void> {
  if (entries.length === 0) return;
  const list = [...secrets];
  const clean = entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, list));
  const dir = partsDir(home, subject);
  // A folder made just now held no parts before this one (a new connection's first trace), so
  // only a folder that was already there is counted for folding.
  const made = fsSync.mkdirSync(dir, { recursive: true });
  writeWhole(path.join(dir, partName()), { entries: clean });
  if (made === undefined && (await listParts(dir)).length > MAX_TRACE_PARTS) await compactTrace(home, subject);
}

/**
 * Fold a subject's parts into its base file (newest 200 entries), under a cross-process lock.
 *
 * The base records which parts it holds before any part is deleted, so a crash in between never
 * shows an entry twice, and a part written while this runs is left for the next time. When
 * another process is already folding, this one leaves it to them.
 */
export async function compactTrace(home: string, subject: string): Promise<void> {
  const { withFileLock } = await (fileLockModule ??= import('./file-lock'));
  const lock = path.join(home, 'locks', `trace-${traceFileName(subject)}`);
  await withFileLock(
    lock,
    async () => {
      const { entries, parts } = await readAll(home, subject);
      const kept = entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, []));
      const body: TraceFile = { subject, entries: kept, merged: parts };
      writeWhole(tracePath(home, subject), body);
      const dir = partsDir(home, subject);
      await Promise.all(parts.map((name) => fs.rm(path.join(dir, name), { force: true })));
    },
    { timeoutMs: 0 },
  ).catch(() => undefined);
}

/** Load a subject's trace; an unknown subject or unreadable file gives an empty trace. */
export async function loadTrace(home: string, subject: string): Promise<TraceView> {
  const { entries } = await readAll(home, subject);
  return { subject, entries: entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, [])) };
}
