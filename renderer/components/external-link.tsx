/**
 * A provider's documentation or help link, opened the way the host's link policy decides.
 *
 * The click never navigates by itself: the page asks the host (`links:open`), and the host says
 * whether the link may open at all. The desktop app opens it in the system browser; the web host
 * has no window of its own, so the page opens it in a new tab. The same rule answers on both.
 */
import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';

/** How a link is opened; provided once by the App from the page's actions. */
export const LinkOpener = createContext<(url: string) => void>(() => undefined);

export interface ExternalLinkProps {
  href: string;
  children: ReactNode;
}

/** An anchor (so it reads and copies as a link) whose activation goes through the host. */
export function ExternalLink({ href, children }: ExternalLinkProps) {
  const open = useContext(LinkOpener);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    open(href);
  };
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" onClick={follow} onAuxClick={follow}>
      {children}
    </a>
  );
}
