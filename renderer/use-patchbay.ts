/**
 * The page's state and actions over the bridge: lists, running sign-ins, per-item messages and
 * the live-region announcement.
 *
 * One hook so components only render; every action returns the bridge Result so dialogs can show
 * field errors inline.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  AppInfo,
  AuthorizeMode,
  BridgeError,
  ConnectionView,
  DeviceCodeView,
  FlowEvent,
  PatchbayApi,
  ProviderView,
  Result,
} from '../preload/contract';
import { connectionTarget, providerTarget, uiText } from './action-words';
import { settle, unexpectedError } from './async-action';
import { RESYNC_EVENT } from './bridge';
import { connectionRowTarget, focusWhenReady, providerFlowTarget, providerStepTarget, returnToAction } from './focus';
import { SignInTabs } from './sign-in-tabs';

export interface FlowState {
  stage: FlowEvent['stage'];
  message: string;
  authorizeUrl: string | null;
  /** True when the page could not open a tab itself: show the link prominently. */
  needsLink: boolean;
  /** Where the sign-in page is shown; `embedded` offers "Use my browser instead". */
  mode: AuthorizeMode | null;
  /** The person moved this sign-in from the desktop window to the browser: say where it went. */
  handedToBrowser?: boolean;
  /** A device-code sign-in: the code to show and the page it is entered on. */
  device?: DeviceCodeView;
}

export interface Notice {
  kind: 'error' | 'success' | 'info';
  text: string;
  /**
   * For a notice about a connection: the connection's state when it was written. Once the
   * connection shows a newer state (a test, renewal or failure from anywhere), the notice is
   * out of date and goes.
   */
  seen?: string;
  /** The sign-in found an account that is already connected: offer to add it anyway. */
  sameAccount?: boolean;
}

/** What a connection notice is about: status, last error, last test and expiry. */
export function connectionSignature(c: ConnectionView): string {
  return [c.status, c.lastError?.code ?? '', c.lastError?.message ?? '', c.lastTest?.at ?? '', c.expiresAt ?? ''].join(
    '|',
  );
}

/** Drop connection notices that a newer state of their connection has overtaken. */
export function pruneNotices(notices: Record<string, Notice>, connections: ConnectionView[]): Record<string, Notice> {
  const byId = new Map(connections.map((c) => [c.id, c]));
  let changed = false;
  const kept: Record<string, Notice> = {};
  for (const [id, notice] of Object.entries(notices)) {
    const c = byId.get(id);
    if (notice.seen !== undefined && (!c || connectionSignature(c) !== notice.seen)) {
      changed = true;
      continue;
    }
    kept[id] = notice;
  }
  return changed ? kept : notices;
}

export interface PatchbayState {
  info: AppInfo | null;
  providers: ProviderView[] | null;
  connections: ConnectionView[] | null;
  loadError: BridgeError | null;
  flows: Record<string, FlowState>;
  /** Messages keyed by provider id or connection id. */
  notices: Record<string, Notice>;
  /** Connection ids with an action under way, and which. */
  busy: Record<string, string>;
  announcement: string;
}

const TERMINAL = new Set(['connected', 'failed', 'cancelled']);

/** Load everything, follow events, and expose the actions. */
export function usePatchbay(api: PatchbayApi) {
  const [state, setState] = useState<PatchbayState>({
    info: null,
    providers: null,
    connections: null,
    loadError: null,
    flows: {},
    notices: {},
    busy: {},
    announcement: '',
  });
  const tabs = useRef(new SignInTabs()).current;
  /** The latest lists, for actions that word a message after an await. */
  const latest = useRef(state);
  latest.current = state;
  const patch = useCallback(
    (fn: (s: PatchbayState) => Partial<PatchbayState>) => setState((s) => ({ ...s, ...fn(s) })),
    [],
  );
  const announce = useCallback((text: string) => patch(() => ({ announcement: text })), [patch]);
  const setNotice = useCallback(
    (id: string, notice: Notice | null) =>
      patch((s) => {
        const notices = { ...s.notices };
        if (notice) notices[id] = notice;
        else delete notices[id];
        return { notices };
      }),
    [patch],
  );

  /** Re-read providers and connections; never rejects (an unexpected failure becomes loadError). */
  const reload = useCallback(async () => {
    try {
      const [providers, connections] = await Promise.all([
        api.invoke('providers:list'),
        api.invoke('connections:list'),
      ]);
      if (!providers.ok) return patch(() => ({ loadError: providers.error }));
      if (!connections.ok) return patch(() => ({ loadError: connections.error }));
      if (performance.getEntriesByName('patchbay:data').length === 0) performance.mark('patchbay:data');
      patch((s) => ({
        providers: providers.value,
        connections: connections.value,
        loadError: null,
        notices: pruneNotices(s.notices, connections.value),
      }));
      return connections.value;
    } catch (error) {
      patch(() => ({ loadError: unexpectedError(error) }));
    }
  }, [api, patch]);

  useEffect(() => {
    // Without app info the page still works (the About line stays empty), so a failure is dropped on purpose.
    api.invoke('app:info').then(
      (r) => r.ok && patch(() => ({ info: r.value })),
      () => undefined,
    );
    void reload();
    const offs = [
      api.on('connections:changed', (connections) =>
        patch((s) => ({ connections, notices: pruneNotices(s.notices, connections) })),
      ),
      api.on('providers:changed', (providers) => patch(() => ({ providers }))),
      api.on('flow:progress', (event) => onFlow(event)),
    ];
    const resync = () => void reload();
    window.addEventListener(RESYNC_EVENT, resync);
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener(RESYNC_EVENT, resync);
    };
  }, [api]);

  function onFlow(event: FlowEvent): void {
    if (TERMINAL.has(event.stage)) {
      patch((s) => {
        const flows = { ...s.flows };
        delete flows[event.providerId];
        return { flows };
      });
      return;
    }
    let needsLink = false;
    if (event.stage === 'waiting_for_user' && event.openInRenderer && event.authorizeUrl) {
      needsLink = !tabs.navigate(event.providerId, event.authorizeUrl);
    }
    patch((s) => ({
      flows: {
        ...s.flows,
        [event.providerId]: {
          stage: event.stage,
          message: event.message,
          authorizeUrl: event.authorizeUrl ?? s.flows[event.providerId]?.authorizeUrl ?? null,
          needsLink: needsLink || Boolean(s.flows[event.providerId]?.needsLink),
          mode: event.mode ?? s.flows[event.providerId]?.mode ?? null,
          ...((event.device ?? s.flows[event.providerId]?.device)
            ? { device: event.device ?? s.flows[event.providerId]?.device }
            : {}),
        },
      },
      announcement: event.stage === 'waiting_for_user' ? event.message : s.announcement,
    }));
  }

  const actions = useMemo(() => {
    /** How many connections a provider has right now (the Connect button's label depends on it). */
    const countFor = (providerId: string) =>
      (latest.current.connections ?? []).filter((c) => c.providerId === providerId).length;

    async function connect(
      provider: ProviderView,
      apiKey?: string,
      reconnect?: ConnectionView,
      allowSameAccount = false,
    ): Promise<Result<ConnectionView>> {
      // The web host has no window of its own: the page opens the sign-in tab. Electron shows its auth window.
      const web = window.patchbay === undefined;
      // Must run before the first await: browsers only allow pop-ups during the click itself.
      // Only the browser sign-in has a page to show here; client credentials and device codes have none.
      const browserSignIn =
        provider.auth === 'oauth2' && (provider.definition.grant ?? 'authorization_code') === 'authorization_code';
      if (browserSignIn && web) {
        tabs.open(provider.id, () => void api.invoke('flows:cancel', provider.id));
      }
      setNotice(provider.id, null);
      if (reconnect) setNotice(reconnect.id, null);
      if (provider.auth === 'oauth2') {
        patch((s) => ({
          flows: {
            ...s.flows,
            [provider.id]: {
              stage: 'started',
              message: `Opening ${provider.name}…`,
              authorizeUrl: null,
              needsLink: false,
              mode: null,
            },
          },
        }));
        // The Connect button makes way for the sign-in status: focus follows it.
        focusWhenReady(providerFlowTarget(provider.id));
      }
      const input = {
        providerId: provider.id,
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(reconnect ? { reconnect: reconnect.id } : {}),
        // "Connect another account": ask for the provider's account choice, not the last account.
        ...(!reconnect && countFor(provider.id) > 0 ? { anotherAccount: true } : {}),
        ...(allowSameAccount ? { allowSameAccount: true } : {}),
      };
      const raw = await settle(api.invoke('connections:connect', input));
      tabs.finish(provider.id, true);
      patch((s) => {
        const flows = { ...s.flows };
        delete flows[provider.id];
        return { flows };
      });
      const target = reconnect ? connectionTarget(reconnect) : providerTarget(provider, countFor(provider.id));
      const result: Result<ConnectionView> = raw.ok
        ? raw
        : { ok: false, error: { ...raw.error, message: uiText(raw.error.message, target) } };
      const connections = await reload();
      const fresh = result.ok ? connections?.find((c) => c.id === result.value.id) : undefined;
      if (result.ok) {
        const text = reconnect
          ? `Reconnected as ${result.value.label}.`
          : `${provider.name}: connected as ${result.value.label}.`;
        if (reconnect)
          setNotice(reconnect.id, { kind: 'success', text, ...(fresh ? { seen: connectionSignature(fresh) } : {}) });
        else setNotice(provider.id, { kind: 'success', text });
        announce(reconnect ? `${provider.name}, ${result.value.label}: ${text}` : text);
        focusWhenReady(connectionRowTarget(result.value.id));
      } else if (provider.auth === 'oauth2') {
        const text = result.error.code === 'cancelled' ? 'Sign-in cancelled. Nothing was saved.' : result.error.message;
        const kind = result.error.code === 'cancelled' ? 'info' : 'error';
        setNotice(reconnect ? reconnect.id : provider.id, {
          kind,
          text,
          ...(result.error.code === 'duplicate_account' ? { sameAccount: true } : {}),
        });
        announce(`${provider.name}: ${text}`);
        focusWhenReady(providerStepTarget(provider.id));
      }
      return result;
    }

    async function connectionAction(c: ConnectionView, kind: 'test' | 'refresh' | 'disconnect'): Promise<boolean> {
      patch((s) => ({ busy: { ...s.busy, [c.id]: kind } }));
      setNotice(c.id, null);
      let notice: Notice;
      let ok = false;
      if (kind === 'test') {
        const r = await settle(api.invoke('connections:test', c.id));
        ok = r.ok && r.value.ok;
        if (r.ok) {
          const status = r.value.httpStatus === null ? '' : `HTTP ${r.value.httpStatus}, `;
          notice = r.value.ok
            ? { kind: 'success', text: `Test passed (${status}${r.value.latencyMs} ms).` }
            : {
                kind: 'error',
                text: `Test failed: ${r.value.error ? uiText(r.value.error.message, connectionTarget(c)) : `${status}${r.value.latencyMs} ms`}`,
              };
        } else notice = { kind: 'error', text: uiText(r.error.message, connectionTarget(c)) };
      } else if (kind === 'refresh') {
        const r = await settle(api.invoke('connections:refresh', c.id));
        ok = r.ok;
        notice = r.ok
          ? { kind: 'success', text: 'Access renewed.' }
          : { kind: 'error', text: uiText(r.error.message, connectionTarget(c)) };
      } else {
        const r = await settle(api.invoke('connections:disconnect', c.id));
        ok = r.ok;
        notice = r.ok
          ? { kind: 'success', text: `Disconnected ${c.label}.` }
          : { kind: 'error', text: uiText(r.error.message, connectionTarget(c)) };
      }
      patch((s) => {
        const busy = { ...s.busy };
        delete busy[c.id];
        return { busy };
      });
      // Read the lists first: the notice remembers the state it describes, so only a newer one clears it.
      const connections = await reload();
      const fresh = connections?.find((x) => x.id === c.id);
      if (kind === 'disconnect' && ok) setNotice(c.providerId, notice);
      else setNotice(c.id, fresh ? { ...notice, seen: connectionSignature(fresh) } : notice);
      announce(`${c.providerName}, ${c.label}: ${notice.text}`);
      if (kind !== 'disconnect') returnToAction(c.id, kind);
      return ok;
    }

    /** "Use my browser instead": the open sign-in window hands the same sign-in to the browser. */
    async function useBrowser(provider: ProviderView): Promise<void> {
      const result = await settle(api.invoke('flows:useBrowser', provider.id));
      if (!result.ok) {
        setNotice(provider.id, { kind: 'error', text: result.error.message });
        announce(`${provider.name}: ${result.error.message}`);
        return;
      }
      const text = `Finish signing in to ${provider.name} in your web browser. Patchbay is waiting for it.`;
      patch((s) => {
        const flow = s.flows[provider.id];
        return flow
          ? {
              flows: { ...s.flows, [provider.id]: { ...flow, mode: 'browser', message: text, handedToBrowser: true } },
              announcement: text,
            }
          : {};
      });
    }

    /** A docs or help link: the host's link policy decides; on the web host the page opens the tab. */
    async function openLink(url: string): Promise<void> {
      const result = await settle(api.invoke('links:open', url));
      if (result.ok && result.value.allowed) {
        if (result.value.openInRenderer) window.open(url, '_blank', 'noopener,noreferrer');
        return;
      }
      announce("Patchbay does not open this link: it is not one of your providers' documentation pages.");
    }

    return {
      reload,
      connect,
      useBrowser,
      openLink,
      cancel: (providerId: string) => {
        tabs.finish(providerId, true);
        focusWhenReady(providerStepTarget(providerId));
        return settle(api.invoke('flows:cancel', providerId));
      },
      reconnect: (provider: ProviderView, c: ConnectionView, apiKey?: string) => connect(provider, apiKey, c),
      connectSameAccount: (provider: ProviderView) => connect(provider, undefined, undefined, true),
      test: (c: ConnectionView) => connectionAction(c, 'test'),
      refresh: (c: ConnectionView) => connectionAction(c, 'refresh'),
      disconnect: (c: ConnectionView) => connectionAction(c, 'disconnect'),
      announce,
      setNotice,
    };
  }, [api, tabs, patch, reload, announce, setNotice]);

  return { state, actions, api };
}

export type PatchbayActions = ReturnType<typeof usePatchbay>['actions'];
