/**
 * Corporate networks, on loopback: provider requests through a CONNECT proxy, to an HTTPS provider
 * whose certificate comes from a company CA, under a host name only the proxy resolves.
 *
 * Proves, with the real keyring and undici: requests go through the proxy (it saw the CONNECT);
 * without the CA the error names the certificate and the host; with PATCHBAY_CA_FILE (or the CA
 * file in Settings > Network) connect, test and refresh work; NO_PROXY sends a listed loopback
 * target direct; a 407 gives the plain sentence; an unreachable proxy is named; the proxy's
 * sign-in never shows up in an error, a trace or any file Patchbay writes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultCore } from '../../main/core/facade/create-core';
import type { Authorizer } from '../../main/core/model/types';
import { testBrowserAuthorizer } from './providers/browser';
import {
  proxiedBrowserAuthorizer,
  startConnectProxy,
  makeTestPki,
  type ConnectProxy,
  type TestPki,
} from './providers/corporate-network';
import { readAllFiles } from './providers/harness';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';
import { freePort } from '../helpers/ports';
import { acmeDefinition } from './providers/acme';
import { failure } from '../helpers/failure';

const HOST = 'id.acme.test';
const CLIENT_ID = 'acme-client';
const CLIENT_SECRET = 'acme-client-secret-9c2e71';
const PROXY_USER = 'alice';
const PROXY_PASSWORD = 'pr0xy-pa55word-d41c';
const UNTRUSTED = `The security certificate of ${HOST} is not trusted on this computer: if your company uses its own certificate authority, add it in Settings > Network`;
const REFUSED_407 =
  "Your network's proxy refused the connection (HTTP 407): check the proxy address and sign-in in Settings";

let pki: TestPki;
let acme: OAuthServer;
let proxy: ConnectProxy;
let guarded: ConnectProxy;

beforeAll(async () => {
  pki = await makeTestPki(HOST);
  acme = await startOAuthServer({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tls: { key: pki.key, cert: pki.cert },
    hostName: HOST,
    rotateRefresh: true,
  });
  proxy = await startConnectProxy({ hosts: [HOST] });
  guarded = await startConnectProxy({ hosts: [HOST], signIn: `${PROXY_USER}:${PROXY_PASSWORD}` });
});

afterAll(async () => {
  await Promise.all([acme?.close(), proxy?.close(), guarded?.close()]);
  await pki?.cleanup();
});

interface Opened {
  core: ReturnType<typeof createDefaultCore>;
  home: string;
  service: string;
  cleanup(): Promise<void>;
}

/** A core as the CLI and web host build it (createDefaultCore), on a fresh home and keychain service. */
async function openCore(env: Record<string, string>, authorizer: Authorizer, base = acme.base): Promise<Opened> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'patchbay-net-'));
  const service = `PatchbayTest-${randomBytes(6).toString('hex')}`;
  const core = createDefaultCore({
    env: { PATCHBAY_HOME: home, PATCHBAY_KEYCHAIN_SERVICE: service, ...env },
    authorizers: [authorizer],
    overrides: { httpTimeoutMs: 5_000, flowTimeoutMs: 20_000 },
  });
  await core.saveProvider(acmeDefinition(base));
  await core.setClientCredentials({ providerId: 'acme', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  return {
    core,
    home,
    service,
    async cleanup() {
      await core.close();
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}

const acmeTarget = () => `${HOST}:${new URL(acme.base).port}`;
const browser = () => proxiedBrowserAuthorizer(proxy.url, pki.caFile);

describe('a provider behind a CONNECT proxy with a company CA', () => {
  it('without the CA: the request went through the proxy and the error names the certificate and the host', async () => {
    const opened = await openCore({ HTTPS_PROXY: proxy.url }, browser());
    try {
      const before = proxy.connects.length;
      const tokensBefore = acme.counts.token;
      const error = await failure(opened.core.connect({ providerId: 'acme' }));
      expect(error.code).toBe('network');
      expect(error.message).toContain(UNTRUSTED);
      // The core's token request asked the proxy for the made-up host (the browser step did too).
      expect(proxy.connects.slice(before).filter((t) => t === acmeTarget()).length).toBeGreaterThanOrEqual(2);
      // TLS failed before any HTTP: the provider never saw a token request, nothing was saved.
      expect(acme.counts.token).toBe(tokensBefore);
      expect(await opened.core.listConnections()).toEqual([]);
    } finally {
      await opened.cleanup();
    }
  });

  it('with PATCHBAY_CA_FILE: connect, test and refresh work, each through the proxy', async () => {
    const opened = await openCore({ HTTPS_PROXY: proxy.url, PATCHBAY_CA_FILE: pki.caFile }, browser());
    try {
      const before = proxy.connects.length;
      const counts = { ...acme.counts };
      const view = await opened.core.connect({ providerId: 'acme' });
      expect(view.label).toBe('Ada Lovelace');
      const tested = await opened.core.test(view.id);
      expect(tested.ok).toBe(true);
      const refreshed = await opened.core.refresh(view.id);
      expect(refreshed.status).toBe('connected');
      expect(acme.counts.code - counts.code).toBe(1);
      expect(acme.counts.refresh - counts.refresh).toBe(1);
      expect(acme.counts.me - counts.me).toBeGreaterThanOrEqual(2);
      // id.acme.test resolves nowhere but in the proxy, so every answer above came through it; undici
      // keeps a tunnel open between requests, so the browser's and the core's CONNECTs are counted.
      const seen = proxy.connects.slice(before);
      expect(seen.filter((t) => t === acmeTarget()).length).toBeGreaterThanOrEqual(2);
      expect(seen.every((t) => t === acmeTarget())).toBe(true);
    } finally {
      await opened.cleanup();
    }
  });

  it('from Settings > Network: the proxy and CA file saved there are used, with no environment variables', async () => {
    const opened = await openCore({}, browser());
    try {
      const saved = await opened.core.saveNetworkSettings({ proxyUrl: proxy.url, noProxy: '', caFile: pki.caFile });
      expect(saved.inEffect).toEqual({ proxy: proxy.url, source: 'settings', caFiles: [pki.caFile] });
      const before = proxy.connects.length;
      const view = await opened.core.connect({ providerId: 'acme' });
      expect((await opened.core.test(view.id)).ok).toBe(true);
      expect(proxy.connects.slice(before).filter((t) => t === acmeTarget()).length).toBeGreaterThanOrEqual(3);
      // Taking the CA out of the settings brings the certificate error back (the dispatcher follows a save).
      await opened.core.saveNetworkSettings({ proxyUrl: proxy.url, noProxy: '', caFile: null });
      const tested = await opened.core.test(view.id);
      expect(tested.ok).toBe(false);
      expect(tested.error?.message).toContain(UNTRUSTED);
    } finally {
      await opened.cleanup();
    }
  });

  it('Settings > Network refuses a sign-in in the proxy address and an unreadable CA file, naming the field', async () => {
    const opened = await openCore({}, browser());
    try {
      const withSignIn = await failure(
        opened.core.saveNetworkSettings({
          proxyUrl: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${guarded.port}`,
          noProxy: '',
          caFile: null,
        }),
      );
      expect(withSignIn.code).toBe('invalid_input');
      expect(withSignIn.field).toBe('proxyUrl');
      expect(withSignIn.message).not.toContain(PROXY_PASSWORD);
      const missing = await failure(
        opened.core.saveNetworkSettings({ proxyUrl: null, noProxy: '', caFile: path.join(pki.dir, 'nope.pem') }),
      );
      expect(missing.field).toBe('caFile');
      expect(missing.message).toContain('cannot read');
      const notPem = await failure(
        opened.core.saveNetworkSettings({ proxyUrl: null, noProxy: '', caFile: path.join(pki.dir, 'server.ext') }),
      );
      expect(notPem.field).toBe('caFile');
      expect(notPem.message).toContain('PEM');
      const settingsText = (await readAllFiles(opened.home)).map((f) => f.text).join('\n');
      expect(settingsText).not.toContain(PROXY_PASSWORD);
    } finally {
      await opened.cleanup();
    }
  });
});

describe('proxy sign-in and reachability', () => {
  it('a 407 from the proxy is the plain sentence, and the sign-in never appears anywhere', async () => {
    const wrong = `http://${PROXY_USER}:${PROXY_PASSWORD}-wrong@127.0.0.1:${guarded.port}`;
    const opened = await openCore({ HTTPS_PROXY: wrong, PATCHBAY_CA_FILE: pki.caFile }, browser());
    try {
      const before = guarded.connects.length;
      const error = await failure(opened.core.connect({ providerId: 'acme' }));
      expect(error.code).toBe('network');
      expect(error.message).toContain(REFUSED_407);
      expect(guarded.connects.length).toBeGreaterThan(before);
      const view = await opened.core.getNetworkSettings();
      const everywhere = [
        error.message,
        JSON.stringify(error.toBridge()),
        JSON.stringify(view),
        ...(await readAllFiles(opened.home)).map((f) => f.text),
      ].join('\n');
      expect(everywhere).not.toContain(PROXY_PASSWORD);
      expect(everywhere).not.toContain(`${PROXY_USER}:`);
      expect(view.environment.httpsProxy).toBe(`http://***@127.0.0.1:${guarded.port}`);
    } finally {
      await opened.cleanup();
    }
  });

  it('with the right sign-in in HTTPS_PROXY the proxy lets the requests through', async () => {
    const right = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${guarded.port}`;
    const opened = await openCore({ HTTPS_PROXY: right, PATCHBAY_CA_FILE: pki.caFile }, browser());
    try {
      const view = await opened.core.connect({ providerId: 'acme' });
      expect((await opened.core.test(view.id)).ok).toBe(true);
      const basic = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
      expect(guarded.authorizations).toContain(basic);
      const traces = (await readAllFiles(opened.home)).map((f) => f.text).join('\n');
      expect(traces).not.toContain(PROXY_PASSWORD);
      expect(traces).not.toContain(basic.slice(6));
    } finally {
      await opened.cleanup();
    }
  });

  it('a sign-in saved in Settings > Network: the password is kept in the keychain only, and the proxy takes it', async () => {
    const opened = await openCore({}, browser());
    try {
      const base = { proxyUrl: guarded.url, noProxy: '', caFile: pki.caFile, proxyUser: PROXY_USER };
      const view = await opened.core.saveNetworkSettings({ ...base, proxyPassword: PROXY_PASSWORD });
      expect(view).toMatchObject({ proxyUser: PROXY_USER, hasProxyPassword: true });
      expect(JSON.stringify(view)).not.toContain(PROXY_PASSWORD);
      expect(await keytar.getPassword(opened.service, 'client-secret:network:proxy')).toBe(PROXY_PASSWORD);
      const connection = await opened.core.connect({ providerId: 'acme' });
      expect((await opened.core.test(connection.id)).ok).toBe(true);
      expect(guarded.authorizations).toContain(
        `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`,
      );
      // Saving again without a password keeps the saved one.
      await opened.core.saveNetworkSettings(base);
      expect((await opened.core.test(connection.id)).ok).toBe(true);
      // A wrong password: the 407 sentence, and no password anywhere on disk or in the answer.
      await opened.core.saveNetworkSettings({ ...base, proxyPassword: `${PROXY_PASSWORD}-old` });
      const refused = await opened.core.test(connection.id);
      expect(refused.error?.message).toContain(REFUSED_407);
      const disk = (await readAllFiles(opened.home)).map((f) => f.text).join('\n');
      expect(disk + JSON.stringify(refused)).not.toContain(PROXY_PASSWORD);
      // Clearing the user name removes the password from the keychain.
      await opened.core.saveNetworkSettings({ ...base, proxyUser: null });
      expect(await keytar.getPassword(opened.service, 'client-secret:network:proxy')).toBeNull();
    } finally {
      await opened.cleanup();
    }
  });

  it('a proxy nobody answers at is named as the problem, without its sign-in', async () => {
    const port = await freePort();
    const opened = await openCore(
      { HTTPS_PROXY: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}` },
      browser(),
    );
    try {
      const error = await failure(opened.core.connect({ providerId: 'acme' }));
      expect(error.code).toBe('network');
      expect(error.message).toContain(`couldn't reach your network's proxy (http://***@127.0.0.1:${port})`);
      expect(error.message).not.toContain(PROXY_PASSWORD);
    } finally {
      await opened.cleanup();
    }
  });
});

describe('NO_PROXY', () => {
  let local: OAuthServer;
  beforeAll(async () => {
    local = await startOAuthServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  });
  afterAll(async () => local?.close());

  const localTarget = () => `127.0.0.1:${new URL(local.base).port}`;

  it('a loopback provider goes through HTTP_PROXY when NO_PROXY does not list it', async () => {
    const opened = await openCore({ HTTP_PROXY: proxy.url }, testBrowserAuthorizer(), local.base);
    try {
      const view = await opened.core.connect({ providerId: 'acme' });
      expect((await opened.core.test(view.id)).ok).toBe(true);
      expect(proxy.connects).toContain(localTarget());
    } finally {
      await opened.cleanup();
    }
  });

  for (const [name, value] of [
    ['NO_PROXY', '127.0.0.1'],
    ['no_proxy', 'localhost, 127.0.0.1'],
  ] as const) {
    it(`${name}=${value} sends the loopback provider direct`, async () => {
      const port = new URL(local.base).port;
      const opened = await openCore({ HTTP_PROXY: proxy.url, [name]: value }, testBrowserAuthorizer(), local.base);
      try {
        const before = proxy.connects.length;
        const view = await opened.core.connect({ providerId: 'acme' });
        expect((await opened.core.test(view.id)).ok).toBe(true);
        expect(proxy.connects.slice(before).filter((t) => t.endsWith(`:${port}`))).toEqual([]);
      } finally {
        await opened.cleanup();
      }
    });
  }
});
