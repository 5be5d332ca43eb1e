/**
 * A device-code sign-in in progress (RFC 8628): the code, large, with Copy, and a button that
 * opens the verification page through the host's link policy (the core checked the address is
 * https://, or http:// on this computer, before it got here).
 */
import { useContext } from 'react';
import type { DeviceCodeView } from '../../preload/contract';
import { CopyButton } from './copy-button';
import { LinkOpener } from './external-link';

/** "10 minutes" / "45 seconds": how long the code works, for the hint under it. */
function lifetime(seconds: number): string {
  return seconds < 120 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`;
}

/** The code and the way to the page where it is entered. */
export function DeviceCode({ device, providerName }: { device: DeviceCodeView; providerName: string }) {
  const open = useContext(LinkOpener);
  return (
    <div className="device-code">
      <p>
        On any device, open <span className="device-uri">{device.verificationUri}</span> and enter this code to connect{' '}
        {providerName}:
      </p>
      <p className="device-user-code" aria-label="Code to enter" data-device-code>
        {device.userCode}
      </p>
      <div className="device-actions">
        <CopyButton text={device.userCode} label="Copy the code" />
        <button type="button" onClick={() => open(device.verificationUriComplete ?? device.verificationUri)}>
          Open the verification page
        </button>
      </div>
      <p className="hint">The code works for {lifetime(device.expiresIn)}. Patchbay waits for it here.</p>
    </div>
  );
}
