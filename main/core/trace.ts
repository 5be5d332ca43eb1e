/**
 * Per-connection diagnostics: what happened in a flow, step by step, with every secret removed.
 *
 * Support staff read these to see where a connection failed (which URL, which status, how long)
 * without ever seeing a token, code, client secret or API key. Entries are redacted when they are
 * added and again when they are saved, so one forgotten call site cannot leak a value to disk.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TraceEntry, TraceView } from '../../preload/contract';
import type { Clock } from './types';
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
  if (typeof entry.durationMs === 'number' && Number.isFinite(entry.durationMs)) out.durationMs = Math.max(0, Math.round(entry.durationMs));
  if (typeof entry.httpStatus === 'number' && Number.isInteger(entry.httpStatus)) out.httpStatus = entry.httpStatus;
  if (typeof entry.method === 'string') out.method = entry.method.slice(0, 10).toUpperCase();
  if (typeof entry.url === 'string') out.url = redactUrl(entry.url, list).slice(0, 2000);
  return out;
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
  const safe = subject.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  // Two subjects that sanitise alike ("a:b", "a_b") must not share a file.
  const suffix = safe === subject ? '' : `-${createHash('sha256').update(subject).digest('hex').slice(0, 8)}`;
  return `${safe || '_'}${suffix}.json`;
}

function tracePath(home: string, subject: string): string {
  return path.join(home, 'traces', traceFileName(subject));
}

/**
 * Save a subject's trace (the last 200 entries), redacting every entry again first.
 *
 * Written to a temporary file and renamed so a reader never sees half a trace.
 */
export async function saveTrace(home: string, subject: string, entries: readonly TraceEntry[], secrets: Iterable<string> = []): Promise<void> {
  const list = [...secrets];
  const kept = entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, list));
  const file = tracePath(home, subject);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const body: TraceView = { subject, entries: kept };
  await fs.writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Load a subject's trace; an unknown subject or unreadable file gives an empty trace. */
export async function loadTrace(home: string, subject: string): Promise<TraceView> {
  try {
    const raw = JSON.parse(await fs.readFile(tracePath(home, subject), 'utf8')) as Partial<TraceView>;
    const entries = Array.isArray(raw.entries) ? raw.entries.filter((e): e is TraceEntry => typeof e === 'object' && e !== null && typeof (e as TraceEntry).step === 'string') : [];
    return { subject, entries: entries.slice(-MAX_TRACE_ENTRIES).map((e) => cleanEntry(e, [])) };
  } catch {
    return { subject, entries: [] };
  }
}

/** Delete a subject's trace (after a disconnect); missing files are fine. */
export async function deleteTrace(home: string, subject: string): Promise<void> {
  await fs.rm(tracePath(home, subject), { force: true });
}
