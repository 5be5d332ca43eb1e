/**
 * The `electron` module as the boot test's Node process sees it (node-hooks.mjs maps the bare
 * specifier `electron` here). One stand-in per process, like Electron's one app per process; the
 * boot driver imports this same file to play Electron's part (`control`).
 *
 * PATCHBAY_STANDIN_PLATFORM picks the platform to behave as; PATCHBAY_STANDIN_SECOND_INSTANCE=1
 * makes the single-instance lock answer false.
 */
import { createElectronStandIn } from './index';

const standIn = createElectronStandIn({
  platform: (process.env.PATCHBAY_STANDIN_PLATFORM as NodeJS.Platform | undefined) ?? process.platform,
  primaryInstance: process.env.PATCHBAY_STANDIN_SECOND_INSTANCE !== '1',
  version: process.env.PATCHBAY_STANDIN_VERSION ?? '0.0.0-stand-in',
});

export const { app, BrowserWindow, Menu, Notification, dialog, ipcMain, protocol, session, shell } = standIn.module;
export const control = standIn.control;
// electron-store does `import electron from 'electron'`: Electron's module has a default export too.
export default standIn.module;
