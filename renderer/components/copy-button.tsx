/**
 * Copy text to the clipboard, with a fallback when the browser refuses.
 *
 * navigator.clipboard needs a secure context and, in some browsers, a permission; when it fails
 * the text is put in a selected field so the person can press Ctrl+C themselves.
 */
import { useState } from 'react';

/** Try the async clipboard first; report whether it worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A button that copies `text` and says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        aria-label={label}
        onClick={() => {
          copyText(text).then(
            (ok) => setState(ok ? 'copied' : 'failed'),
            () => setState('failed'),
          );
        }}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {state === 'failed' ? (
        <span className="hint" role="status">
          Your browser blocked copying. Select the text and press Ctrl+C.
        </span>
      ) : null}
    </>
  );
}
