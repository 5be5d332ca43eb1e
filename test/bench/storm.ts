/**
 * refresh_storm_inprocess and refresh_storm_processes: how many refresh requests the provider
 * sees when 50 callers in one process, or 6 `patchbay test` processes, use one expired connection
 * at the same moment. The provider rotates refresh tokens (a second refresh with the old token
 * would fail) and answers refreshes slowly, so the callers really overlap.
 */
import { createCore } from '../../main/core/facade/create-core';
import { createLoopbackAuthorizer } from '../../main/core/authorizers/loopback-authorizer';
import { openSettings } from '../../main/core/storage/settings';
import { createKeytarVault } from '../../main/core/storage/vault';
import { startOAuthServer } from '../integration/providers/oauth-server';
import { CLI, NODE, benchHome, log, timedRun } from './util';

export interface StormResult {
  inProcess: number;
  processes: number;
  inProcessOk: number;
  processesOk: number;
}

async function browse(url: URL): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const back = await fetch(new URL(res.headers.get('location') ?? '', url));
  await back.arrayBuffer();
}

export async function measureStorms(callers = 50, processes = 6): Promise<StormResult> {
  const provider = await startOAuthServer({
    clientId: 'storm-client',
    clientSecret: 'storm-secret-9a8b',
    expiresIn: 30,
    rotateRefresh: true,
    refreshDelayMs: 300,
  });
  const box = await benchHome('storm');
  const core = createCore({
    home: box.home,
    keychainService: box.service,
    settings: openSettings({ home: box.home }),
    vault: createKeytarVault(box.service),
    authorizers: [createLoopbackAuthorizer({ openUrl: browse })],
  });
  try {
    const base = provider.base;
    await core.saveProvider({
      id: 'storm',
      name: 'Storm',
      authorizationUrl: `${base}/authorize`,
      tokenUrl: `${base}/token`,
      testUrl: `${base}/me`,
      labelPath: 'name',
      scopes: ['read'],
    });
    await core.setClientCredentials({
      providerId: 'storm',
      clientId: 'storm-client',
      clientSecret: 'storm-secret-9a8b',
    });

    // In-process: 30-second tokens are due for renewal at once; renewed ones last an hour.
    provider.options.expiresIn = 30;
    const first = await core.connect({ providerId: 'storm' });
    provider.options.expiresIn = 3600;
    let before = provider.counts.refresh;
    const results = await Promise.all(Array.from({ length: callers }, () => core.test(first.id)));
    const inProcess = provider.counts.refresh - before;
    const inProcessOk = results.filter((r) => r.ok).length;

    // Processes: a second expired connection, six CLI processes started together.
    provider.options.expiresIn = 30;
    const second = await core.connect({ providerId: 'storm', allowSameAccount: true });
    provider.options.expiresIn = 3600;
    before = provider.counts.refresh;
    const runs = await Promise.all(
      Array.from({ length: processes }, () => timedRun(NODE, [CLI, 'test', second.id, '--json'], box.env)),
    );
    const processesCount = provider.counts.refresh - before;
    const processesOk = runs.filter(
      (r) => r.code === 0 && (JSON.parse(r.stdout || '{}') as { ok?: boolean }).ok === true,
    ).length;
    log(
      `  storms: ${inProcess} refresh(es) for ${callers} in-process callers (${inProcessOk} ok), ${processesCount} for ${processes} processes (${processesOk} ok)`,
    );
    return { inProcess, processes: processesCount, inProcessOk, processesOk };
  } finally {
    await core.close();
    await provider.close();
    await box.cleanup();
  }
}
