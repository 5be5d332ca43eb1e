/**
 * The Sandbox's file adapter on its own: expiry, consume, grant revocation, lookups by uid,
 * and bearer values never written to disk. A fake clock drives expiry without waiting.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileAdapterFactory } from '../../main/sandbox/file-adapter';
import { tempHome } from '../helpers/ports';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup() {
  const { home, cleanup } = await tempHome('patchbay-adapter-');
  cleanups.push(cleanup);
  let now = 1_000_000;
  const factory = createFileAdapterFactory(path.join(home, 'store'), () => now);
  return { home, factory, advance: (ms: number) => (now += ms) };
}

async function diskText(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

describe('Sandbox file adapter', () => {
  it('stores and finds records, and forgets them once expired', async () => {
    const { factory, advance } = await setup();
    const sessions = factory('Session');
    await sessions.upsert('session-1', { jti: 'session-1', uid: 'uid-1', accountId: 'Acme' }, 10);
    expect(await sessions.find('session-1')).toMatchObject({ uid: 'uid-1', accountId: 'Acme' });
    expect(await sessions.findByUid('uid-1')).toMatchObject({ jti: 'session-1' });
    advance(9_000);
    expect(await sessions.find('session-1')).toBeDefined();
    advance(2_000);
    expect(await sessions.find('session-1')).toBeUndefined();
    expect(await sessions.findByUid('uid-1')).toBeUndefined();
  });

  it('keeps token values off disk but gives them back on find', async () => {
    const { factory, home } = await setup();
    const tokens = factory('RefreshToken');
    const value = 'rt-value-that-must-not-be-on-disk-123456';
    await tokens.upsert(value, { jti: value, grantId: 'g1', kind: 'RefreshToken' }, 60);
    expect(await tokens.find(value)).toMatchObject({ jti: value, grantId: 'g1' });
    expect(await diskText(home)).not.toContain(value);
  });

  it('marks a record consumed and destroys it', async () => {
    const { factory } = await setup();
    const codes = factory('AuthorizationCode');
    await codes.upsert('code-1', { jti: 'code-1', grantId: 'g1' }, 60);
    await codes.consume('code-1');
    expect((await codes.find('code-1'))?.consumed).toEqual(expect.any(Number));
    await codes.destroy('code-1');
    expect(await codes.find('code-1')).toBeUndefined();
  });

  it('revokes every token of one grant, across models, and nothing else', async () => {
    const { factory } = await setup();
    const access = factory('AccessToken');
    const refresh = factory('RefreshToken');
    await access.upsert('at-1', { grantId: 'g1' }, 60);
    await refresh.upsert('rt-1', { grantId: 'g1' }, 60);
    await access.upsert('at-2', { grantId: 'g2' }, 60);
    await refresh.revokeByGrantId('g1');
    expect(await access.find('at-1')).toBeUndefined();
    expect(await refresh.find('rt-1')).toBeUndefined();
    expect(await access.find('at-2')).toMatchObject({ grantId: 'g2' });
  });

  it('is shared by two adapter factories on the same folder (two processes)', async () => {
    const { factory, home } = await setup();
    const other = createFileAdapterFactory(path.join(home, 'store'));
    await factory('Grant').upsert('grant-1', { jti: 'grant-1', accountId: 'Acme', clientId: 'patchbay-desktop' });
    expect(await other('Grant').find('grant-1')).toMatchObject({ accountId: 'Acme' });
  });
});
