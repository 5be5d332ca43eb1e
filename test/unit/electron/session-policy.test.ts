import { describe, expect, it } from 'vitest';
import { isAllowedPermission } from '../../../main/electron/session-policy';

describe('isAllowedPermission (main window session)', () => {
  it('lets only the app page write to the clipboard', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'app://patchbay/index.html', true)).toBe(true);
  });
  it.each([
    ['clipboard-read', 'app://patchbay/index.html', true],
    ['clipboard-sanitized-write', 'app://patchbay/index.html', false],
    ['clipboard-sanitized-write', 'https://evil.test/', true],
    ['clipboard-sanitized-write', undefined, true],
    ['openExternal', 'app://patchbay/index.html', true],
    ['notifications', 'app://patchbay/index.html', true],
    ['media', 'app://patchbay/index.html', true],
  ])('denies %s from %s (main frame: %s)', (permission, url, mainFrame) => {
    expect(isAllowedPermission(permission, url, mainFrame)).toBe(false);
  });
});
