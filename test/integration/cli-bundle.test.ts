/**
 * `patchbay bundle` and `patchbay bundle show` as real processes, against the real Sandbox and
 * the real keyring: the bundle of a fresh Sandbox connection holds none of the values issued for
 * it (the authorization code, the access, refresh and ID tokens from the keychain), and a hostile
 * file (too large, not JSON, the wrong format, a broken field, control characters) is refused with
 * the problem named, or shown cleaned. Run inside test/with-keyring.sh.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliEnv, cliEnv, collect, firstJsonLine, runCli, spawnCli } from '../helpers/cli';
import { completeSandboxSignIn } from '../helpers/sandbox-signin';
import { SecretScan } from '../helpers/secret-scan';
import { stopEmbeddedSandboxes } from '../../main/sandbox/index';

const envs: CliEnv[] = [];
afterEach(async () => {
  await stopEmbeddedSandboxes();
  while (envs.length > 0) await envs.pop()?.cleanup();
});

async function connectSandbox(env: NodeJS.ProcessEnv): Promise<{ id: string; code: string }> {
  const child = spawnCli(['connect', 'sandbox', '--no-open', '--json'], env);
  child.stdin.end();
  const done = collect(child);
  const first = await firstJsonLine(child);
  const callback = await completeSandboxSignIn(new URL(String(first.url)), {});
  expect((await fetch(callback)).status).toBe(200);
  const result = await done;
  expect(result.code).toBe(0);
  const connected = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { connection: { id: string } };
  return { id: connected.connection.id, code: String(callback.searchParams.get('code')) };
}

describe('patchbay bundle', { timeout: 180_000 }, () => {
  it('writes a bundle of a Sandbox connection with no issued value in it, and shows it read-only', async () => {
    const env = await cliEnv();
    envs.push(env);
    const { id, code } = await connectSandbox(env.env);
    expect((await runCli(['test', id], env.env)).code).toBe(0);
    const file = path.join(env.home, 'ticket.json');
    const saved = await runCli(['bundle', 'sandbox', '-o', file, '--json'], env.env);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ file, connectionId: id });
    const text = await readFile(file, 'utf8');

    const scan = new SecretScan();
    scan.add('authorization code', code);
    await scan.addConnection(String(env.env.PATCHBAY_KEYCHAIN_SERVICE), id);
    expect(scan.values.size).toBeGreaterThanOrEqual(3);
    expect(scan.findIn([{ where: 'the bundle', text }])).toEqual([]);

    const bundle = JSON.parse(text) as Record<string, unknown>;
    expect(bundle).toMatchObject({ format: 'patchbay-support-bundle', formatVersion: 1 });
    expect(Object.keys(bundle)).toEqual([
      'format',
      'formatVersion',
      'createdAt',
      'app',
      'provider',
      'connection',
      'trace',
      'scopes',
      'tokens',
      'clockSkewSeconds',
      'diagnosis',
    ]);
    expect(bundle.clockSkewSeconds).toBe(0);

    const shown = await runCli(['bundle', 'show', file], env.env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Support bundle (read-only)');
    expect(shown.stdout).toContain(`Connection: Acme (Sandbox), connected. ID ${id}`);
    expect(shown.stdout).toContain('Diagnosis: no known failure signature.');
    expect(shown.stdout).toMatch(/Trace \(\d+ steps, oldest first\)/);
    expect(scan.findIn([{ where: 'bundle show', text: shown.stdout + shown.stderr }])).toEqual([]);
  });

  it('refuses hostile files with the problem named, and strips control characters from what it shows', async () => {
    const env = await cliEnv();
    envs.push(env);
    const { id } = await connectSandbox(env.env);
    const good = path.join(env.home, 'good.json');
    expect((await runCli(['bundle', id, '-o', good], env.env)).code).toBe(0);
    const bundle = JSON.parse(await readFile(good, 'utf8')) as { connection: { label: string }; trace: unknown[] };
    const at = (name: string) => path.join(env.home, name);

    await writeFile(at('huge.json'), `{"format":"patchbay-support-bundle","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    await writeFile(at('not-json.json'), '{"format": "patchbay-support-bundle",');
    await writeFile(at('providers.json'), JSON.stringify([{ id: 'acme', name: 'Acme', auth: 'apiKey' }]));
    await writeFile(at('bad-field.json'), JSON.stringify({ ...bundle, trace: 'everything is fine' }));
    await writeFile(at('newer.json'), JSON.stringify({ ...bundle, formatVersion: 7 }));
    const cases: Array<[string, RegExp]> = [
      ['huge.json', /larger than 1\.5 MB.*not opened/],
      ['not-json.json', /not JSON/],
      ['providers.json', /not a Patchbay support bundle \(its "format"/],
      ['bad-field.json', /support bundle's "trace" .*ask for a new support bundle/],
      ['newer.json', /newer Patchbay \(format 7\)/],
    ];
    for (const [name, message] of cases) {
      const result = await runCli(['bundle', 'show', at(name)], env.env);
      expect(result.code, name).toBe(1);
      expect(result.stdout, name).toBe('');
      expect(result.stderr, name).toMatch(message);
    }

    const hostile = structuredClone(bundle);
    hostile.connection.label = 'Acme\u001b[2J\u001b]0;pwned\u0007\r\nAll connections revoked';
    await writeFile(at('controls.json'), JSON.stringify(hostile));
    const shown = await runCli(['bundle', 'show', at('controls.json'), '--json'], env.env);
    expect(shown.code, shown.stderr).toBe(0);
    const parsed = JSON.parse(shown.stdout) as { connection: { label: string } };
    expect(parsed.connection.label).toBe('Acme All connections revoked');
    const human = await runCli(['bundle', 'show', at('controls.json')], env.env);
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(human.stdout).not.toContain('pwned');
  });
});
