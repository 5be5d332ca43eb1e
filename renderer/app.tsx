/**
 * The Patchbay page: toolbar, first-run welcome, providers grouped by family, one dialog at a time,
 * and the polite live region.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionView, Diagnosis, PatchbayApi, ProviderView } from '../preload/contract';
import { OpenBundleButton } from './components/bundle-dialog';
import { Dialogs, type DialogState } from './components/dialogs';
import { LinkOpener } from './components/external-link';
import { HealthBar } from './components/health-bar';
import { ProviderSection, type ProviderHandlers } from './components/provider-section';
import { ThemePicker } from './components/theme-picker';
import { groupFamilies } from './status-words';
import { usePatchbay } from './use-patchbay';
import { useHealth } from './use-health';

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Math.floor(Date.now() / 60_000) * 60_000), 15_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** The whole UI for one bridge. */
export function App({ api }: { api: PatchbayApi }) {
  const { state, actions } = usePatchbay(api);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const now = useMinuteClock();
  const close = useCallback(() => setDialog(null), []);
  const openLink = useCallback((url: string) => void actions.openLink(url), [actions]);
  const connectionsNow = useRef(state.connections);
  connectionsNow.current = state.connections;
  /** A notification was clicked: show that connection's details (its row may be far down). */
  const openConnection = useCallback(
    (id: string) => {
      const c = connectionsNow.current?.find((x) => x.id === id);
      if (c) setDialog({ kind: 'details', connection: c });
      else actions.announce('That connection is no longer in Patchbay.');
    },
    [actions],
  );
  const health = useHealth(api, openConnection);
  const [bundleError, setBundleError] = useState<string | null>(null);

  const handlers: ProviderHandlers = useMemo(
    () => ({
      connect: (p) => (p.auth === 'apiKey' ? setDialog({ kind: 'apiKey', provider: p }) : void actions.connect(p)),
      connectSameAccount: (p) => void actions.connectSameAccount(p),
      cancel: (p) => void actions.cancel(p.id),
      useBrowser: (p) => void actions.useBrowser(p),
      setup: (p) => setDialog({ kind: 'setup', provider: p }),
      edit: (p) => setDialog({ kind: 'editor', provider: p }),
      remove: (p) => setDialog({ kind: 'deleteProvider', provider: p }),
      act: (c, action) => {
        if (action === 'test') void actions.test(c);
        else if (action === 'refresh') void actions.refresh(c);
        else {
          // Reconnect replaces this connection (same id and label) instead of adding another one.
          const provider = state.providers?.find((p) => p.id === c.providerId);
          if (!provider) return;
          if (provider.auth === 'apiKey') setDialog({ kind: 'apiKey', provider, reconnect: c });
          else void actions.reconnect(provider, c);
        }
      },
      details: (c) => setDialog({ kind: 'details', connection: c }),
      disconnect: (c) => setDialog({ kind: 'disconnect', connection: c }),
    }),
    [actions, state.providers],
  );

  const onDiagnosisAction = useCallback(
    (c: ConnectionView, d: Diagnosis) => {
      const provider = state.providers?.find((p) => p.id === c.providerId);
      if (d.action.kind === 'setup' && provider) setDialog({ kind: 'setup', provider });
      else if (d.action.kind === 'reconnect') {
        setDialog(null);
        handlers.act(c, 'reconnect');
      } else if (d.action.kind === 'retry') handlers.act(c, 'test');
    },
    [handlers, state.providers],
  );

  const byProvider = useMemo(() => {
    const map = new Map<string, ConnectionView[]>();
    for (const c of state.connections ?? []) {
      const list = map.get(c.providerId);
      if (list) list.push(c);
      else map.set(c.providerId, [c]);
    }
    return map;
  }, [state.connections]);

  const ready = Boolean(state.providers && state.connections);
  useEffect(() => {
    if (!ready || document.body.dataset.ready) return;
    // Marks for the e2e/bench measurement of the first full render (after the next paint).
    performance.mark('patchbay:rendered');
    requestAnimationFrame(() => setTimeout(() => performance.mark('patchbay:painted'), 0));
    document.body.dataset.ready = 'true';
  }, [ready]);

  if (state.loadError && !state.providers) {
    return (
      <main className="page">
        <h1>Patchbay</h1>
        <p role="alert">{state.loadError.message}</p>
        <button type="button" onClick={() => void actions.reload()}>
          Try again
        </button>
      </main>
    );
  }
  const providers = state.providers ?? [];
  const sandbox = providers.find((p) => p.id === 'sandbox');
  const customIds = providers.filter((p) => !p.builtIn).map((p) => p.id);
  const firstRun = state.connections !== null && state.connections.length === 0 && sandbox;

  const section = (p: ProviderView, familyName: string) => (
    <ProviderSection
      key={p.id}
      provider={p}
      familyName={familyName}
      connections={byProvider.get(p.id) ?? []}
      flow={state.flows[p.id]}
      notice={state.notices[p.id]}
      notices={state.notices}
      busy={state.busy}
      now={now}
      handlers={handlers}
    />
  );

  return (
    <LinkOpener.Provider value={openLink}>
      <header className="toolbar">
        <h1>Patchbay</h1>
        <nav aria-label="Providers" className="toolbar-actions">
          <button type="button" data-add-provider onClick={() => setDialog({ kind: 'editor', provider: null })}>
            Add a provider
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'import' })}>
            Import<span className="wide-only"> providers</span>
          </button>
          <button
            type="button"
            disabled={customIds.length === 0}
            onClick={() => setDialog({ kind: 'export', ids: customIds })}
          >
            Export<span className="wide-only"> providers</span>
          </button>
        </nav>
        <button type="button" data-network onClick={() => setDialog({ kind: 'network' })}>
          Network
        </button>
        <OpenBundleButton
          api={api}
          onOpened={(bundle) => {
            setBundleError(null);
            setDialog({ kind: 'bundle', bundle });
          }}
          onError={(message) => {
            setBundleError(message);
            actions.announce(message);
          }}
        />
        <ThemePicker />
      </header>
      {state.connections && state.connections.length > 0 ? (
        <HealthBar
          connections={state.connections}
          status={health.status}
          // The desktop app notifies from its main process; only the web page asks the browser.
          permission={window.patchbay === undefined ? health.permission : null}
          onCheckNow={() =>
            void health.checkNow().then((r) => !r.ok && actions.announce(`Check all now: ${r.error.message}`))
          }
          onAllowNotifications={() => void health.allowNotifications()}
        />
      ) : null}
      <main className="page">
        {state.info?.keychainProblem ? (
          <section role="alert" aria-labelledby="keychain-title" className="banner banner-error">
            <h2 id="keychain-title">Your keychain is not available</h2>
            <p>
              Patchbay keeps every sign-in and key in your system keychain, so it cannot connect anything until the
              keychain answers.
            </p>
            <p>{state.info.keychainProblem}</p>
          </section>
        ) : null}
        {state.info?.settingsNotice ? <p className="notice notice-info">{state.info.settingsNotice}</p> : null}
        {bundleError ? (
          <p role="alert" className="notice notice-error">
            {bundleError}
          </p>
        ) : null}
        {state.providers === null ? <p>Loading your connections…</p> : null}
        {firstRun && sandbox ? (
          <section aria-labelledby="welcome-title" className="welcome">
            <h2 id="welcome-title">Welcome to Patchbay</h2>
            <p>
              Patchbay keeps your app connections in one place and checks that they work. New here? The Sandbox is a
              practice provider on this computer: sign in with any name and see the whole flow.
            </p>
            <button type="button" className="primary" onClick={() => handlers.connect(sandbox)}>
              Try it without an account
            </button>
          </section>
        ) : null}
        <h2 className="visually-hidden">Providers</h2>
        <div className="families">
          {groupFamilies(providers).map(([first, ...others]) =>
            first ? (
              <div className="family" key={first.family}>
                {section(first, first.name)}
                {others.length > 0 ? (
                  <details
                    className="variants"
                    // Kept open while a variant has connections, a sign-in, or a message (a failed
                    // or cancelled sign-in must not fold its own error away).
                    open={
                      others.some((o) => byProvider.has(o.id) || state.flows[o.id] || state.notices[o.id]) || undefined
                    }
                  >
                    <summary>Other ways to connect {first.name}</summary>
                    {others.map((o) => section(o, first.name))}
                  </details>
                ) : null}
              </div>
            ) : null,
          )}
        </div>
      </main>
      <div role="status" aria-live="polite" className="visually-hidden">
        {state.announcement}
      </div>
      {dialog ? (
        <Dialogs
          api={api}
          dialog={dialog}
          info={state.info}
          actions={actions}
          onClose={close}
          onOpen={setDialog}
          onDiagnosisAction={onDiagnosisAction}
        />
      ) : null}
    </LinkOpener.Provider>
  );
}
