/**
 * Ask before something that cannot be undone (disconnect, delete a provider).
 *
 * The safe choice has focus first, so Enter on a reflex keeps the connection.
 */
import { useState } from 'react';
import { Modal } from './modal';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/** A two-button confirmation on the native dialog. */
export function ConfirmDialog({ title, body, confirmLabel, cancelLabel = 'Cancel', onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={title} onClose={onClose}>
      <p>{body}</p>
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={onClose}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await onConfirm();
            setBusy(false);
            onClose();
          }}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
