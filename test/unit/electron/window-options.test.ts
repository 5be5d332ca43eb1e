import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  authPartitionName,
  authWindowOptions,
  contentSecurityPolicy,
  mainWindowOptions,
} from '../../../main/electron/window-options';

const HARDENED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  disableBlinkFeatures: 'Auxclick',
};

describe('mainWindowOptions', () => {
  it('is hardened and carries only the preload given', () => {
    const options = mainWindowOptions('/app/dist/electron/preload.cjs');
    expect(options.webPreferences).toMatchObject({ ...HARDENED, preload: '/app/dist/electron/preload.cjs' });
    expect(options.webPreferences?.partition).toBeUndefined();
    expect(options.show).toBe(false);
  });
});

describe('authWindowOptions', () => {
  it('is hardened, has no preload and uses the given in-memory partition', () => {
    const partition = authPartitionName('0f8c2d1e-aaaa-bbbb');
    const options = authWindowOptions(partition, 'Sign in to Sandbox');
    expect(options.webPreferences).toMatchObject({ ...HARDENED, partition });
    expect(options.webPreferences?.preload).toBeUndefined();
    expect(partition.startsWith('persist:')).toBe(false);
  });

  it('refuses a persistent partition', () => {
    expect(() => authWindowOptions('persist:auth', 'x')).toThrow(/in-memory/);
  });

  it('gives each attempt its own partition and refuses odd ids', () => {
    expect(authPartitionName('attempt-0001')).not.toBe(authPartitionName('attempt-0002'));
    expect(() => authPartitionName('persist:x')).toThrow();
    expect(() => authPartitionName('short')).toThrow();
  });
});

describe('contentSecurityPolicy', () => {
  const csp = contentSecurityPolicy();
  const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

  it('allows scripts only from the app, never inline or eval', () => {
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).not.toMatch(/unsafe-inline/);
  });

  it('denies network, frames, objects and base/form tricks', () => {
    expect(directive('default-src')).toBe("default-src 'none'");
    expect(directive('connect-src')).toBe("connect-src 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
  });

  it('is served from an app:// origin', () => {
    expect(APP_ORIGIN).toBe('app://patchbay');
  });
});
