/**
 * Sign-in tabs for the web host: the page opens the provider's sign-in page itself.
 *
 * Browsers block pop-ups not opened in direct response to a click, and the sign-in address only
 * arrives later (as a flow event). So the Connect click opens a blank tab at once, and the tab is
 * pointed at the sign-in page when the address arrives. If the person closes the tab, the flow is
 * cancelled (polled with `closed`, the only signal a page gets for a tab it opened).
 */

interface OpenTab {
  win: Window;
  timer: number;
}

/** Only http(s) sign-in pages are ever loaded into a tab. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Tracks at most one sign-in tab per provider. */
export class SignInTabs {
  private readonly tabs = new Map<string, OpenTab>();

  constructor(private readonly pollMs = 400) {}

  /**
   * Open a blank tab now (call synchronously inside the click handler). Returns false when the
   * browser blocked it; the page then shows a link to open the sign-in page by hand.
   */
  open(providerId: string, onClosedByUser: () => void): boolean {
    this.finish(providerId, true);
    const win = window.open('about:blank', '_blank');
    if (!win) return false;
    try {
      // The sign-in page must not be able to script or redirect this page.
      win.opener = null;
      win.document.title = 'Opening the sign-in page…';
    } catch {
      // A browser that refuses these still opened the tab; carry on.
    }
    const timer = window.setInterval(() => {
      if (!win.closed) return;
      this.stopWatching(providerId);
      onClosedByUser();
    }, this.pollMs);
    this.tabs.set(providerId, { win, timer });
    return true;
  }

  /** Point the provider's tab at the sign-in page; false when there is no open tab. */
  navigate(providerId: string, url: string): boolean {
    const tab = this.tabs.get(providerId);
    if (!tab || tab.win.closed || !isWebUrl(url)) return false;
    tab.win.location.href = url;
    return true;
  }

  has(providerId: string): boolean {
    const tab = this.tabs.get(providerId);
    return Boolean(tab && !tab.win.closed);
  }

  /** The flow ended: stop watching and, if asked, close the tab (it shows nothing useful now). */
  finish(providerId: string, close: boolean): void {
    const tab = this.tabs.get(providerId);
    if (!tab) return;
    this.stopWatching(providerId);
    if (close && !tab.win.closed) tab.win.close();
  }

  private stopWatching(providerId: string): void {
    const tab = this.tabs.get(providerId);
    if (tab) window.clearInterval(tab.timer);
    this.tabs.delete(providerId);
  }
}
