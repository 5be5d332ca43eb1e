import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, mimeTypeFor, resolveAppAsset } from '../../../main/electron/app-urls';

describe('isAppUrl', () => {
  it.each(['app://patchbay/index.html', 'app://patchbay/', 'app://PATCHBAY/assets/x.js'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });
  it.each([
    'app://patchbay.evil/index.html',
    'app://evil@patchbay/index.html',
    'app://patchbay:1/index.html',
    'https://patchbay/index.html',
    'file:///app/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('resolveAppAsset', () => {
  const root = path.resolve('/srv/renderer');
  it('maps the root and files under it', () => {
    expect(resolveAppAsset(root, 'app://patchbay/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://patchbay/assets/index-abc.js')).toBe(path.join(root, 'assets/index-abc.js'));
    expect(resolveAppAsset(root, 'app://patchbay/assets/a%20b.css')).toBe(path.join(root, 'assets/a b.css'));
  });
  it.each([
    'app://patchbay/../secret.txt',
    'app://patchbay/%2e%2e/secret.txt',
    'app://patchbay/assets/..%2f..%2fsecret.txt',
    'app://patchbay/assets%5c..%5csecret.txt',
    'app://patchbay/%00.js',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });
  it('serves only known file kinds', () => {
    expect(mimeTypeFor('index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('x.js')).toMatch(/javascript/);
    expect(mimeTypeFor('x.exe')).toBeNull();
  });
});
