import { describe, expect, it } from 'vitest';
import { fieldOffsets, lineFromMessage, locateField } from '../../../renderer/json-locate';

const TEXT = `[
  {
    "id": "alpha",
    "name": "Alpha",
    "scopes": ["read", "write"]
  },
  {
    "id": "beta",
    "tokenURL": "https://beta.example/token",
    "extraAuthorizeParams": { "state": "x" }
  }
]`;

describe('locateField', () => {
  it('finds keys and list items under the names the core uses', () => {
    expect(locateField(TEXT, '[1].tokenURL')?.line).toBe(9);
    expect(locateField(TEXT, '[0].scopes.1')?.line).toBe(5);
    expect(locateField(TEXT, '[1].extraAuthorizeParams.state')?.line).toBe(10);
    expect(locateField(TEXT, '[1].id')?.line).toBe(8);
  });

  it('points a missing field at the start of its object, or of the file', () => {
    expect(locateField(TEXT, '[1].testUrl')?.line).toBe(7);
    expect(locateField('{"id": "x"}', 'testUrl')?.line).toBe(1);
    expect(locateField('\n\n  {"id": "x"}', 'name')?.line).toBe(3);
  });

  it('gives the offsets of the whole line so the editor can select it', () => {
    const where = locateField(TEXT, '[1].tokenURL');
    expect(where && TEXT.slice(where.start, where.end)).toBe('    "tokenURL": "https://beta.example/token",');
  });

  it('keeps quoted braces, escapes and broken JSON from confusing it', () => {
    expect(locateField('{"a": "} \\" {", "b": 1}', 'b')?.line).toBe(1);
    const broken = '{\n  "id": "x",\n  "name": \n';
    expect(fieldOffsets(broken).has('id')).toBe(true);
    expect(locateField(broken, 'name')?.line).toBe(3);
  });
});

describe('lineFromMessage', () => {
  it('reads the line of a JSON syntax error', () => {
    expect(
      lineFromMessage('{\n "a": 1,\n}', 'The file is not valid JSON: there is a mistake at line 3, column 1.'),
    ).toEqual({ line: 3, start: 11, end: 12 });
    expect(lineFromMessage('{}', 'Something else')).toBeNull();
  });
});
