/**
 * A modal dialog on the native <dialog> element.
 *
 * showModal() gives focus trapping, Escape to close, an inert background and focus return to the
 * opener for free, and Playwright finds it as role "dialog" named by its heading. The element
 * marked `data-autofocus` (or the first form field) gets focus when the dialog opens.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for width variants. */
  className?: string;
}

/** Open on mount, close (and report) on Escape or the Close button. */
export function Modal({ title, onClose, children, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first control (the Close button); move to the one that matters.
    const target =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(
        'form input:not([readonly]):not([disabled]):not([type="radio"]), form textarea:not([readonly])',
      );
    target?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      closeRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      // Back to the opener, unless the action that closed the dialog already moved focus on
      // (focus.ts) or the opener is gone.
      const active = document.activeElement;
      if (opener?.isConnected && (active === null || active === document.body)) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className={className ? `modal ${className}` : 'modal'}>
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => closeRef.current()}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}

/** One labelled form field with its hint and inline error, wired with aria-describedby. */
export function Field({
  label,
  hint,
  error,
  children,
  id,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  id: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria-describedby value for a Field's control. */
export function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/**
 * The masked box for a write-only secret (API key, client secret) inside a Field with a hint.
 *
 * The value only ever travels to main; `autoComplete` says whether the browser may offer to save
 * it ("new-password") or must leave it alone ("off").
 */
export function SecretInput({
  id,
  value,
  onChange,
  invalid,
  autoComplete,
  disabled = false,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  autoComplete: 'off' | 'new-password';
  disabled?: boolean;
}) {
  return (
    <input
      id={id}
      type="password"
      value={value}
      autoComplete={autoComplete}
      spellCheck={false}
      disabled={disabled}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={describedBy(id, true, invalid)}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export interface FormActionsProps {
  onCancel: () => void;
  /** The submit button's label, e.g. "Save". */
  submitLabel: string;
  /** Shown on the submit button while the action runs, e.g. "Saving…". */
  busyLabel?: string;
  busy: boolean;
  /** Disabled for another reason than busy (e.g. nothing to submit yet). */
  disabled?: boolean;
}

/** The Cancel + primary submit row every form dialog ends with. */
export function FormActions({ onCancel, submitLabel, busyLabel, busy, disabled = false }: FormActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={busy || disabled}>
        {busy && busyLabel ? busyLabel : submitLabel}
      </button>
    </div>
  );
}
