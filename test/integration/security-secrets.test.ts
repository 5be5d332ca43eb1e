/**
 * No token, authorization code, client secret or API key leaves the keychain: not into any file
 * under PATCHBAY_HOME (settings, traces, locks, the Sandbox's own store), not into CLI output,
 * not into a host's console, not into a bridge response or event.
 *
 * Full flows run as real processes against the real Sandbox (its sign-in and consent pages, via
 * test/helpers/sandbox-signin.ts), a provider-like OAuth server with a client secret, and an
 * API-key server. The issued values are collected where they legitimately exist — the code from
 * the callback URL, the token sets from the keychain after each step (so rotated tokens count
 * too), the secret and key we typed — and then searched for everywhere else.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CliEnv,
  cliEnv,
  collect,
  firstJsonLine,
  jsonLines,
  runCli,
  spawnCli,
  type CliResult,
} from '../helpers/cli';
import { spawnTs, stopChild } from '../helpers/node-child';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { followRedirects } from './providers/browser';
import { readAllFiles } from './providers/harness';
import { startApiKeyServer } from './providers/api-key-server';
import { acmeDefinition } from './providers/acme';
import { startOAuthServer } from './providers/oauth-server';
import { SecretScan as Secrets } from '../helpers/secret-scan';

const CLIENT_SECRET = 'sec-client-secret-Zq81vH3kLm20';
const API_KEY = 'sec-api-key-7f3b9d1e55aa0c4f';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function setup(): Promise<CliEnv> {
  const env = await cliEnv();
  cleanups.push(env.cleanup);
  return env;
}

describe('secrets stay in the keychain (CLI processes)', () => {
  it(
    'after Sandbox, client-secret OAuth and API-key flows, no issued value is in any file or any CLI output',
    { timeout: 240_000 },
    async () => {
      const { env, home } = await setup();
      const secrets = new Secrets();
      const outputs: Array<{ where: string; text: string }> = [];
      const run = async (args: string[], input = ''): Promise<CliResult> => {
        const result = await runCli(args, env, input);
        outputs.push({ where: `patchbay ${args.join(' ')}`, text: result.stdout + result.stderr });
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        return result;
      };
      const connectOAuth = async (providerId: string, browse: (url: URL) => Promise<URL>): Promise<string> => {
        const child = spawnCli(['connect', providerId, '--no-open', '--json'], env);
        child.stdin.end();
        const done = collect(child);
        const first = await firstJsonLine(child);
        const callback = await browse(new URL(String(first.url)));
        secrets.add('authorization code', callback.searchParams.get('code'));
        const result = await done;
        outputs.push({ where: `patchbay connect ${providerId}`, text: result.stdout + result.stderr });
        expect(result.code, result.stderr).toBe(0);
        return String((jsonLines(result.stdout).at(-1)?.connection as { id: string }).id);
      };

      // 1. The Sandbox through its real sign-in and consent pages; then test and refresh (rotation).
      const sandboxId = await connectOAuth('sandbox', async (url) => {
        const callback = await completeSandboxSignIn(url);
        await fetch(callback).then((r) => r.arrayBuffer());
        return callback;
      });
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), sandboxId);
      await run(['test', sandboxId, '--json']);
      await run(['refresh', sandboxId, '--json']);
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), sandboxId);

      // 2. A confidential client: the client secret goes in through stdin only.
      const oauth = await startOAuthServer({
        clientId: 'acme-client',
        clientSecret: CLIENT_SECRET,
        rotateRefresh: true,
      });
      cleanups.push(() => oauth.close());
      const apiKeyServer = await startApiKeyServer({
        header: 'api-token',
        scheme: '',
        key: API_KEY,
        path: '/me',
        answer: { name: 'Key Holder' },
      });
      cleanups.push(() => apiKeyServer.close());
      const defs = path.join(home, '..', `${path.basename(home)}-providers.json`);
      cleanups.push(() => import('node:fs/promises').then((fs) => fs.rm(defs, { force: true })));
      await writeFile(
        defs,
        JSON.stringify([
          acmeDefinition(oauth.base, { scopes: undefined }),
          {
            id: 'acme-key',
            name: 'Acme Key',
            auth: 'apiKey',
            apiKeyHeader: 'Api-Token',
            testUrl: `${apiKeyServer.base}/me`,
            labelPath: 'name',
          },
        ]),
      );
      await run(['providers', 'import', defs]);
      await run(
        ['credentials', 'set', 'acme', '--client-id', 'acme-client', '--client-secret-stdin'],
        `${CLIENT_SECRET}\n`,
      );
      secrets.add('client secret', CLIENT_SECRET);
      const acmeId = await connectOAuth('acme', (url) => followRedirects(url));
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), acmeId);
      await run(['refresh', acmeId, '--json']);
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), acmeId);

      // 3. An API key, through stdin.
      await run(['connect', 'acme-key', '--api-key-stdin', '--json'], `${API_KEY}\n`);
      secrets.add('api key', API_KEY);
      await run(['status', '--json']);

      // The flows really happened with these values (so the search below is meaningful).
      expect(oauth.counts.code).toBe(1);
      expect(oauth.counts.refresh).toBe(1);
      expect(apiKeyServer.seen).toContain(API_KEY);
      expect(secrets.values.size).toBeGreaterThanOrEqual(10);

      const files = (await readAllFiles(home)).map((f) => ({ where: path.relative(home, f.file), text: f.text }));
      expect(files.some((f) => f.where.startsWith('traces'))).toBe(true);
      expect(files.some((f) => f.where.startsWith('sandbox'))).toBe(true);
      expect(secrets.findIn(files)).toEqual([]);
      expect(secrets.findIn(outputs)).toEqual([]);
    },
  );
});

describe('secrets stay in the keychain (web host process: bridge responses, events, console)', () => {
  it(
    'a Sandbox connect, test and refresh over the web bridge never sends an issued value to the page or the console',
    { timeout: 120_000 },
    async () => {
      const { env, home } = await setup();
      const host = spawnTs('main/web/server.ts', [], { ...env, PATCHBAY_WEB_PORT: '0' });
      cleanups.push(() => stopChild(host));
      let consoleText = '';
      host.stdout.on('data', (c: Buffer) => (consoleText += c.toString('utf8')));
      host.stderr.on('data', (c: Buffer) => (consoleText += c.toString('utf8')));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`web host did not start: ${consoleText}`)), 45_000);
        const check = (): void => {
          const m = /running at (http:\/\/127\.0\.0\.1:\d+\/#key=[\w-]+)/.exec(consoleText);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        host.stdout.on('data', check);
      });
      const [origin, key] = url.split('/#key=') as [string, string];
      const received: Array<{ where: string; text: string }> = [];

      // The event stream, as the page would hold it.
      const events = await fetch(`${origin}/api/events?key=${key}`);
      expect(events.status).toBe(200);
      let eventText = '';
      const reader = events.body!.getReader();
      /** Waiters on the event stream: each resolves with its match as soon as the text has it. */
      const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
      const deliver = (): void => {
        for (const w of [...waiters]) {
          const m = w.pattern.exec(eventText);
          if (m) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(m);
          }
        }
      };
      const waitForEvent = (pattern: RegExp, what: string): Promise<RegExpExecArray> =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`the event stream never carried ${what}: ${eventText.slice(-500)}`)),
            30_000,
          );
          waiters.push({
            pattern,
            resolve: (m) => {
              clearTimeout(timer);
              resolve(m);
            },
          });
          deliver();
        });
      const pump = (async () => {
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done || !value) return;
          eventText += Buffer.from(value).toString('utf8');
          deliver();
        }
      })();
      cleanups.push(async () => {
        await reader.cancel().catch(() => undefined);
        await pump;
      });
      const authorizeUrl = waitForEvent(/"authorizeUrl":"([^"]+)"/, 'the authorization URL').then((m) => m[1]!);

      const invoke = async (
        channel: string,
        args: unknown[],
      ): Promise<{ ok: boolean; value?: unknown; error?: unknown }> => {
        const res = await fetch(`${origin}/api/invoke/${channel}`, {
          method: 'POST',
          headers: { origin, 'x-patchbay-key': key, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
        const text = await res.text();
        received.push({ where: `response ${channel}`, text });
        return JSON.parse(text) as { ok: boolean; value?: unknown; error?: unknown };
      };

      const secrets = new Secrets();
      const connecting = invoke('connections:connect', [{ providerId: 'sandbox' }]);
      const callback = await completeSandboxSignIn(await authorizeUrl);
      secrets.add('authorization code', callback.searchParams.get('code'));
      await fetch(callback).then((r) => r.arrayBuffer());
      const connected = await connecting;
      expect(connected.ok, JSON.stringify(connected)).toBe(true);
      const id = (connected.value as { id: string }).id;
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), id);
      expect((await invoke('connections:test', [id])).ok).toBe(true);
      expect((await invoke('connections:refresh', [id])).ok).toBe(true);
      await secrets.addConnection(String(env.PATCHBAY_KEYCHAIN_SERVICE), id);
      await invoke('connections:list', []);
      await invoke('connections:trace', [id]);
      await invoke('providers:list', []);
      await invoke('providers:export', []);
      // The stream is ordered: once a change made after every step above has arrived, so has every
      // event those steps caused. The marker is a provider saved now, announced as providers:changed.
      const marker = `Marker ${Date.now().toString(36)}`;
      expect(
        (
          await invoke('providers:save', [
            {
              id: 'zz-marker',
              name: marker,
              auth: 'apiKey',
              apiKeyHeader: 'X-Key',
              testUrl: 'https://marker.example/me',
            },
          ])
        ).ok,
      ).toBe(true);
      await waitForEvent(new RegExp(`providers:changed[^\\n]*\\n(?:data: )?[^\\n]*${marker}`), 'the marker provider');
      received.push({ where: 'event stream', text: eventText });
      received.push({ where: 'web host console', text: consoleText });

      expect(eventText).toContain('connections:changed');
      expect(secrets.findIn(received)).toEqual([]);
      const files = (await readAllFiles(home)).map((f) => ({ where: path.relative(home, f.file), text: f.text }));
      expect(secrets.findIn(files)).toEqual([]);
    },
  );
});
