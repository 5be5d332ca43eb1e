/**
 * The product's one error type.
 *
 * Every failure a person can meet is a PatchbayError with a stable `code` (shared with the CLI
 * and the bridge) and a `message` written for people: what happened and what to do next.
 * Internal details go in `cause`, which never crosses the bridge and is redacted in traces.
 */
import type { BridgeError, ErrorCode } from '../../../preload/contract';

export interface PatchbayErrorOptions {
  field?: string;
  retryAfterSeconds?: number;
  httpStatus?: number;
  /** For invalid_input: every problem found, one per field, when there is more than one. */
  issues?: Array<{ field: string; message: string }>;
  cause?: unknown;
}

export class PatchbayError extends Error {
  override readonly name = 'PatchbayError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly httpStatus: number | undefined;
  readonly issues: Array<{ field: string; message: string }> | undefined;

  constructor(code: ErrorCode, message: string, options: PatchbayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.httpStatus = options.httpStatus;
    this.issues = options.issues;
  }

  toBridge(): BridgeError {
    const out: BridgeError = { code: this.code, message: this.message };
    if (this.field !== undefined) out.field = this.field;
    if (this.retryAfterSeconds !== undefined) out.retryAfterSeconds = this.retryAfterSeconds;
    if (this.issues !== undefined && this.issues.length > 1) out.issues = this.issues.map((i) => ({ ...i }));
    return out;
  }
}

export function isPatchbayError(value: unknown): value is PatchbayError {
  return value instanceof PatchbayError;
}

/**
 * Turn anything thrown into a PatchbayError. Unknown errors become `internal` with a generic
 * sentence: their own message may contain a URL with a code in it, so it is never shown.
 */
export function toPatchbayError(value: unknown): PatchbayError {
  if (value instanceof PatchbayError) return value;
  return new PatchbayError(
    'internal',
    'Something went wrong inside Patchbay. Copy the diagnostics and send them to support.',
    { cause: value },
  );
}

/** Shorthand for bad input: names the field and says how to fix it. */
export function invalidInput(field: string, message: string): PatchbayError {
  return new PatchbayError('invalid_input', message, { field });
}

/** Shorthand for an unknown id: says what was looked for and how to find the right one. */
export function notFound(what: string, id: string): PatchbayError {
  return new PatchbayError('not_found', `No ${what} called "${id}" exists. Check the name, or list them first.`);
}
