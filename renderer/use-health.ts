/**
 * The page's side of the background health checks: their status, "Check all now", and the
 * notifications.
 *
 * The desktop app shows its notifications from the main process and tells the page which
 * connection a click opened (`connections:open`). The web host cannot reach the desktop, so it
 * sends the page `health:alert` and the page shows it with the browser's Notification API — only
 * once the person allowed notifications for this page; a click focuses the tab and opens the
 * connection the same way.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HealthAlert, HealthStatus, PatchbayApi, Result } from '../preload/contract';
import { settle } from './async-action';

/** Where the browser's notifications stand for this page ("unsupported" without the API). */
export type NotificationAccess = NotificationPermission | 'unsupported';

function access(): NotificationAccess {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Show one alert as a browser notification, when the person allowed them. */
export function showBrowserNotification(alert: HealthAlert, open: (connectionId: string) => void): boolean {
  if (access() !== 'granted') return false;
  // One tag per connection: a newer change replaces the older notification instead of stacking.
  const shown = new Notification(alert.title, { body: alert.body, tag: `patchbay-${alert.connectionId}` });
  shown.onclick = () => {
    window.focus();
    open(alert.connectionId);
    shown.close();
  };
  return true;
}

/** Health status, actions and notification wiring; `open` shows one connection's details. */
export function useHealth(api: PatchbayApi, open: (connectionId: string) => void) {
  const [status, setStatus] = useState<HealthStatus | null>(null);
  const [permission, setPermission] = useState<NotificationAccess>(access);
  const openRef = useRef(open);
  openRef.current = open;

  useEffect(() => {
    // Without a status the bar only lacks its sentence; the checks run regardless.
    api.invoke('health:status').then(
      (r) => r.ok && setStatus(r.value),
      () => undefined,
    );
    const offs = [
      api.on('health:status', (next) => setStatus(next)),
      api.on('health:alert', (alert) => void showBrowserNotification(alert, (id) => openRef.current(id))),
      api.on('connections:open', ({ connectionId }) => openRef.current(connectionId)),
    ];
    return () => offs.forEach((off) => off());
  }, [api]);

  const checkNow = useCallback(async (): Promise<Result<HealthStatus>> => {
    setStatus((s) => (s ? { ...s, checking: true } : s));
    // Never rejects: an unexpected failure ends the "Checking…" state like any other failure.
    const result = await settle(api.invoke('health:checkNow'));
    if (result.ok) setStatus(result.value);
    else setStatus((s) => (s ? { ...s, checking: false } : s));
    return result;
  }, [api]);

  const allowNotifications = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    // A browser that refuses to ask keeps the current answer.
    setPermission(await Notification.requestPermission().catch(() => Notification.permission));
  }, []);

  return { status, permission, checkNow, allowNotifications };
}
