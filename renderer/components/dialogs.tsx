/**
 * Which dialog is open, and how each one reports back to the page.
 *
 * The page opens at most one dialog at a time; this component maps that state to the dialog and
 * turns its outcome into a notice and an announcement.
 */
import type {
  AppInfo,
  ConnectionView,
  Diagnosis,
  PatchbayApi,
  ProviderView,
  SupportBundleView,
} from '../../preload/contract';
import {
  afterProviderRemoved,
  afterRowRemoved,
  focusWhenReady,
  providerHeadingTarget,
  providerStepTarget,
} from '../focus';
import type { PatchbayActions } from '../use-patchbay';
import { ApiKeyDialog } from './api-key-dialog';
import { BundleDialog } from './bundle-dialog';
import { ConfirmDialog } from './confirm-dialog';
import { DetailsDialog } from './details-dialog';
import { ExportDialog, ImportDialog } from './import-export';
import { ProviderEditor } from './provider-editor';
import { SetupDialog } from './setup-dialog';

export type DialogState =
  | { kind: 'setup'; provider: ProviderView }
  | { kind: 'removeSetup'; provider: ProviderView }
  | { kind: 'apiKey'; provider: ProviderView; reconnect?: ConnectionView }
  | { kind: 'editor'; provider: ProviderView | null }
  | { kind: 'import' }
  | { kind: 'export'; ids: string[] }
  | { kind: 'disconnect'; connection: ConnectionView }
  | { kind: 'deleteProvider'; provider: ProviderView }
  | { kind: 'details'; connection: ConnectionView }
  | { kind: 'bundle'; bundle: SupportBundleView };

export interface DialogsProps {
  api: PatchbayApi;
  dialog: DialogState;
  info: AppInfo | null;
  actions: PatchbayActions;
  onClose: () => void;
  /** Replace this dialog with another (e.g. Set up -> confirm removing it). */
  onOpen: (dialog: DialogState) => void;
  /** Carry out a diagnosis's action for a connection (open Set up, sign in again, test again). */
  onDiagnosisAction?: (c: ConnectionView, d: Diagnosis) => void;
}

/** Render the open dialog. */
export function Dialogs({ api, dialog, info, actions, onClose, onOpen, onDiagnosisAction }: DialogsProps) {
  const done = (id: string, text: string) => {
    actions.setNotice(id, { kind: 'success', text });
    actions.announce(text);
    void actions.reload();
    onClose();
  };
  switch (dialog.kind) {
    case 'setup':
      return (
        <SetupDialog
          api={api}
          provider={dialog.provider}
          onClose={onClose}
          onSaved={(p) =>
            done(
              p.id,
              `${p.name} is set up.${p.hasClientSecret ? ' The client secret is saved in your keychain.' : ''}`,
            )
          }
          onRemove={(p) => onOpen({ kind: 'removeSetup', provider: p })}
        />
      );
    case 'removeSetup': {
      const p = dialog.provider;
      return (
        <ConfirmDialog
          title={`Remove the set-up of ${p.name}?`}
          body={`Patchbay forgets the client ID of your ${p.name} app${p.hasClientSecret ? ' and deletes its client secret from your keychain' : ''}. Existing connections keep working until they need to renew; to connect again, set ${p.name} up again.`}
          confirmLabel="Remove set-up"
          cancelLabel="Keep set-up"
          onConfirm={async () => {
            const r = await api.invoke('credentials:remove', p.id);
            const text = r.ok ? `${p.name} is no longer set up.` : r.error.message;
            actions.setNotice(p.id, { kind: r.ok ? 'info' : 'error', text });
            actions.announce(text);
            await actions.reload();
            focusWhenReady(providerStepTarget(p.id));
          }}
          onClose={onClose}
        />
      );
    }
    case 'apiKey':
      return (
        <ApiKeyDialog
          provider={dialog.provider}
          connect={(p, key) => {
            const target = dialog.reconnect;
            return target ? actions.reconnect(p, target, key) : actions.connect(p, key);
          }}
          onClose={onClose}
        />
      );
    case 'editor':
      return (
        <ProviderEditor
          api={api}
          provider={dialog.provider}
          onClose={onClose}
          onSaved={(p) => {
            done(p.id, dialog.provider ? `${p.name} saved.` : `${p.name} added.`);
            if (!dialog.provider) focusWhenReady(providerHeadingTarget(p.id));
          }}
        />
      );
    case 'import':
      return (
        <ImportDialog
          api={api}
          onClose={onClose}
          onImported={(list) => {
            const names = list.map((p) => p.name).join(', ');
            // Said on screen next to each provider, announced once, and the first one gets the focus.
            for (const p of list) actions.setNotice(p.id, { kind: 'success', text: `${p.name} imported.` });
            actions.announce(`Imported ${list.length === 1 ? 'one provider' : `${list.length} providers`}: ${names}.`);
            void actions.reload();
            onClose();
            if (list[0]) focusWhenReady(providerHeadingTarget(list[0].id));
          }}
        />
      );
    case 'export':
      return <ExportDialog api={api} ids={dialog.ids} onClose={onClose} />;
    case 'disconnect': {
      const c = dialog.connection;
      return (
        <ConfirmDialog
          title={`Disconnect ${c.label}?`}
          body={`Patchbay will sign out of ${c.providerName} for ${c.label}, revoke the access where ${c.providerName} allows it, and delete the saved credentials from your keychain.`}
          confirmLabel="Disconnect"
          cancelLabel="Keep connection"
          onConfirm={async () => {
            const next = afterRowRemoved(c.id, c.providerId);
            if (await actions.disconnect(c)) focusWhenReady(next);
          }}
          onClose={onClose}
        />
      );
    }
    case 'deleteProvider': {
      const p = dialog.provider;
      return (
        <ConfirmDialog
          title={`Delete ${p.name}?`}
          body={`The provider definition is removed from Patchbay. Disconnect its connections first if you have any.`}
          confirmLabel="Delete provider"
          onConfirm={async () => {
            const next = afterProviderRemoved(p.id);
            const r = await api.invoke('providers:delete', p.id);
            if (r.ok) focusWhenReady(next);
            actions.announce(r.ok ? `${p.name} deleted.` : r.error.message);
            if (!r.ok) actions.setNotice(p.id, { kind: 'error', text: r.error.message });
            await actions.reload();
          }}
          onClose={onClose}
        />
      );
    }
    case 'details': {
      const c = dialog.connection;
      return (
        <DetailsDialog
          api={api}
          connection={c}
          info={info}
          onClose={onClose}
          {...(onDiagnosisAction ? { onDiagnosisAction: (d: Diagnosis) => onDiagnosisAction(c, d) } : {})}
        />
      );
    }
    case 'bundle':
      return <BundleDialog bundle={dialog.bundle} onClose={onClose} />;
  }
}
