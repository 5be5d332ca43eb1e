/**
 * One engine under test: a throwaway PATCHBAY_HOME, a unique keychain service on the real
 * Secret Service (test/with-keyring.sh), the real settings store and keytar vault.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import keytar from 'keytar';
import { createCore } from '../../../main/core/facade/create-core';
import { openSettings } from '../../../main/core/storage/settings';
import type { Authorizer, CoreOptions } from '../../../main/core/model/types';
import { createKeytarVault } from '../../../main/core/storage/vault';
import { startSandbox } from '../../../main/sandbox/starter';
import { embeddedLikeAuthorizer, testBrowserAuthorizer } from './browser';

export interface Harness {
  home: string;
  service: string;
  core: ReturnType<typeof createCore>;
  vault: ReturnType<typeof createKeytarVault>;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Build a core on a fresh home and keychain service. The browser authorizer is the default. */
export async function makeHarness(
  options: { authorizers?: Authorizer[] } & Partial<CoreOptions> = {},
): Promise<Harness> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'patchbay-engine-'));
  const service = `PatchbayTest-${randomBytes(6).toString('hex')}`;
  const vault = createKeytarVault(service);
  const { authorizers, ...rest } = options;
  const core = createCore({
    home,
    keychainService: service,
    settings: openSettings({ home }),
    vault,
    authorizers: authorizers ?? [testBrowserAuthorizer(), embeddedLikeAuthorizer()],
    flowTimeoutMs: 20_000,
    httpTimeoutMs: 5_000,
    startSandbox,
    ...rest,
  });
  return {
    home,
    service,
    core,
    vault,
    env: { PATCHBAY_HOME: home, PATCHBAY_KEYCHAIN_SERVICE: service },
    async cleanup() {
      await core.close();
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}

/** Every file under a folder with its text, for "no secret on disk" checks. */
export async function readAllFiles(dir: string): Promise<Array<{ file: string; text: string }>> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, text: await fs.readFile(file, 'utf8') });
  }
  return out;
}

/** Entries the service holds in the real keychain. */
export async function keychainAccounts(service: string): Promise<string[]> {
  return (await keytar.findCredentials(service)).map((c) => c.account).sort();
}
