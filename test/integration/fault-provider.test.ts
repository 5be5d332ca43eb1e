/**
 * Provider faults at the token endpoint, on real sockets: refused, reset mid-response, hang past
 * the timeout, HTML, empty body, 5xx, 429 with Retry-After, invalid JSON, a 50 MB stream.
 *
 * For each: the right PatchbayError code, a plain sentence (no markup, no body echo, no stack),
 * and nothing lost — a refresh that fails leaves the saved token set in the keychain and the
 * connection record in place; a code exchange that fails saves nothing half-way. Run inside
 * test/with-keyring.sh (real Secret Service).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ProviderDefinition } from '../../preload/contract';
import { PatchbayError } from '../../main/core/model/errors';
import { openSettings } from '../../main/core/storage/settings';
import type { ConnectionRecord, ConnectionSecret } from '../../main/core/model/types';
import { keychainAccounts, makeHarness, type Harness } from './providers/harness';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

type Mode = 'reset' | 'hang' | 'html' | 'empty' | '5xx' | '429' | 'badjson' | 'huge';

/** A token endpoint that misbehaves in the chosen way and counts requests and bytes sent. */
interface FaultServer {
  base: string;
  mode: Mode;
  requests: number;
  bytesSent: number;
  close(): Promise<void>;
}

const HTML_PAGE = '<html><body><h1>Bad Gateway</h1><p>upstream trace id 1234 debug=on</p></body></html>';

async function startFaultServer(): Promise<FaultServer> {
  const state: FaultServer = { base: '', mode: 'html', requests: 0, bytesSent: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    req.resume();
    switch (state.mode) {
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"access_token":"partial');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case 'hang':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end(HTML_PAGE);
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': 'application/json' }).end();
        return;
      case '5xx':
        res.writeHead(503, { 'content-type': 'text/html' }).end(HTML_PAGE);
        return;
      case '429':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' }).end('{"error":"slow_down"}');
        return;
      case 'badjson':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token": "x", "token_type": bearer');
        return;
      case 'huge': {
        // Up to 50 MB, written only as fast as the client reads (drain), so bytesSent is what it took.
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        let left = Math.floor((50 * 1024 * 1024) / chunk.length);
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            left -= 1;
            state.bytesSent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => {
          left = 0;
        });
        res.write('{"pad":"');
        pump();
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A closed port: listen, note the port, close. Nothing answers there. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const EXPECTED: Array<[Mode | 'refused', ErrorCode]> = [
  ['refused', 'network'],
  ['reset', 'network'],
  ['hang', 'timeout'],
  ['html', 'provider_error'],
  ['empty', 'provider_error'],
  ['5xx', 'provider_error'],
  ['429', 'rate_limited'],
  ['badjson', 'provider_error'],
  ['huge', 'provider_error'],
];

/** A sentence for people: no markup, no echoed body, no stack, no raw library error, ends with a full stop. */
function expectPlain(error: PatchbayError): void {
  expect(error.message).toMatch(/^[A-Z].{20,}\.$/s);
  expect(error.message).not.toMatch(/<|>|upstream|debug=|partial|at \w+ \(|Error:|TypeError|ECONN|undefined|null/);
}

let oauth: OAuthServer;
let faults: FaultServer;
let harness: Harness;
let refusedBase: string;
let seededId = '';
const downId = 'acme-down0001';
const seeded: ConnectionSecret = {
  kind: 'oauth2',
  accessToken: 'fault-at-0001-keep-me',
  refreshToken: 'fault-rt-0001-keep-me',
  tokenType: 'bearer',
  expiresAt: Date.now() - 1_000,
};

/** The same settings file the core uses (a second store on it, like another process). */
const store = () => openSettings({ home: harness.home });

function def(tokenBase: string, id = 'acme'): ProviderDefinition {
  return {
    id,
    name: 'Acme',
    auth: 'oauth2',
    authorizationUrl: `${oauth.base}/authorize`,
    tokenUrl: `${tokenBase}/token`,
    scopes: ['read'],
  };
}

beforeAll(async () => {
  oauth = await startOAuthServer({ clientId: 'acme-client', clientSecret: 'fault-client-secret' });
  faults = await startFaultServer();
  refusedBase = `http://127.0.0.1:${await closedPort()}`;
  harness = await makeHarness({ httpTimeoutMs: 1_500 });
  await harness.core.saveProvider(def(faults.base));
  await harness.core.setClientCredentials({
    providerId: 'acme',
    clientId: 'acme-client',
    clientSecret: 'fault-client-secret',
  });
  // An existing, expired connection whose refresh will meet each fault.
  seededId = 'acme-fault0001';
  await harness.vault.setConnectionSecret(seededId, seeded);
  const record: ConnectionRecord = {
    id: seededId,
    providerId: 'acme',
    auth: 'oauth2',
    label: 'Existing',
    scopes: ['read'],
    expiresAt: new Date(seeded.expiresAt!).toISOString(),
    createdAt: new Date().toISOString(),
    state: 'ok',
    hasRefreshToken: true,
    lastTest: null,
    lastError: null,
  };
  // The same, on a provider whose token endpoint nothing answers. A provider update may not move a
  // connected provider's endpoints to another origin, so "refused" gets its own provider from the start.
  await harness.core.saveProvider(def(refusedBase, 'acme-down'));
  await harness.core.setClientCredentials({
    providerId: 'acme-down',
    clientId: 'acme-client',
    clientSecret: 'fault-client-secret',
  });
  await harness.vault.setConnectionSecret(downId, seeded);
  await store().update((d) => {
    d.connections.push(record, { ...record, id: downId, providerId: 'acme-down' });
  });
});

afterAll(async () => {
  await harness?.cleanup();
  await faults?.close();
  await oauth?.close();
});

describe('provider faults during a refresh: the right code, a plain sentence, nothing lost', () => {
  it.each(EXPECTED)('%s -> %s', async (mode, code) => {
    const id = mode === 'refused' ? downId : seededId;
    if (mode !== 'refused') faults.mode = mode;
    const before = faults.requests;
    const error = await harness.core.refresh(id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PatchbayError);
    const e = error as PatchbayError;
    expect(e.code).toBe(code);
    expectPlain(e);
    // Never retried in a loop: one request per attempt.
    expect(faults.requests - before).toBe(mode === 'refused' ? 0 : 1);
    if (mode === '429') expect(e.retryAfterSeconds).toBe(120);
    if (mode === 'huge') expect(faults.bytesSent).toBeLessThan(8 * 1024 * 1024);
    // Nothing lost: the same token set, the same record, not marked for reconnection.
    expect(await harness.vault.getConnectionSecret(id)).toEqual(seeded);
    const record = store()
      .read()
      .connections.find((c) => c.id === id);
    expect(record?.state).toBe('ok');
    expect(record?.hasRefreshToken).toBe(true);
    expect(record?.lastError?.code).toBe(code);
  });
});

describe('provider faults during the code exchange: nothing half-saved', () => {
  it.each(EXPECTED.filter(([m]) => ['refused', 'reset', 'hang', 'badjson', '429'].includes(m)))(
    '%s -> %s, no connection and no keychain entry',
    async (mode, code) => {
      // One provider per mode: moving a provider with a client secret to another origin is refused.
      const providerId = `acme-new-${mode}`;
      await harness.core.saveProvider(def(mode === 'refused' ? refusedBase : faults.base, providerId));
      await harness.core.setClientCredentials({
        providerId,
        clientId: 'acme-client',
        clientSecret: 'fault-client-secret',
      });
      if (mode !== 'refused') faults.mode = mode;
      const error = await harness.core.connect({ providerId }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as PatchbayError).code).toBe(code);
      expectPlain(error as PatchbayError);
      expect((await harness.core.listConnections()).map((c) => c.id).sort()).toEqual([downId, seededId].sort());
      expect((await keychainAccounts(harness.service)).filter((a) => a.startsWith('connection:')).sort()).toEqual(
        [`connection:${downId}`, `connection:${seededId}`].sort(),
      );
    },
  );
});
