/**
 * The web host's pure checks: the launch key comparison, path resolution inside the renderer
 * folder, and the flow event rewrite that lets the page open the sign-in tab.
 */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { createLaunchKey, hostAllowed, keyMatches, originAllowed, presentedKey } from '../../../main/web/guard';
import { channelFromPath, eventsUrl, invokePath } from '../../../preload/web-transport';
import { resolveInside } from '../../../main/web/static-files';
import { shapeFlowEvent } from '../../../main/host/host-runtime';
import type { FlowEvent } from '../../../preload/contract';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('launch key', () => {
  it('is 32 random bytes in base64url, different every launch', () => {
    const a = createLaunchKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(createLaunchKey()).not.toBe(a);
  });
  it('matches only the exact key', () => {
    const key = createLaunchKey();
    expect(keyMatches(key, key)).toBe(true);
    expect(keyMatches(key.slice(1), key)).toBe(false);
    expect(keyMatches(`${key}x`, key)).toBe(false);
    expect(keyMatches('', key)).toBe(false);
    expect(keyMatches(null, key)).toBe(false);
    expect(keyMatches('x'.repeat(10_000), key)).toBe(false);
  });
});

describe('presented key', () => {
  const url = (path: string) => new URL(path, 'http://127.0.0.1');
  it('takes an invoke key from the header only, never from the query', () => {
    expect(presentedKey(req({ 'x-patchbay-key': 'h' }), url('/api/invoke/app:info?key=q'), 'invoke')).toBe('h');
    expect(presentedKey(req({}), url('/api/invoke/app:info?key=q'), 'invoke')).toBeNull();
  });
  it('takes the event stream key from the query first, then the header', () => {
    expect(presentedKey(req({ 'x-patchbay-key': 'h' }), url(eventsUrl('q')), 'events')).toBe('q');
    expect(presentedKey(req({ 'x-patchbay-key': 'h' }), url('/api/events'), 'events')).toBe('h');
    expect(presentedKey(req({}), url('/api/events'), 'events')).toBeNull();
  });
});

describe('web transport paths', () => {
  it('round-trips a channel through its invoke path and refuses other paths', () => {
    expect(channelFromPath(invokePath('connections:test'))).toBe('connections:test');
    expect(channelFromPath('/api/invoke/../events')).toBeNull();
    expect(channelFromPath('/api/invoke/Shell:Exec')).toBeNull();
    expect(channelFromPath('/api/events')).toBeNull();
  });
});

describe('Host and Origin', () => {
  it('accepts only 127.0.0.1 and localhost on the own port', () => {
    expect(hostAllowed(req({ host: '127.0.0.1:4000' }), 4000)).toBe(true);
    expect(hostAllowed(req({ host: 'LOCALHOST:4000' }), 4000)).toBe(true);
    expect(hostAllowed(req({ host: '127.0.0.1:4001' }), 4000)).toBe(false);
    expect(hostAllowed(req({ host: 'attacker.example:4000' }), 4000)).toBe(false);
    expect(hostAllowed(req({}), 4000)).toBe(false);
  });
  it('requires the Origin to be the address the request was sent to', () => {
    const headers = { host: '127.0.0.1:4000' };
    expect(originAllowed(req({ ...headers, origin: 'http://127.0.0.1:4000' }), 4000, true)).toBe(true);
    expect(originAllowed(req({ ...headers, origin: 'http://localhost:4000' }), 4000, true)).toBe(false);
    expect(originAllowed(req({ ...headers, origin: 'null' }), 4000, true)).toBe(false);
    expect(originAllowed(req(headers), 4000, true)).toBe(false);
    expect(originAllowed(req(headers), 4000, false)).toBe(true);
  });
});

describe('static paths', () => {
  const root = path.resolve('/srv/renderer');
  it('maps / to index.html and stays inside the folder', () => {
    expect(resolveInside(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveInside(root, '/../etc/passwd')).toBeNull();
    expect(resolveInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveInside(root, '/a%00b')).toBeNull();
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull();
  });
});

describe('flow events for the browser page', () => {
  it('asks the page to open the sign-in page only while waiting for the user, only on a host without windows', () => {
    const base = { flowId: 'f', providerId: 'sandbox', message: 'm', at: 'now' };
    const forBrowserPage = (event: FlowEvent) => shapeFlowEvent(event, { pageOpensLinks: true });
    expect(
      shapeFlowEvent(
        { ...base, stage: 'waiting_for_user', authorizeUrl: 'http://127.0.0.1:1/auth' },
        { pageOpensLinks: false },
      ).openInRenderer,
    ).toBeUndefined();
    expect(
      forBrowserPage({ ...base, stage: 'waiting_for_user', authorizeUrl: 'http://127.0.0.1:1/auth' }).openInRenderer,
    ).toBe(true);
    expect(forBrowserPage({ ...base, stage: 'exchanging' }).openInRenderer).toBeUndefined();
    expect(forBrowserPage({ ...base, stage: 'waiting_for_user' }).openInRenderer).toBeUndefined();
  });
});
