/**
 * How the bridge contract travels over the web host's loopback HTTP: one definition for both ends.
 *
 * main/web serves these paths and reads these names; renderer/bridge.ts calls them. Event names
 * on the stream are the contract's own (EventName), one Server-Sent Event per contract event.
 * Import-free like contract.ts, so the renderer may use it.
 */
import type { Channel } from './contract';

/** Prefix of the invoke path; the channel name follows (`POST /api/invoke/providers:list`). */
export const INVOKE_PATH_PREFIX = '/api/invoke/';
/** The Server-Sent Events stream of contract events (`GET /api/events?key=…`). */
export const EVENTS_PATH = '/api/events';
/** Header that carries the launch key on invoke requests. */
export const KEY_HEADER = 'X-Patchbay-Key';
/** Query parameter that carries the launch key on the event stream (EventSource cannot set headers). */
export const KEY_QUERY = 'key';
/** Name of the launch key in the URL fragment the web host prints (`#key=…`). */
export const KEY_FRAGMENT = 'key';

/** The invoke path of one channel. */
export function invokePath(channel: Channel): string {
  return `${INVOKE_PATH_PREFIX}${channel}`;
}

/** The channel name in an invoke path, or null when the path is not one (not checked against CHANNELS). */
export function channelFromPath(pathname: string): string | null {
  if (!pathname.startsWith(INVOKE_PATH_PREFIX)) return null;
  const name = pathname.slice(INVOKE_PATH_PREFIX.length);
  return /^[a-z]+:[a-z]+$/.test(name) ? name : null;
}

/** The event stream's address for a launch key. */
export function eventsUrl(key: string): string {
  return `${EVENTS_PATH}?${KEY_QUERY}=${encodeURIComponent(key)}`;
}
