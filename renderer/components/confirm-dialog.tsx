/**
 * Ask before something that cannot be undone (disconnect, delete a provider).
 *
 * The safe choice has focus first, so Enter on a reflex keeps the connection.
 */
import { useState } from 'react';
import { asyncAction } from '../async-action';
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
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Modal title={title} onClose={onClose}>
      <p>{body}</p>
      {failure ? (
        <p className="error" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={onClose}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={asyncAction(
            async () => {
              setBusy(true);
              setFailure(null);
              await onConfirm();
              setBusy(false);
              onClose();
            },
            (e) => {
              setBusy(false);
              setFailure(e.message);
            },
          )}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
