/**
 * Command-line mistakes and help, run in-process through runCli (the same dispatcher the
 * `patchbay` binary calls) so that dozens of cases stay fast; cli-commands.test.ts checks the
 * same exit codes through a real child process.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import type { CliIo } from '../../main/cli/output';

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => stdin,
    // Point at a folder that must never be created: usage errors happen before any core work.
    env: { PATCHBAY_HOME: '/nonexistent/patchbay-usage-test', PATCHBAY_KEYCHAIN_SERVICE: 'PatchbayUsageTest' },
  };
  const code = await runCli(argv, io, { interrupt: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('patchbay usage errors (exit 2)', () => {
  it.each([
    [['frobnicate', '--json'], 'command'],
    [['status', '--verbose', '--json'], '--verbose'],
    [['connect', 'sandbox', '--timeout', 'soon', '--json'], '--timeout'],
    [['connect', 'sandbox', '--timeout', '0', '--json'], '--timeout'],
    [['connect', '--json'], 'provider'],
    [['test', '--json'], 'connection'],
    [['refresh', '--json'], 'connection'],
    [['disconnect', '--json'], 'connection'],
    [['credentials', 'set', 'livechat', '--json'], '--client-id'],
    [['credentials', 'set', 'livechat', '--client-id', '  ', '--json'], '--client-id'],
    [['credentials', 'set', '--client-id', 'x', '--json'], 'provider'],
    [['providers', 'import', '--json'], 'file.json'],
  ])('%j names %s', async (argv, field) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    const parsed = JSON.parse(result.stdout) as { error: { code: string; field?: string; message: string } };
    expect(parsed.error.code).toBe('invalid_input');
    expect(parsed.error.field).toBe(field);
    expect(parsed.error.message.length).toBeGreaterThan(20);
  });

  it('explains a usage error in a sentence on stderr without --json', async () => {
    const result = await run(['test']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"patchbay test" needs a <connection>');
  });

  it('rejects extra arguments, so a secret typed on the command line is never used', async () => {
    const result = await run(['status', 'sk-live-123', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('sk-live-123');
  });

  it('exits 2 with the overview when no command is given', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Usage:');
  });
});

describe('patchbay help (exit 0)', () => {
  it.each(['providers', 'credentials', 'connect', 'status', 'test', 'refresh', 'disconnect', 'sandbox', 'bundle'])(
    '%s --help',
    async (command) => {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: patchbay ${command}`);
      expect((await run(['help', command])).stdout).toBe(result.stdout);
    },
  );

  it('--help lists every command, --version prints the version', async () => {
    const overview = await run(['--help']);
    expect(overview.code).toBe(0);
    for (const usage of [
      'providers import <file.json>',
      'credentials set <provider>',
      'connect <provider>',
      'status',
      'test <connection>',
      'refresh <connection>',
      'disconnect <connection>',
      'sandbox',
      'bundle <connection> [-o <file>]',
      'bundle show <file>',
    ]) {
      expect(overview.stdout).toContain(`patchbay ${usage}`);
    }
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
