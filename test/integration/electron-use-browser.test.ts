/**
 * "Use my browser instead" in the desktop app, through the wiring core-setup.ts builds: the open
 * sign-in window hands the same attempt (same URL, same state and PKCE) to the system browser.
 *
 * For a provider with a fixed loopback port the browser comes back to a real one-shot listener
 * on 127.0.0.1 — this test plays the browser with an HTTP request to it. The deep-link half is
 * covered in test/unit/electron/wiring.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderDefinition } from '../../preload/contract';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { DeepLinkQueue } from '../../main/electron/deep-link-queue';
import { freePort } from '../helpers/ports';
import { createElectronStandIn } from '../electron-stand-in';

// One ready app for the file (one per process, as in Electron).
const electron = createElectronStandIn({ platform: 'linux' });
electron.control.launch();
const { module: e, control } = electron;
vi.mock('electron', () => electron.module);

const { createEmbeddedAuthorizer } = await import('../../main/electron/auth-window');
const { createDeepLinkFallback, createLoopbackFallback, firstFallback } =
  await import('../../main/electron/browser-authorizer');

let opened: URL[];
let embedded: ReturnType<typeof createEmbeddedAuthorizer>;
beforeEach(() => {
  e.shell.opened.length = 0;
  opened = [];
  const loopback = createLoopbackAuthorizer({ openUrl: (url) => void opened.push(url) });
  // As core-setup.ts: the OS does not route patchbay: here (the stand-in's isDefaultProtocolClient is false).
  embedded = createEmbeddedAuthorizer({
    parent: () => null,
    fallback: firstFallback(createDeepLinkFallback(new DeepLinkQueue()), createLoopbackFallback(loopback)),
  });
});
afterEach(() => [...control.windows].forEach((w) => w.destroy()));

function authorizationUrl(redirectUri: string): URL {
  const url = new URL('https://accounts.example.test/authorize');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', 'state-1');
  return url;
}

describe('"Use my browser instead" (desktop)', () => {
  it('a provider with a fixed loopback port continues the same attempt in the browser, back through 127.0.0.1', async () => {
    const port = await freePort();
    const provider: ProviderDefinition = { id: 'livechat', name: 'LiveChat', auth: 'oauth2', loopbackPort: port };
    const prepared = await embedded.prepare(provider);
    expect(prepared.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
    const url = authorizationUrl(prepared.redirectUri);
    const result = prepared.authorize(url, new AbortController().signal);
    const win = control.created.at(-1)!;

    await expect(embedded.useBrowser('livechat')).resolves.toBe(true);
    expect(win.isDestroyed()).toBe(true);
    await vi.waitFor(() => expect(opened.map(String)).toEqual([url.href]));
    // The browser comes back with the provider's answer.
    const reply = await fetch(`http://127.0.0.1:${port}/callback?code=c1&state=state-1`);
    expect(reply.status).toBe(200);
    await expect(result).resolves.toEqual(new URL(`http://127.0.0.1:${port}/callback?code=c1&state=state-1`));
    await prepared.dispose();
  });

  it('after the sign-in window was closed there is nothing to switch, and nothing opens', async () => {
    const port = await freePort();
    const prepared = await embedded.prepare({ id: 'livechat', name: 'LiveChat', auth: 'oauth2', loopbackPort: port });
    const result = prepared.authorize(authorizationUrl(prepared.redirectUri), new AbortController().signal);
    control.created.at(-1)!.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    await expect(embedded.useBrowser('livechat')).rejects.toMatchObject({ code: 'not_found' });
    expect(opened).toEqual([]);
    await prepared.dispose();
  });

  it('a provider on the custom scheme, where the OS does not route it here, is refused with the reason', async () => {
    expect(e.app.isDefaultProtocolClient('patchbay')).toBe(false);
    const prepared = await embedded.prepare({ id: 'sandbox', name: 'Sandbox', auth: 'oauth2' });
    const result = prepared.authorize(authorizationUrl(prepared.redirectUri), new AbortController().signal);
    const refusal = await embedded.useBrowser('sandbox').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'invalid_input', field: 'mode' });
    expect(String((refusal as Error).message)).toMatch(
      /Finish signing in in the Patchbay sign-in window, or press Cancel/,
    );
    expect(e.shell.opened).toEqual([]);
    expect(control.created.at(-1)!.isDestroyed()).toBe(false);
    control.created.at(-1)!.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });
});
