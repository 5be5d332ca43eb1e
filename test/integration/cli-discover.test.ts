/**
 * `patchbay providers discover` as a real child process against the real Sandbox: it prints the
 * definition it would save (sentences around it on stderr; --json the definition alone, in the
 * import format), saves nothing without --save and exactly that with it, and a wrong command line
 * exits 2 while a provider without metadata exits 1 with a plain error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type CliEnv, cliEnv, jsonLines, runCli } from '../helpers/cli';
import { resolveConfig } from '../../main/core/model/config';
import { ensureSandbox, stopEmbeddedSandboxes } from '../../main/sandbox/index';
import { parseProviderImport } from '../../main/core/providers/provider-schema';
import { startMetadataServer, type MetadataServer } from './providers/metadata-server';

const envs: CliEnv[] = [];
let server: MetadataServer | null = null;
afterEach(async () => {
  await stopEmbeddedSandboxes();
  await server?.close();
  server = null;
  while (envs.length > 0) await envs.pop()?.cleanup();
});

async function withSandbox(): Promise<{ env: NodeJS.ProcessEnv; issuer: string }> {
  const e = await cliEnv();
  envs.push(e);
  const { issuer } = await ensureSandbox(resolveConfig(e.env));
  return { env: e.env, issuer };
}

async function providerIds(env: NodeJS.ProcessEnv): Promise<string[]> {
  const listed = await runCli(['providers', '--json'], env);
  return (JSON.parse(listed.stdout) as Array<{ id: string }>).map((p) => p.id);
}

describe('patchbay providers discover', { timeout: 120_000 }, () => {
  it('prints the definition it would save and saves nothing', async () => {
    const { env, issuer } = await withSandbox();
    const result = await runCli(['providers', 'discover', issuer, '--id', 'my-sandbox', '--name', 'My Sandbox'], env);
    expect(result.code).toBe(0);
    const def = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(def).toMatchObject({ id: 'my-sandbox', name: 'My Sandbox', issuer, tokenUrl: `${issuer}/token` });
    expect(result.stderr).toContain(`Read ${issuer}/.well-known/oauth-authorization-server.`);
    expect(result.stderr).toContain('Note: Token auth method');
    expect(result.stderr).toContain('Not saved. Run it again with --save');
    expect(await providerIds(env)).not.toContain('my-sandbox');
  });

  it('--json prints the definition object in the import format; --save saves exactly it', async () => {
    const { env, issuer } = await withSandbox();
    const dry = await runCli(['providers', 'discover', issuer, '--id', 'my-sandbox', '--json'], env);
    expect(dry.code).toBe(0);
    const lines = jsonLines(dry.stdout);
    expect(lines).toHaveLength(1);
    const def = lines[0]!;
    expect(parseProviderImport(dry.stdout)).toEqual([def]);
    expect(await providerIds(env)).not.toContain('my-sandbox');

    const saved = await runCli(['providers', 'discover', issuer, '--id', 'my-sandbox', '--save', '--json'], env);
    expect(saved.code).toBe(0);
    expect(jsonLines(saved.stdout)).toEqual([def]);
    const listed = JSON.parse((await runCli(['providers', '--json'], env)).stdout) as Array<{
      id: string;
      definition: unknown;
    }>;
    expect(listed.find((p) => p.id === 'my-sandbox')?.definition).toEqual(def);

    const human = await runCli(['providers', 'discover', issuer, '--id', 'other-sandbox', '--save'], env);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('Saved provider other-sandbox');
    expect(human.stderr).toContain('patchbay credentials set other-sandbox --client-id <id>');
  });

  it('exits 2 for a wrong command line and 1 when the provider has no metadata', async () => {
    const { env } = await withSandbox();
    const missing = await runCli(['providers', 'discover'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs an <issuer>');
    const plain = await runCli(['providers', 'discover', 'http://login.acme.example'], env);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('Issuer URL must start with https://');
    const badId = await runCli(
      ['providers', 'discover', 'https://login.acme.example', '--id', 'Bad ID', '--json'],
      env,
    );
    expect(badId.code).toBe(2);
    expect(jsonLines(badId.stdout)[0]).toMatchObject({ error: { code: 'invalid_input', field: '--id' } });
    const stray = await runCli(['providers', '--save'], env);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--save only goes with "patchbay providers discover <issuer>"');

    server = await startMetadataServer();
    const none = await runCli(['providers', 'discover', server.origin, '--json'], env);
    expect(none.code).toBe(1);
    const error = jsonLines(none.stdout)[0]?.error as Record<string, unknown>;
    expect(error.code).toBe('not_found');
    expect(String(error.message)).toContain('at either address');
  });
});
