/**
 * The provider fetch of Node hosts (the CLI, the web host, and Electron when a CA file is set):
 * undici's own fetch with a dispatcher built from the network plan.
 *
 * Why undici's fetch and not the global one with a dispatcher: Node 22's global fetch is undici 6
 * inside Node, and a dispatcher from another undici major is not guaranteed to speak its handler
 * protocol. undici's fetch and its EnvHttpProxyAgent come from one package, pinned in package.json.
 *
 * - Proxy: EnvHttpProxyAgent, always given explicit proxy and NO_PROXY values (never left to read
 *   process.env itself), so the plan decides and tests can pass their own environment.
 * - CAs: the system's roots (tls.rootCertificates) plus each PEM file, for direct connections
 *   (`connect`), through the tunnel (`requestTls`) and to an https:// proxy (`proxyTls`).
 * - The dispatcher is rebuilt only when the plan changes (a Settings save), and undici is loaded
 *   only for a request that needs a proxy or an extra CA: a direct request uses Node's own fetch,
 *   so `patchbay request` on an ordinary network does not pay for loading undici.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { PatchbayError } from '../model/errors';
import type { FetchLike } from '../model/types';
import { describeNetworkFailure } from './network-errors';
import {
  proxyFor,
  resolveNetworkPlan,
  type CaFileSource,
  type NetworkEnv,
  type NetworkPlan,
  type SavedNetwork,
} from './network-plan';

/** Where the fetch reads its configuration, on every request (settings can change while a host runs). */
export interface NodeNetworkOptions {
  env: NetworkEnv;
  settings: () => Partial<SavedNetwork> | undefined;
  /** The proxy password saved with Settings > Network (keychain), when the settings say there is one. */
  proxyPassword?: () => Promise<string | null>;
}

/** A CA file larger than this is not a CA bundle. */
const MAX_CA_FILE_BYTES = 5 * 1024 * 1024;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function where(source: CaFileSource): string {
  return source.field === 'caFile' ? 'The certificate authority file in Settings > Network' : 'PATCHBAY_CA_FILE';
}

/**
 * Read one CA file: every PEM certificate in it, each parsed once so a damaged file is refused
 * with a sentence instead of failing every TLS handshake later.
 */
export function readCaFile(source: CaFileSource): string[] {
  let text: string;
  try {
    if (fs.statSync(source.path).size > MAX_CA_FILE_BYTES) throw new Error('too large');
    text = fs.readFileSync(source.path, 'utf8');
  } catch (error) {
    throw new PatchbayError(
      'invalid_input',
      `${where(source)} names ${source.path}, which Patchbay cannot read. Check the path, or ask your IT team for the company's certificate authority as a PEM file.`,
      { field: source.field, cause: error },
    );
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  const readable = blocks.filter((block) => {
    try {
      return new X509Certificate(block).subject !== '';
    } catch {
      return false;
    }
  });
  if (readable.length === 0 || readable.length !== blocks.length) {
    throw new PatchbayError(
      'invalid_input',
      `${where(source)} names ${source.path}, which holds no readable certificate. It must be a PEM file (text starting with -----BEGIN CERTIFICATE-----); convert a .cer/.der file with: openssl x509 -inform der -in company.cer -out company.pem`,
      { field: source.field },
    );
  }
  return blocks;
}

/** True when the plan sends every request straight out, trusting only the system's authorities. */
function isDirect(plan: NetworkPlan): boolean {
  return !plan.httpProxy && !plan.httpsProxy && plan.caFiles.length === 0;
}

function planKey(plan: NetworkPlan): string {
  return JSON.stringify(plan);
}

/** The fetch every Node host hands the core (CoreOptions.fetch). */
export function createNodeNetworkFetch(options: NodeNetworkOptions): FetchLike {
  let cached: { key: string; dispatcher: Dispatcher } | null = null;
  let undici: Promise<typeof Undici> | null = null;

  const dispatcherFor = async (plan: NetworkPlan): Promise<Dispatcher> => {
    const key = planKey(plan);
    if (cached?.key === key) return cached.dispatcher;
    const { Agent, EnvHttpProxyAgent } = await (undici ??= import('undici'));
    const extra = plan.caFiles.flatMap(readCaFile);
    const tlsOptions = extra.length > 0 ? { ca: [...tls.rootCertificates, ...extra] } : {};
    const dispatcher: Dispatcher =
      plan.httpProxy || plan.httpsProxy
        ? new EnvHttpProxyAgent({
            httpProxy: plan.httpProxy ?? '',
            httpsProxy: plan.httpsProxy ?? '',
            noProxy: plan.noProxy,
            connect: tlsOptions,
            requestTls: tlsOptions,
            proxyTls: tlsOptions,
          })
        : new Agent({ connect: tlsOptions });
    const previous = cached?.dispatcher;
    cached = { key, dispatcher };
    // Requests still running on the old dispatcher finish; it closes once they have.
    if (previous) void previous.close().catch(() => undefined);
    return dispatcher;
  };

  return async (input, init) => {
    const saved = options.settings();
    const password = saved?.hasProxyPassword && options.proxyPassword ? await options.proxyPassword() : null;
    const plan = resolveNetworkPlan(options.env, saved, password);
    if (typeof input !== 'string' && !(input instanceof URL)) {
      // The core only ever passes an address; a Request object would need converting between undici copies.
      throw new PatchbayError('internal', 'Patchbay made a request it cannot send. Report this as a bug.');
    }
    const target = new URL(input);
    if (isDirect(plan)) {
      // No proxy and no extra certificate authority: Node's own fetch does exactly what an undici
      // Agent without options would, and is already in the process (loading the undici package
      // costs a command-line call more than the request itself).
      try {
        return await globalThis.fetch(target, init);
      } catch (error) {
        throw describeNetworkFailure(error, target, null) ?? error;
      }
    }
    const dispatcher = await dispatcherFor(plan);
    const { fetch } = await (undici ??= import('undici'));
    try {
      // undici's fetch takes the same arguments as the global one, plus its dispatcher.
      const response = await fetch(target, { ...(init as object), dispatcher } as Parameters<typeof fetch>[1]);
      return response as unknown as Response;
    } catch (error) {
      throw describeNetworkFailure(error, target, proxyFor(plan, target)) ?? error;
    }
  };
}
