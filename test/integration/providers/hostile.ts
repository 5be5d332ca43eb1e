/**
 * Tools for attacking Patchbay from the outside: a throwaway CLI environment with its own
 * keychain service, definition files written to disk and imported through the real CLI, an OAuth
 * connect driven through `patchbay connect --no-open --json` (the test plays the browser), and a
 * "somewhere else" server that records every request it gets (where a moved endpoint points).
 *
 * Everything runs on 127.0.0.1. Tests may list the test keychain service to see what is left in
 * it; the product itself never does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import keytar from 'keytar';
import {
  type CliEnv,
  type CliResult,
  cliEnv,
  collect,
  firstJsonLine,
  jsonLines,
  runCli,
  spawnCli,
} from '../../helpers/cli';
import { followRedirects } from './browser';

/** A CLI environment whose cleanup also empties its keychain service. */
export interface HostileEnv extends CliEnv {
  service: string;
  /** Write `value` (JSON unless a string) to a file in the home's parent folder; returns its path. */
  file(name: string, value: unknown): Promise<string>;
  /** `patchbay <args>` in this environment. */
  cli(args: string[], input?: string): Promise<CliResult>;
  /** Accounts left in this environment's keychain service. */
  keychain(): Promise<Array<{ account: string; password: string }>>;
}

/** A fresh environment (home, keychain service); call `cleanup` after the test. */
export async function hostileEnv(extra: NodeJS.ProcessEnv = {}): Promise<HostileEnv> {
  const base = await cliEnv(extra);
  const service = String(base.env.PATCHBAY_KEYCHAIN_SERVICE);
  const files = path.join(base.home, '..', `${path.basename(base.home)}-files`);
  await import('node:fs/promises').then((fs) => fs.mkdir(files, { recursive: true }));
  return {
    ...base,
    service,
    async file(name, value) {
      const target = path.join(files, name);
      await writeFile(target, typeof value === 'string' ? value : JSON.stringify(value));
      return target;
    },
    cli: (args, input = '') => runCli(args, base.env, input),
    keychain: () => keytar.findCredentials(service),
    async cleanup() {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await import('node:fs/promises').then((fs) => fs.rm(files, { recursive: true, force: true }));
      await base.cleanup();
    },
  };
}

export interface ConnectRun {
  result: CliResult;
  events: Array<Record<string, unknown>>;
  authorizeUrl: URL;
}

/**
 * `patchbay connect <id> --no-open --json`, playing the browser: `beforeBrowser` runs once the
 * authorize URL is printed (to send forged callbacks first), then the URL is followed to the
 * loopback callback like a browser tab would.
 */
export async function connectThroughCli(
  env: NodeJS.ProcessEnv,
  providerId: string,
  options: { beforeBrowser?: (authorizeUrl: URL) => Promise<void>; args?: string[] } = {},
): Promise<ConnectRun> {
  const child = spawnCli(['connect', providerId, '--no-open', '--json', ...(options.args ?? [])], env);
  child.stdin.end();
  const done = collect(child);
  const first = await firstJsonLine(child);
  if (first.event !== 'authorize') {
    const result = await done;
    throw new Error(`expected an authorize event, got ${JSON.stringify(first)}; stderr: ${result.stderr}`);
  }
  const authorizeUrl = new URL(String(first.url));
  await options.beforeBrowser?.(authorizeUrl);
  await followRedirects(authorizeUrl).catch(() => undefined);
  const result = await done;
  return { result, events: jsonLines(result.stdout), authorizeUrl };
}

/** One request as the recorder saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A server that answers 200 `{}` to everything and keeps every request (the "new origin" of a moved endpoint). */
export interface Recorder {
  base: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Start a recorder on 127.0.0.1. */
export async function startRecorder(): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"access_token":"attacker-token","token_type":"Bearer","name":"Attacker"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every C0/C1 control character except newline, for "nothing reaches the terminal" checks. */
export const CONTROL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** The escape sequences and forged line breaks a hostile provider tries. */
export const ESCAPES = '\u001b]0;pwned\u0007\u001b[2J\u001b[31m\r\nFORGED: all connections revoked';
