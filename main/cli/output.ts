/**
 * How the CLI talks back: plain sentences for people, one JSON document (or NDJSON events) for
 * scripts, and three exit codes.
 *
 * Everything a command prints goes through `CliIo`, so tests can run commands in-process and a
 * single place decides where errors go (stderr for people, stdout as `{"error":…}` with --json).
 * Nothing here ever receives a token: commands hand over views only.
 */
import { PatchbayError, toPatchbayError } from '../core/model/errors';
import type { ActionTarget } from '../../preload/action-words';
import type { BridgeError, ConnectionView } from '../../preload/contract';
import { cliError, cliText } from './action-words';

/**
 * Characters a terminal acts on instead of showing (C0 except the line feed Patchbay itself
 * writes, DEL, C1, line/paragraph separators and bidi controls).
 */
const TERMINAL_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: every control character shown as a visible `\uXXXX` escape.
 *
 * The core already strips them from provider-supplied text before storing it; this is the last
 * net for anything older (a settings file written by an earlier build) or missed, so no string
 * can clear the screen, retitle the window or forge a line.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One JSON line whose string values cannot act on a terminal (JSON.stringify leaves C1 and U+2028 raw). */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** 0 ok, 1 the operation failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Streams and environment of one CLI run (process ones in production, captured in tests). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Read all of stdin as text (only called for --api-key-stdin / --client-secret-stdin). */
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (`patchbay token` warns that the token is now on screen). */
  stdoutIsTTY?: boolean;
}

/** A mistake in the command line itself: exit code 2, `field` names the flag or argument. */
export class UsageError extends PatchbayError {
  constructor(message: string, field?: string) {
    super('invalid_input', message, field === undefined ? {} : { field });
  }
}

/** One connection as the CLI's JSON shows it (status --json, connected events, results). */
export interface ConnectionJson {
  id: string;
  providerId: string;
  label: string;
  status: ConnectionView['status'];
  scopes: string[];
  expiresAt: string | null;
  lastTestedAt: string | null;
  lastError: BridgeError | null;
}

/** What a connection's messages are about, for filling their action slots. */
export function targetOf(view: ConnectionView): ActionTarget {
  return { providerId: view.providerId, providerName: view.providerName, connectionId: view.id };
}

/** The public JSON shape of a connection: exactly these eight fields, in this order. */
export function connectionJson(view: ConnectionView): ConnectionJson {
  return {
    id: view.id,
    providerId: view.providerId,
    label: view.label,
    status: view.status,
    scopes: [...view.scopes],
    expiresAt: view.expiresAt,
    lastTestedAt: view.lastTestedAt,
    lastError: view.lastError ? cliError(view.lastError, targetOf(view)) : null,
  };
}

/** Writes a command's results in the mode the user asked for. */
export class Printer {
  /** What the command is working on, so failures name the command to run next. */
  target: ActionTarget | null = null;

  constructor(
    readonly io: CliIo,
    readonly json: boolean,
    /** The command being run, for "see its --help" hints. */
    readonly command?: string,
  ) {}

  /** A sentence for people (ignored in --json mode). */
  say(text: string): void {
    if (!this.json) this.io.stdout(`${terminalSafe(text)}\n`);
  }

  /** A note for people that is not the command's result (progress, hints): stderr. */
  note(text: string): void {
    if (!this.json) this.io.stderr(`${terminalSafe(text)}\n`);
  }

  /** One JSON value on one line (--json mode only). */
  emit(value: unknown): void {
    if (this.json) this.io.stdout(`${jsonLine(value)}\n`);
  }

  /** Report a failure in the current mode and return its exit code. */
  fail(thrown: unknown): ExitCode {
    const error = toPatchbayError(thrown);
    const code = thrown instanceof UsageError ? EXIT.usage : EXIT.failure;
    if (this.json) {
      this.io.stdout(`${jsonLine({ error: cliError(error.toBridge(), this.target) })}\n`);
    } else {
      this.io.stderr(`${terminalSafe(cliText(error.message, this.target))}\n`);
      if (thrown instanceof UsageError && !error.message.includes('--help')) {
        this.io.stderr(`Run "patchbay ${this.command ?? ''}${this.command ? ' ' : ''}--help" to see the options.\n`);
      }
    }
    return code;
  }
}

/** "in 52 minutes", "3 hours ago": for human status lines. */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const unit =
    abs >= 86_400_000
      ? (['day', 86_400_000] as const)
      : abs >= 3_600_000
        ? (['hour', 3_600_000] as const)
        : abs >= 60_000
          ? (['minute', 60_000] as const)
          : (['second', 1000] as const);
  const n = Math.max(1, Math.round(abs / unit[1]));
  const text = `${n} ${unit[0]}${n === 1 ? '' : 's'}`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}
