/**
 * Open a web page in the system browser, without a shell.
 *
 * The URL is passed as one argument to the platform's opener (xdg-open, open, or rundll32's URL
 * handler on Windows, which unlike `cmd /c start` does not interpret `&` in a query string), so
 * nothing in an authorization URL can be read as a command.
 */
import { spawn } from 'node:child_process';
import { PatchbayError } from '../model/errors';

/** The program and arguments that open `url` on `platform`. */
export function openerCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Open an http(s) URL in the default browser.
 *
 * Resolves once the opener has started; rejects with a plain sentence when there is no opener
 * (a server without a desktop), so callers can show the URL for copying instead.
 */
export function openUrl(url: URL | string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const target = new URL(String(url));
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return Promise.reject(
      new PatchbayError('invalid_input', 'Patchbay only opens web addresses (http or https).', { field: 'url' }),
    );
  }
  const { command, args } = openerCommand(target.href, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, shell: false, windowsHide: true });
    child.once('error', (cause) => {
      reject(
        new PatchbayError(
          'internal',
          'Patchbay could not open your web browser. Copy the sign-in link it shows and open it yourself.',
          { cause },
        ),
      );
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
