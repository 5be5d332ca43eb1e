/**
 * The main window's link decisions, wired the way the app wires them: the Electron host adapter
 * over the host layer, with LiveChat's built-in docs link in the provider list.
 *
 * Import it only from a test file that mocks `electron` with the stand-in.
 */
import { providerView, scriptedCore } from './host-core';

export const LIVECHAT_DOCS = 'https://platform.text.com/docs/authorization/agent-authorization';

/** Start the adapter; `openLink` is what createMainWindow gets, `settled` waits for its decisions. */
export async function electronLinks(): Promise<{
  openLink: (url: string) => void;
  settled: () => Promise<void>;
  stop: () => Promise<void>;
}> {
  const { startElectronHost } = await import('../../main/electron/host-adapter');
  const core = scriptedCore([
    providerView({ id: 'livechat', name: 'LiveChat', auth: 'oauth2', docsUrl: LIVECHAT_DOCS }, true),
  ]);
  const host = startElectronHost({
    core,
    version: '0.0.0-test',
    settingsNotice: () => null,
    window: () => null,
    useBrowser: async () => false,
  });
  const pending: Promise<unknown>[] = [];
  return {
    openLink: (url) => void pending.push(host.openLink(url)),
    settled: async () => {
      await Promise.all(pending);
    },
    stop: () => host.stop(),
  };
}
