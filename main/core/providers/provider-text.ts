/**
 * Text that a provider or an import file supplies, made safe to store and to show.
 *
 * Names, labels, scopes and error details come from parties Patchbay does not control. Printed
 * raw, an ESC or OSC sequence rewrites the person's terminal (clears it, changes its title, forges
 * a line such as "all connections revoked"), and a CR/LF fakes extra output lines. Every such
 * string passes through `providerText` before it is stored or shown, in every host, so the CLI,
 * the UI and the settings file see the same clean one-line text.
 */

/**
 * Whole escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, DCS/SOS/PM/APC strings and
 * two-character escapes), so their parameters do not survive as visible garbage.
 */
const ESCAPE_SEQUENCES = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]?', // CSI
    '\\u009b[0-?]*[ -/]*[@-~]?', // 8-bit CSI
    '[\\u001b][\\]PX^_][^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // OSC, DCS, SOS, PM, APC
    '[\\u009d\\u0090\\u0098\\u009e\\u009f][^\\u0007\\u001b\\u009c]*(?:\\u0007|\\u001b\\\\|\\u009c)?', // 8-bit forms
    '\\u001b[ -~]?', // any other escape
  ].join('|'),
  'g',
);

/**
 * C0 and C1 control characters, DEL, and the Unicode format characters that reorder or hide text
 * (bidi overrides and isolates, zero-width joiners, line/paragraph separators, BOM).
 */
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/** True when text holds a character providerText would remove. */
export function hasControlCharacters(text: string): boolean {
  CONTROL_OR_FORMAT.lastIndex = 0;
  return CONTROL_OR_FORMAT.test(text);
}

/**
 * One clean line of provider-supplied text: escape sequences removed, every other control or
 * format character (including CR, LF and TAB) turned into a space, spaces collapsed, trimmed,
 * and cut to `max` characters (code points, so no half surrogate is left).
 */
export function providerText(value: string, max = 200): string {
  const cleaned = value.replace(ESCAPE_SEQUENCES, '').replace(CONTROL_OR_FORMAT, ' ').replace(/ {2,}/g, ' ').trim();
  const chars = Array.from(cleaned);
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : cleaned;
}

/** Shortest stretch of a label that counts as a copied secret (long enough to be no word). */
const SECRET_WINDOW = 12;

/**
 * Does `text` carry any of `secrets` (whole, or a stretch of at least SECRET_WINDOW characters of
 * one, which is what a cut-short echo of a token leaves)? Secrets shorter than the window are
 * compared whole.
 */
export function containsSecret(text: string, secrets: ReadonlyArray<string | null | undefined>): boolean {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (known.length === 0 || text === '') return false;
  for (const secret of known) {
    if (text.includes(secret)) return true;
    if (secret.length < SECRET_WINDOW || text.length < SECRET_WINDOW) continue;
    for (let i = 0; i + SECRET_WINDOW <= text.length; i += 1) {
      if (secret.includes(text.slice(i, i + SECRET_WINDOW))) return true;
    }
  }
  return false;
}
