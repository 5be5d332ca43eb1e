/**
 * `patchbay` behind a corporate proxy, configured the command-line way: HTTPS_PROXY with the
 * proxy's sign-in in it and PATCHBAY_CA_FILE naming the company CA. One process per command, as a
 * person runs them: providers import, credentials set, connect (signed in through the proxy),
 * test, refresh. A wrong proxy password gives the 407 sentence and the password is in no output
 * and no file. Run inside test/with-keyring.sh (real Secret Service).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliEnv, cliEnv, collect, firstJsonLine, jsonLines, runCli, spawnCli } from '../helpers/cli';
import {
  makeTestPki,
  signInThroughProxy,
  startConnectProxy,
  type ConnectProxy,
  type TestPki,
} from './providers/corporate-network';
import { readAllFiles } from './providers/harness';
import { startOAuthServer, type OAuthServer } from './providers/oauth-server';

const HOST = 'id.acme.test';
const USER = 'bob';
const PASSWORD = 'cli-pr0xy-pa55-7e19';
const SECRET = 'acme-cli-secret-5b0a';

let pki: TestPki;
let acme: OAuthServer;
let proxy: ConnectProxy;
let env: CliEnv;
/** The connection the first test makes; the second uses it. */
let connectionId = '';

beforeAll(async () => {
  pki = await makeTestPki(HOST);
  acme = await startOAuthServer({
    clientId: 'acme-cli',
    clientSecret: SECRET,
    tls: { key: pki.key, cert: pki.cert },
    hostName: HOST,
    rotateRefresh: true,
  });
  proxy = await startConnectProxy({ hosts: [HOST], signIn: `${USER}:${PASSWORD}` });
  env = await cliEnv({
    HTTPS_PROXY: `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`,
    PATCHBAY_CA_FILE: pki.caFile,
    NO_PROXY: '',
    no_proxy: '',
  });
  const file = path.join(env.home, 'acme.json');
  await fs.writeFile(
    file,
    JSON.stringify({
      id: 'acme',
      name: 'Acme',
      auth: 'oauth2',
      authorizationUrl: `${acme.base}/authorize`,
      tokenUrl: `${acme.base}/token`,
      testUrl: `${acme.base}/me`,
      labelPath: 'name',
    }),
  );
  expect((await runCli(['providers', 'import', file, '--json'], env.env)).code).toBe(0);
  const creds = await runCli(
    ['credentials', 'set', 'acme', '--client-id', 'acme-cli', '--client-secret-stdin', '--json'],
    env.env,
    SECRET,
  );
  expect(creds.code).toBe(0);
});

afterAll(async () => {
  await env?.cleanup();
  await Promise.all([acme?.close(), proxy?.close()]);
  await pki?.cleanup();
});

describe('patchbay with HTTPS_PROXY and PATCHBAY_CA_FILE', { timeout: 120_000 }, () => {
  it('connects, tests and refreshes through the proxy', async () => {
    const child = spawnCli(['connect', 'acme', '--no-open', '--json'], env.env);
    child.stdin.end();
    const done = collect(child);
    const first = await firstJsonLine(child);
    expect(first.event).toBe('authorize');
    await signInThroughProxy(
      new URL(String(first.url)),
      `http://${USER}:${PASSWORD}@127.0.0.1:${proxy.port}`,
      pki.caFile,
    );
    const connected = await done;
    expect(connected.code, connected.stderr).toBe(0);
    const events = jsonLines(connected.stdout);
    expect(events.map((e) => e.event)).toEqual(['authorize', 'connected']);
    const id = String((events[1]?.connection as { id: string }).id);
    connectionId = id;

    const tested = await runCli(['test', id, '--json'], env.env);
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout).ok).toBe(true);
    const refreshBefore = acme.counts.refresh;
    const refreshed = await runCli(['refresh', id, '--json'], env.env);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(acme.counts.refresh).toBe(refreshBefore + 1);
    // Only the proxy knows id.acme.test; it was asked for it, with the sign-in from HTTPS_PROXY.
    expect(proxy.connects).toContain(`${HOST}:${new URL(acme.base).port}`);
    expect(proxy.authorizations).toContain(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    const all = [connected, tested, refreshed].map((r) => r.stdout + r.stderr).join('\n');
    expect(all).not.toContain(PASSWORD);
  });

  it('a wrong proxy password is the 407 sentence, and the password is in no output and no file', async () => {
    const wrongEnv = { ...env.env, HTTPS_PROXY: `http://${USER}:${PASSWORD}x@127.0.0.1:${proxy.port}` };
    const id = connectionId;
    expect(id).not.toBe('');
    const tested = await runCli(['test', id], wrongEnv);
    expect(tested.code).toBe(1);
    const said = tested.stdout + tested.stderr;
    expect(said).toContain(
      "Your network's proxy refused the connection (HTTP 407): check the proxy address and sign-in in Settings",
    );
    const json = await runCli(['refresh', id, '--json'], wrongEnv);
    expect(json.code).toBe(1);
    const everything = [said, json.stdout, json.stderr, ...(await readAllFiles(env.home)).map((f) => f.text)].join(
      '\n',
    );
    expect(everything).not.toContain(PASSWORD);
  });
});
