/**
 * Try a request's pure parts: the prefilled path, header lines, and Copy as curl, which must put
 * $PATCHBAY_TOKEN where the credential goes and quote everything else so a shell runs it as typed.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlCommand, defaultPath, parseHeaderLines, shellQuote } from '../../../renderer/api-request-model';
import type { ProviderDefinition } from '../../../preload/contract';

const oauth: ProviderDefinition = {
  id: 'a',
  name: 'A',
  auth: 'oauth2',
  testUrl: 'https://api.a.example/v1/me',
  apiBaseUrl: 'https://api.a.example/v1',
};
const key: ProviderDefinition = {
  id: 'k',
  name: 'K',
  auth: 'apiKey',
  apiKeyHeader: 'Api-Token',
  apiKeyPrefix: 'Key $x" ',
  testUrl: 'https://k.example/me',
};

describe('Try a request model', () => {
  it('prefills the test path relative to the API base', () => {
    expect(defaultPath(oauth)).toBe('/me');
    expect(defaultPath(key)).toBe('/me');
    expect(defaultPath({ ...oauth, apiBaseUrl: 'https://other.example' })).toBe('https://api.a.example/v1/me');
  });

  it('reads header lines and names the first bad one', () => {
    expect(parseHeaderLines('A: 1\n\nB:two: three')).toEqual({
      headers: [
        ['A', '1'],
        ['B', 'two: three'],
      ],
      error: null,
    });
    expect(parseHeaderLines('A: 1\nnope').error).toContain('Line 2');
  });

  it('writes curl with $PATCHBAY_TOKEN for the credential, Bearer for OAuth', () => {
    expect(curlCommand(oauth, { method: 'GET', path: '/me', headers: [], body: '' })).toBe(
      `curl 'https://api.a.example/v1/me' -H "Authorization: Bearer $PATCHBAY_TOKEN"`,
    );
  });

  it('quotes so the shell sees exactly the values (run through sh)', () => {
    const command = curlCommand(key, {
      method: 'POST',
      path: "/it's",
      headers: [['X-Q', `a'b"$(id)`]],
      body: `{"k":"it's $HOME"}`,
    });
    // Replace curl with printf to see the words the shell would pass.
    const words = execFileSync('sh', ['-c', command.replace(/^curl/, "printf '%s\\n'")], {
      env: { PATCHBAY_TOKEN: 'T0K' },
      encoding: 'utf8',
    }).split('\n');
    expect(words.slice(0, -1)).toEqual([
      '-X',
      'POST',
      "https://k.example/it's",
      '-H',
      'Api-Token: Key $x" T0K',
      '-H',
      `X-Q: a'b"$(id)`,
      '--data-raw',
      `{"k":"it's $HOME"}`,
    ]);
    expect(shellQuote("'")).toBe(`''\\'''`);
  });
});
