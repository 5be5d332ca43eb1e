/**
 * `patchbay token` and `patchbay exec` as real processes on the real keyring, against a provider
 * whose access tokens expire a few seconds into the test and whose refresh tokens rotate.
 *
 * token: exactly the token and a newline on stdout; a one-line warning on stderr only at a
 * terminal. exec: the token reaches the child's environment only (checked by hash, so it never
 * appears in output), stdin/stdout/stderr pass through, signals are forwarded, the exit code is
 * the child's, and nothing is written under PATCHBAY_HOME. Once the token is due, concurrent
 * processes share one refresh and the rotated refresh token is saved.
 */
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarVault } from '../../main/core/storage/vault';
import { collect, spawnCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/node-child';
import { readAllFiles } from './providers/harness';
import { API_KEY, startUseFixture, type UseFixture } from './providers/use-fixture';

let f: UseFixture;
let acme: string;
let short: string;
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
const stored = async (id = acme) => {
  const secret = await createKeytarVault(f.service).getConnectionSecret(id);
  if (secret?.kind !== 'oauth2') throw new Error('no OAuth secret');
  return secret;
};
const node = (script: string) => [process.execPath, '-e', script];
const snapshot = async () =>
  (await readAllFiles(f.cli.home)).map((x) => `${path.relative(f.cli.home, x.file)}\n${x.text}`).sort();

beforeAll(async () => {
  f = await startUseFixture({ shortTtlSeconds: 62 });
  acme = await f.connectOAuth('acme');
  short = await f.connectOAuth('acme-short');
  expect((await f.run(['connect', 'acme-key', '--api-key-stdin'], `${API_KEY}\n`)).code).toBe(0);
}, 120_000);
afterAll(async () => f?.close());

describe('patchbay token and exec', () => {
  it('token prints the access token and a newline, nothing else, without refreshing a fresh token', async () => {
    const r = await f.run(['token', 'acme'], '', { tokenOut: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${(await stored()).accessToken}\n`);
    expect(r.stderr).toBe('');
    expect(f.oauth.counts.refresh).toBe(0);
    expect(f.oauthShort.counts.refresh).toBe(0);
    const key = await f.run(['token', 'acme-key'], '', { tokenOut: true });
    expect(key.stdout).toBe(`${API_KEY}\n`);
  });

  it('exec hands the token and API base to the child only, passes stdio through, and writes nothing', async () => {
    const before = await snapshot();
    const script = `let input='';process.stdin.on('data',(d)=>input+=d).on('end',()=>{
      console.log(require('crypto').createHash('sha256').update(process.env.ACME_TOKEN).digest('hex'));
      console.log(process.env.PATCHBAY_API_BASE + ' ' + (process.env.PATCHBAY_TOKEN === undefined));
      console.log(input.toUpperCase()); console.error('to stderr'); process.exit(7);})`;
    const r = await f.run(['exec', 'acme', '--env', 'ACME_TOKEN', '--', ...node(script)], 'piped in');
    expect(r.code).toBe(7);
    expect(r.stdout).toBe(`${sha((await stored()).accessToken)}\n${f.api.base}/v1 true\nPIPED IN\n`);
    expect(r.stderr).toBe('to stderr\n');
    expect(await snapshot()).toEqual(before);
    const key = await f.run([
      'exec',
      'acme-key',
      '--',
      ...node(
        'console.log(require("crypto").createHash("sha256").update(process.env.PATCHBAY_TOKEN).digest("hex"), process.env.PATCHBAY_API_BASE)',
      ),
    ]);
    expect(key.stdout).toBe(`${sha(API_KEY)} ${f.keyApi.base}\n`);
  });

  it('token and exec with a valid token load no HTTP or trace code, no fetch, and neither node:crypto nor node:tls', async () => {
    // Their start-up is what a script pays on every call: none of that is needed without a refresh.
    // The built CLI (what people run); a load hook lists every module it loads, Node lists its built-ins.
    const cli = path.join(REPO_ROOT, 'dist/node/patchbay.js');
    expect(fs.existsSync(cli), 'build first: npm run build').toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchbay-load-hook-'));
    const hook = path.join(dir, 'hook.mjs');
    fs.writeFileSync(
      hook,
      [
        "import { register } from 'node:module';",
        "import { writeSync } from 'node:fs';",
        `register('data:text/javascript,' + encodeURIComponent("export async function load(url, context, next) { process._rawDebug('LOADED ' + url); return next(url, context); }"));`,
        "process.on('exit', () => writeSync(2, 'BUILTINS ' + process.moduleLoadList.join(',') + '\\n'));",
      ].join('\n'),
    );
    try {
      for (const args of [
        ['token', 'acme'],
        ['exec', 'acme', '--', 'true'],
      ]) {
        const child = spawn(process.execPath, [cli, ...args], {
          env: { ...f.cli.env, NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` },
        });
        child.stdin.end();
        const r = await collect(child);
        expect(r.code, r.stderr).toBe(0);
        const loaded = r.stderr
          .split('\n')
          .filter((l) => l.startsWith('LOADED '))
          .map((l) => l.slice(7));
        const builtins = /^BUILTINS (.*)$/m.exec(r.stderr)?.[1]?.split(',') ?? [];
        // The hook and the list must see the CLI itself, or the checks below prove nothing.
        expect(loaded.some((url) => url.endsWith('/dist/node/patchbay.js'))).toBe(true);
        expect(builtins).toContain('NativeModule fs');
        expect(
          loaded.filter(
            (url) =>
              /\/(trace|who-am-i|identify|provider-http|network-errors|node-fetch)-[^/]*\.js$/.test(url) ||
              url.includes('/node_modules/undici/'),
          ),
        ).toEqual([]);
        expect(
          builtins.filter((m) => /^NativeModule (crypto|tls|https?|internal\/deps\/undici\/undici)$/.test(m)),
        ).toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exec forwards signals and reports how the child ended', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawnCli(
        [
          'exec',
          'acme',
          '--',
          ...node(
            `process.on('${signal}',()=>{console.log('got ${signal}');process.exit(42)});console.log('ready');setInterval(()=>{},1000)`,
          ),
        ],
        f.cli.env,
      );
      child.stdin.end();
      const done = collect(child);
      const ready = new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()),
      );
      await Promise.race([ready, done]);
      child.kill(signal);
      const r = await done;
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`got ${signal}`);
      expect(r.code).toBe(42);
    }
    const killed = await f.run(['exec', 'acme', '--', ...node('process.kill(process.pid, "SIGKILL")')]);
    expect(killed.code).toBe(128 + 9);
  });

  it('exec refuses a bad command line and reports a missing command', async () => {
    expect((await f.run(['exec', 'acme', 'true'])).code).toBe(2);
    const env = await f.run(['exec', 'acme', '--env', 'PATH', '--', 'true', '--json']);
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('--env PATH');
    const missing = await f.run(['exec', 'acme', '--', 'patchbay-no-such-command-x']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('"patchbay-no-such-command-x" was not found');
    // Words after "--" belong to the child: "--help" there is not Patchbay's.
    const help = await f.run(['exec', 'acme', '--', 'sh', '-c', 'echo "$1"', 'sh', '--help']);
    expect(help.stdout).toBe('--help\n');
  });

  it('token warns on stderr, in one line, when stdout is a terminal', async () => {
    const cli =
      process.env.PATCHBAY_TEST_CLI === 'dist' ? 'dist/node/patchbay.js' : '--import tsx main/cli/patchbay.ts';
    const r = spawnSync('script', ['-qec', `${process.execPath} ${cli} token acme`, '/dev/null'], {
      cwd: REPO_ROOT,
      env: f.cli.env,
      encoding: 'utf8',
    });
    const lines = r.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
    expect(
      lines.filter((l) => l.startsWith('Warning:')),
      r.stdout + r.stderr,
    ).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('Warning:'))).toContain('now on your screen');
  });

  it('once the token is due, concurrent token and exec processes share one refresh and save the rotated refresh token', async () => {
    const first = await stored(short);
    // Wait for the condition itself: the token is due 60 s before it expires.
    await expect.poll(() => Date.now() >= first.expiresAt! - 60_000, { timeout: 10_000, interval: 100 }).toBe(true);
    const runs = await Promise.all([
      ...[1, 2, 3].map(() => f.run(['token', 'acme-short'], '', { tokenOut: true })),
      f.run([
        'exec',
        'acme-short',
        '--',
        ...node('console.log(require("crypto").createHash("sha256").update(process.env.PATCHBAY_TOKEN).digest("hex"))'),
      ]),
    ]);
    const now = await stored(short);
    expect(now.accessToken).not.toBe(first.accessToken);
    expect(f.oauthShort.counts.refresh).toBe(1);
    for (const r of runs.slice(0, 3)) expect(r.stdout).toBe(`${now.accessToken}\n`);
    expect(runs[3]!.stdout).toBe(`${sha(now.accessToken)}\n`);
    expect(now.refreshToken).not.toBe(first.refreshToken);
    expect(f.oauthShort.refreshTokens.has(first.refreshToken!)).toBe(false);
    await f.scan.addConnection(f.service, short);
    // Due again a moment later: request refreshes first too, and says so.
    await expect
      .poll(async () => Date.now() >= (await stored(short)).expiresAt! - 60_000, { timeout: 10_000, interval: 100 })
      .toBe(true);
    const request = JSON.parse((await f.run(['request', 'acme-short', '/me', '--json'])).stdout) as {
      status: number;
      refreshed: boolean;
    };
    expect(request).toMatchObject({ status: 200, refreshed: true });
    expect(f.oauthShort.counts.refresh).toBe(2);
    await f.scan.addConnection(f.service, short);
  });

  it('a connection that needs signing in again ends token and exec with invalid_grant and exit 1', async () => {
    f.oauthShort.refreshTokens.clear();
    const secret = await stored(short);
    await expect.poll(() => Date.now() >= secret.expiresAt! - 60_000, { timeout: 10_000, interval: 100 }).toBe(true);
    const token = await f.run(['token', 'acme-short', '--json'], '', { tokenOut: true });
    expect(token.code).toBe(1);
    expect(JSON.parse(token.stdout)).toMatchObject({ error: { code: 'invalid_grant' } });
    const exec = await f.run(['exec', 'acme-short', '--', 'true']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toMatch(/sign|connect/i);
    f.outputs.push({ where: 'token --json error', text: token.stdout });
  });

  it("leaves no issued secret in any file under PATCHBAY_HOME or in any output but token's stdout", async () => {
    const files = (await readAllFiles(f.cli.home)).map((x) => ({
      where: path.relative(f.cli.home, x.file),
      text: x.text,
    }));
    expect(f.scan.findIn(files)).toEqual([]);
    expect(f.scan.findIn(f.outputs)).toEqual([]);
  });
});
