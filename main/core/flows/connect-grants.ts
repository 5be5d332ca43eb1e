/**
 * Connecting without a browser here: the client credentials and device code grants.
 *
 * connect.ts runs the browser sign-in itself and hands both of these the same last step
 * (keepTokens: bound, keychain, record, label). What differs is only how the tokens are
 * obtained: with the app's own client ID and secret, or with a code the person enters on
 * another device while Patchbay polls.
 */
import { PatchbayError } from '../model/errors';
import type { OAuthClient } from '../oauth/authorization-code';
import { clientCredentialsToken, requireClientSecret } from '../oauth/client-credentials';
import { pollDeviceToken, startDeviceAuthorization } from '../oauth/device-code';
import { redactUrl } from '../storage/redact';
import type { TokenSet } from '../model/types';
import type { ConnectInput, OAuthGrant, ProviderDefinition } from '../../../preload/contract';
import type { ConnectFlow } from './connect';
import { beforeProviderHttp, clientFor, httpFor } from './context';

/**
 * The grant one connect uses: the definition's, or the device code when the person asked for it
 * (`connect --device`). A client-credentials provider has nobody to sign in, so --device is refused.
 */
export function grantFor(def: ProviderDefinition, input: Pick<ConnectInput, 'device'>): OAuthGrant {
  const grant = def.grant ?? 'authorization_code';
  if (!input.device) return grant;
  if (grant === 'client_credentials') {
    throw new PatchbayError(
      'invalid_input',
      `${def.name} connects with your app's client ID and secret; nobody signs in, so there is no code to enter. Leave out --device.`,
      { field: 'device' },
    );
  }
  return 'device_code';
}

/** Obtain a token set by `grant` (not the browser sign-in, which connect.ts runs itself). */
export async function obtainTokens(
  flow: ConnectFlow,
  grant: Exclude<OAuthGrant, 'authorization_code'>,
): Promise<{ client: OAuthClient; tokens: TokenSet }> {
  const { ctx, def, trace, signal } = flow;
  const client = await clientFor(ctx, def, flow.data);
  trace.registerSecret(client.clientSecret);
  if (grant === 'client_credentials') requireClientSecret(def, client);
  await beforeProviderHttp(ctx, def);
  signal.throwIfAborted();
  const http = httpFor(ctx, def, trace, signal);
  if (grant === 'client_credentials') {
    flow.emit('exchanging', `Getting a token from ${def.name} with your app's client ID and secret.`);
    trace.add({ step: 'client_credentials', detail: `Asked ${def.name} for a token for the app itself.`, ok: true });
    return { client, tokens: await clientCredentialsToken(http, def, client) };
  }
  const device = await startDeviceAuthorization(http, def, client);
  trace.registerSecret(device.deviceCode);
  const { view } = device;
  trace.add({
    step: 'device_code',
    detail: `${def.name} gave the code ${view.userCode}, to enter at its verification page within ${view.expiresIn} seconds.`,
    ok: true,
    url: redactUrl(view.verificationUri),
  });
  flow.emit('waiting_for_user', `Go to ${view.verificationUri} and enter the code ${view.userCode}.`, {
    device: view,
  });
  let lastReason: string | null = null;
  const tokens = await pollDeviceToken(http, def, client, device, {
    now: () => ctx.clock.now(),
    sleep: ctx.sleep,
    signal,
    onWait: (interval, reason) => {
      // One trace line per change, not one per poll: a ten-minute wait stays readable.
      if (reason === lastReason && reason === 'authorization_pending') return;
      lastReason = reason;
      trace.add({
        step: 'device_poll',
        detail:
          reason === 'slow_down'
            ? `${def.name} asked Patchbay to poll more slowly; now every ${interval} seconds.`
            : `Waiting for the code to be entered at ${def.name} (checking every ${interval} seconds).`,
        ok: true,
      });
    },
  });
  flow.emit('exchanging', `The code was accepted at ${def.name}.`);
  return { client, tokens };
}
