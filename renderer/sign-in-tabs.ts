/**
 * Sign-in tabs for the web host: the page opens the provider's sign-in page itself.
 *
 * Browsers block pop-ups not opened in direct response to a click, and the sign-in address only
 * arrives later (as a flow event). So the Connect click opens a blank tab at once, and the tab is
 * pointed at the sign-in page when the address arrives. If the person closes the tab, the flow is
 * cancelled (polled with `closed`, the only signal a page gets for a tab it opened).
 *
 * Once the tab shows the provider's page, this page no longer touches it: with `opener` cut, the
 * browser treats a `close()` of that cross-origin tab as an unsafe navigation, refuses it and logs
 * the tab's address, which at that point is the callback URL with its code and state. The
 * callback page itself says "you can close this tab" (worded for Allow or Deny).
 */

interface OpenTab {
  win: Window;
  timer: number;
  /** True once the tab was sent to the sign-in page: from then on it is another origin's tab. */
  navigated: boolean;
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
    this.tabs.set(providerId, { win, timer, navigated: false });
    return true;
  }

  /** Point the provider's tab at the sign-in page; false when there is no open tab. */
  navigate(providerId: string, url: string): boolean {
    const tab = this.tabs.get(providerId);
    if (!tab || tab.win.closed || !isWebUrl(url)) return false;
    tab.win.location.href = url;
    tab.navigated = true;
    return true;
  }

  has(providerId: string): boolean {
    const tab = this.tabs.get(providerId);
    return Boolean(tab && !tab.win.closed);
  }

  /**
   * The flow ended: stop watching and, if asked, close a tab that is still this page's own blank
   * tab (the sign-in page never arrived). A tab showing another origin is left to the person.
   */
  finish(providerId: string, close: boolean): void {
    const tab = this.tabs.get(providerId);
    if (!tab) return;
    this.stopWatching(providerId);
    if (close && !tab.navigated && !tab.win.closed) tab.win.close();
  }

  private stopWatching(providerId: string): void {
    const tab = this.tabs.get(providerId);
    if (tab) window.clearInterval(tab.timer);
    this.tabs.delete(providerId);
  }
}
