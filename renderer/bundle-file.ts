/**
 * The page's side of support bundles: saving one when the host hands the text back (the web
 * host has no save dialog of its own) and reading one the person picked, size-checked first.
 */
import type { BundleSaveResult, PatchbayApi, Result, SupportBundleView } from '../preload/contract';

/** Same bound as the core's reader: a bigger file is refused before it is read or sent. */
export const MAX_BUNDLE_FILE_BYTES = 1536 * 1024;

/** Offer `text` as a download named `fileName` (an object URL, revoked right after the click). */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "Save support bundle": the host saves it (desktop) or the page downloads it (web). A sentence for the status line. */
export async function saveBundle(api: PatchbayApi, connectionId: string): Promise<{ ok: boolean; text: string }> {
  const r: Result<BundleSaveResult> = await api.invoke('bundles:save', connectionId);
  if (!r.ok) return { ok: false, text: r.error.message };
  if (r.value.saved) return { ok: true, text: `Support bundle saved (${r.value.fileName}).` };
  if (r.value.text === null) return { ok: true, text: 'Not saved.' };
  downloadText(r.value.fileName, r.value.text);
  return {
    ok: true,
    text: `Support bundle downloaded as ${r.value.fileName}. It holds no token, code, key or secret.`,
  };
}

/** Read a picked file as a support bundle: refused above the bound, then checked by the core. */
export async function openBundleFile(api: PatchbayApi, file: File): Promise<Result<SupportBundleView>> {
  if (file.size > MAX_BUNDLE_FILE_BYTES) {
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'file',
        message: `This file is ${(file.size / 1024 / 1024).toFixed(1)} MB; a Patchbay support bundle is at most 1.5 MB, so it was not opened.`,
      },
    };
  }
  return api.invoke('bundles:read', await file.text());
}
