/**
 * startHost's own rules: services start in order and stop in reverse (so a later health
 * scheduler or notifier can rely on what started before it), one failing service does not take
 * the host down, stop is idempotent, and a link asked for before the first provider list has
 * loaded is decided against that list, never refused by a race.
 */
import { describe, expect, it, vi } from 'vitest';
import type { EventName, PatchbayEvents } from '../../../preload/contract';
import { startHost } from '../../../main/host/host-runtime';
import type { HostService, HostTransport } from '../../../main/host/types';
import { providerView, scriptedCore } from '../../helpers/host-core';

function transport(
  overrides: Partial<HostTransport> = {},
): HostTransport & { sent: Array<{ event: EventName; payload: unknown }> } {
  const sent: Array<{ event: EventName; payload: unknown }> = [];
  return {
    host: 'electron',
    send: <E extends EventName>(event: E, payload: PatchbayEvents[E]) => void sent.push({ event, payload }),
    hasAudience: () => true,
    pageOpensLinks: false,
    openExternal: vi.fn(async () => undefined),
    sent,
    ...overrides,
  };
}

const service = (name: string, log: string[], fail?: 'start' | 'stop'): HostService => ({
  name,
  start: () => {
    log.push(`start ${name}`);
    if (fail === 'start') throw new Error('boom');
  },
  stop: async () => {
    log.push(`stop ${name}`);
    if (fail === 'stop') throw new Error('boom');
  },
});

describe('startHost', () => {
  it('starts the built-in services, then extra ones in order, and stops them in reverse, once', async () => {
    const core = scriptedCore();
    const log: string[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const host = startHost({
      core,
      transport: transport(),
      version: '1',
      embeddedAuth: true,
      services: [service('health', log), service('broken', log, 'start'), service('notify', log, 'stop')],
    });
    expect(core.scheduler).toEqual(['start']);
    expect(log).toEqual(['start health', 'start broken', 'start notify']);
    await Promise.all([host.stop(), host.stop()]);
    // The service that failed to start is not stopped; the one that fails to stop does not block the rest.
    expect(log).toEqual(['start health', 'start broken', 'start notify', 'stop notify', 'stop health']);
    expect(core.scheduler).toEqual(['start', 'stop']);
    expect(core.listeners()).toBe(0);
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('decides a link asked for before the first provider list arrived against that list', async () => {
    const core = scriptedCore([
      providerView({ id: 'acme', name: 'Acme', auth: 'oauth2', docsUrl: 'https://acme.test/docs' }, false),
    ]);
    let release!: () => void;
    const list = core.listProviders.bind(core);
    core.listProviders = () => new Promise((resolve) => (release = () => resolve(list())));
    const t = transport();
    const host = startHost({ core, transport: t, version: '1', embeddedAuth: true });
    const decision = host.openLink('https://acme.test/docs');
    release();
    await expect(decision).resolves.toEqual({ allowed: true, openInRenderer: false });
    expect(t.openExternal).toHaveBeenCalledWith('https://acme.test/docs');
    await host.stop();
  });

  it('on a host whose page opens links, the host opens nothing itself', async () => {
    const core = scriptedCore([
      providerView({ id: 'acme', name: 'Acme', auth: 'oauth2', docsUrl: 'https://acme.test/docs' }, false),
    ]);
    const t = transport({ host: 'web', pageOpensLinks: true });
    const host = startHost({ core, transport: t, version: '1', embeddedAuth: false });
    await expect(host.openLink('https://acme.test/docs')).resolves.toEqual({ allowed: true, openInRenderer: true });
    await expect(host.openLink('https://acme.test/other')).resolves.toEqual({ allowed: false, openInRenderer: false });
    expect(t.openExternal).not.toHaveBeenCalled();
    await host.stop();
  });

  it('lists are not built while no page listens, but the link policy still follows provider changes', async () => {
    const core = scriptedCore([
      providerView({ id: 'acme', name: 'Acme', auth: 'oauth2', docsUrl: 'https://acme.test/docs' }, false),
    ]);
    const t = transport({ hasAudience: () => false });
    const host = startHost({ core, transport: t, version: '1', embeddedAuth: true });
    await expect(host.openLink('https://acme.test/docs')).resolves.toMatchObject({ allowed: true });
    core.providers = [];
    core.change('providers');
    core.change('connections');
    await vi.waitFor(() => expect(host.links.allows('https://acme.test/docs')).toBe(false));
    // Only the health service reads connections (its first look, and the change): it plans checks
    // and notifications with or without a page. No list is built to send to nobody.
    await vi.waitFor(() => expect(core.listed.connections).toBe(2));
    expect(t.sent).toEqual([]);
    await host.stop();
  });
});
