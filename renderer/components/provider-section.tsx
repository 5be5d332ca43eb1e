/**
 * One provider as a named region: its state in words (with many connections, a summary of how
 * many work and how many need the person), its one next step, a sign-in in progress, and its
 * connections.
 */
import { memo, useId } from 'react';
import type { ConnectionView, ProviderView } from '../../preload/contract';
import { authKindText, providerStateText, waitingText } from '../status-words';
import type { FlowState, Notice } from '../use-patchbay';
import { connectionSummary } from '../connection-list-model';
import { ConnectionList } from './connection-list';
import { DeviceCode } from './device-code';
import type { RowHandlers } from './connection-row';

export interface ProviderHandlers extends RowHandlers {
  connect: (p: ProviderView) => void;
  /** Connect again, saving even an account that is already connected (after the warning). */
  connectSameAccount: (p: ProviderView) => void;
  cancel: (p: ProviderView) => void;
  useBrowser: (p: ProviderView) => void;
  setup: (p: ProviderView) => void;
  edit: (p: ProviderView) => void;
  remove: (p: ProviderView) => void;
}

export interface ProviderSectionProps {
  provider: ProviderView;
  connections: ConnectionView[];
  flow: FlowState | undefined;
  notice: Notice | undefined;
  notices: Record<string, Notice>;
  busy: Record<string, string>;
  now: number;
  handlers: ProviderHandlers;
  /** The family's name for the "not in X's public docs" badge. */
  familyName: string;
}

function ProviderSectionImpl({
  provider: p,
  connections,
  flow,
  notice,
  notices,
  busy,
  now,
  handlers,
  familyName,
}: ProviderSectionProps) {
  const headingId = useId();
  const needsSetup = p.needs !== null;
  // The Sandbox's public clients ship their client ID; the machine client needs its secret entered.
  const canChangeSetup = p.auth === 'oauth2' && !needsSetup && p.id !== 'sandbox' && p.id !== 'sandbox-device';
  return (
    <section aria-labelledby={headingId} className="provider" data-provider-id={p.id}>
      <header className="provider-header">
        <h3 id={headingId} tabIndex={-1}>
          {p.name}
        </h3>
        <span className="badge">{authKindText(p)}</span>
        {!p.documented ? <span className="badge badge-warn">Not in {familyName}&apos;s public docs</span> : null}
        {!p.builtIn ? <span className="badge">Custom</span> : null}
      </header>
      {p.note ? <p className="note">{p.note}</p> : null}

      {flow ? (
        <div className="flow" role="group" aria-label={`Sign-in to ${p.name}`}>
          <p className="provider-state" data-flow-status tabIndex={-1}>
            {flow.device
              ? `Waiting for the code to be entered at ${p.name}…`
              : (flow.stage === 'waiting_for_user' || flow.stage === 'started') && !flow.handedToBrowser
                ? waitingText(p)
                : flow.message}
          </p>
          {flow.device ? <DeviceCode device={flow.device} providerName={p.name} /> : null}
          {flow.authorizeUrl ? (
            <a
              className={flow.needsLink ? 'button primary' : 'button'}
              href={flow.authorizeUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              Open the sign-in page
            </a>
          ) : null}
          {flow.mode === 'embedded' ? (
            <button type="button" onClick={() => handlers.useBrowser(p)}>
              Use my browser instead
            </button>
          ) : null}
          <button type="button" onClick={() => handlers.cancel(p)}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="provider-actions">
          <p className="provider-state">
            {connections.length === 0
              ? providerStateText(p, 0)
              : `${needsSetup ? 'Not set up · ' : ''}${connectionSummary(connections)}`}
          </p>
          {needsSetup ? (
            <button type="button" className="primary" data-next-step onClick={() => handlers.setup(p)}>
              Set up
            </button>
          ) : (
            <button
              type="button"
              className={connections.length === 0 ? 'primary' : undefined}
              data-next-step
              onClick={() => handlers.connect(p)}
            >
              {connections.length === 0 ? 'Connect' : 'Connect another account'}
            </button>
          )}
          {canChangeSetup ? (
            <button type="button" onClick={() => handlers.setup(p)}>
              Change set-up
            </button>
          ) : null}
          {!p.builtIn ? (
            <>
              <button type="button" onClick={() => handlers.edit(p)}>
                Edit provider
              </button>
              <button type="button" className="quiet-danger" onClick={() => handlers.remove(p)}>
                Delete provider
              </button>
            </>
          ) : null}
        </div>
      )}
      {notice ? <p className={`notice notice-${notice.kind}`}>{notice.text}</p> : null}
      {notice?.sameAccount ? (
        <button type="button" onClick={() => handlers.connectSameAccount(p)}>
          Add the same account again
        </button>
      ) : null}

      {connections.length > 0 ? (
        <ConnectionList
          providerName={p.name}
          connections={connections}
          now={now}
          busy={busy}
          notices={notices}
          handlers={handlers}
        />
      ) : null}
    </section>
  );
}

/** A memoised provider region. */
export const ProviderSection = memo(ProviderSectionImpl);
