/**
 * Find where a field named by an import error ("[2].tokenUrl", "scopes.1", "tokenURL") sits in
 * the JSON text the person typed, so the Import dialog can say "line 7" and put the caret there.
 *
 * JSON.parse keeps no positions, so this walks the text once and records where each member's key
 * (or each list item) starts, under the same dotted names the core's errors use: items of the
 * top-level list are "[i]", deeper items "parent.i", members "parent.key".
 */

/** Start offset of every key and list item, by its field name; stops quietly at broken JSON. */
export function fieldOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i += 1;
  };
  const string = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new Error('broken string');
    }
  };
  const value = (path: string): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i += 1;
      for (;;) {
        space();
        if (text[i] === '}') return void (i += 1);
        if (text[i] !== '"') throw new Error('expected a key');
        const at = i;
        const key = string();
        const name = path ? `${path}.${key}` : key;
        offsets.set(name, at);
        space();
        if (text[i] !== ':') throw new Error('expected a colon');
        i += 1;
        value(name);
        space();
        if (text[i] === ',') i += 1;
      }
    }
    if (c === '[') {
      i += 1;
      for (let index = 0; ; index += 1) {
        space();
        if (text[i] === ']') return void (i += 1);
        const name = path ? `${path}.${index}` : `[${index}]`;
        offsets.set(name, i);
        value(name);
        space();
        if (text[i] === ',') i += 1;
      }
    }
    if (c === '"') return void string();
    const start = i;
    while (i < text.length && /[^\s,\]}]/.test(text[i] ?? '')) i += 1;
    if (i === start) throw new Error('expected a value');
  };
  try {
    space();
    offsets.set('', i);
    value('');
  } catch {
    // Broken JSON: the core's own error names the line and column; keep what was found so far.
  }
  return offsets;
}

/** 1-based line and the offsets of that line, for a field (or its nearest parent) in `text`. */
export function locateField(text: string, field: string): { line: number; start: number; end: number } | null {
  const offsets = fieldOffsets(text);
  let name = field;
  for (;;) {
    const at = offsets.get(name);
    if (at !== undefined) return lineAt(text, at);
    if (name === '') return null;
    // A missing field is reported where its object starts ("[2].testUrl" -> "[2]" -> the top).
    const cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('['));
    name = cut > 0 ? name.slice(0, cut) : '';
  }
}

/** The line holding `offset`: its number and its start and end offsets. */
export function lineAt(text: string, offset: number): { line: number; start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const next = text.indexOf('\n', offset);
  return { line: text.slice(0, start).split('\n').length, start, end: next === -1 ? text.length : next };
}

/** The line named in the core's "not valid JSON ... line 3, column 5" message, if any. */
export function lineFromMessage(text: string, message: string): { line: number; start: number; end: number } | null {
  const match = /line (\d+), column (\d+)/.exec(message);
  if (!match) return null;
  const lines = text.split('\n');
  const line = Math.min(Number(match[1]), lines.length);
  const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
  return { line, start, end: start + (lines[line - 1]?.length ?? 0) };
}
