/**
 * Which proxy and which extra certificate authorities a provider request uses.
 *
 * Two sources: the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, in either case, and
 * PATCHBAY_CA_FILE) and the `network` section of the settings file. A proxy typed into Settings
 * wins over the environment's (like git's `http.proxy`): a person who set it on purpose in the app
 * expects it to be used, while environment variables are often set machine-wide by scripts nobody
 * remembers. Bypass lists and certificate authorities only ever add: a host in either NO_PROXY or
 * the settings' list goes direct, and both CA files are trusted, next to the system's roots.
 */
import path from 'node:path';
import { PatchbayError } from '../model/errors';
import type { NetworkSettingsInput } from '../../../preload/contract';

/** The environment variables the plan reads (a plain record, so tests and the CLI pass their own). */
export type NetworkEnv = Record<string, string | undefined>;

/** The `network` section of the settings file (the proxy password itself is in the keychain). */
export interface SavedNetwork {
  proxyUrl: string | null;
  noProxy: string;
  caFile: string | null;
  proxyUser: string | null;
  hasProxyPassword: boolean;
}

/** One extra trusted certificate authority file and where it was named. */
export interface CaFileSource {
  path: string;
  /** `PATCHBAY_CA_FILE` or the settings field `caFile`, named in errors about the file. */
  field: 'PATCHBAY_CA_FILE' | 'caFile';
}

/** What one provider request is sent through. */
export interface NetworkPlan {
  /** Proxy for http:// addresses, or null to go direct. */
  httpProxy: string | null;
  /** Proxy for https:// addresses, or null to go direct. */
  httpsProxy: string | null;
  /** Hosts that skip the proxy (NO_PROXY syntax: comma- or space-separated, `.suffix`, `host:port`, `*`). */
  noProxy: string;
  proxySource: 'settings' | 'environment' | null;
  caFiles: CaFileSource[];
}

/** An environment variable, lower-case spelling first (curl's and undici's order); empty counts as unset. */
export function envValue(env: NetworkEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** The proxy URL with any user name and password replaced: safe for traces, errors and the screen. */
export function redactProxyUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username === '' && url.password === '') return url.origin;
    return `${url.protocol}//***@${url.host}`;
  } catch {
    // Not a URL: drop everything up to an "@" that could be a sign-in.
    return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1***@').slice(0, 200);
  }
}

/**
 * Check a proxy address: http:// or https://, a host, nothing after it.
 *
 * `field` is the setting or variable it came from, so the sentence names where to fix it.
 * `allowSignIn` false refuses a user name or password in it (the settings file holds no secrets).
 */
export function checkProxyUrl(raw: string, field: string, allowSignIn: boolean): string {
  const where = field === 'proxyUrl' ? 'Proxy address in Settings > Network' : field;
  let url: URL;
  // "proxy.corp:3128" with no scheme means an HTTP proxy, as curl reads it.
  const value = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim()) ? raw.trim() : `http://${raw.trim()}`;
  try {
    url = new URL(value);
  } catch {
    throw new PatchbayError(
      'invalid_input',
      `${where} is not an address. Write it as http://proxy.example.com:8080 (ask your IT team for the address).`,
      { field },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PatchbayError(
      'invalid_input',
      `${where} must start with http:// or https:// (SOCKS proxies are not supported). Write it as http://proxy.example.com:8080.`,
      { field },
    );
  }
  if (!allowSignIn && (url.username !== '' || url.password !== '')) {
    throw new PatchbayError(
      'invalid_input',
      `${where} has a user name or password in it. Patchbay keeps no passwords in its settings file: remove them here; put the sign-in in Proxy user name and Proxy password (the password is kept in your keychain).`,
      { field },
    );
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new PatchbayError(
      'invalid_input',
      `${where} must be only the proxy's address and port, with no path: write it as http://proxy.example.com:8080.`,
      { field },
    );
  }
  return allowSignIn ? url.href.replace(/\/$/, '') : url.origin;
}

/** Check a CA file path from the settings: absolute, no line breaks (it is read when requests are made). */
export function checkCaPath(raw: string, field: string): string {
  const value = raw.trim();
  if (/[\r\n\0]/.test(value) || !path.isAbsolute(value)) {
    throw new PatchbayError(
      'invalid_input',
      `${field === 'caFile' ? 'Certificate authority file in Settings > Network' : field} must be the full path of a PEM file (for example /etc/ssl/company-ca.pem or C:\\certs\\company-ca.pem).`,
      { field },
    );
  }
  return value;
}

/** Normalise and check what a person saves in Settings > Network; every problem names its field. */
export function checkNetworkInput(input: NetworkSettingsInput): Omit<SavedNetwork, 'hasProxyPassword'> {
  const proxy = input.proxyUrl?.trim() ?? '';
  const ca = input.caFile?.trim() ?? '';
  const noProxy = input.noProxy
    .split(/[,\s]+/)
    .filter((entry) => entry !== '')
    .join(',');
  if (/[^A-Za-z0-9.*:[\]_,-]/.test(noProxy)) {
    throw new PatchbayError(
      'invalid_input',
      'Addresses that skip the proxy may only hold host names, IP addresses and ports, separated by commas (for example localhost,127.0.0.1,.corp.example.com).',
      { field: 'noProxy' },
    );
  }
  const user = input.proxyUser?.trim() ?? '';
  for (const [field, value] of [
    ['proxyUser', user],
    ['proxyPassword', input.proxyPassword ?? ''],
  ] as const) {
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      throw new PatchbayError(
        'invalid_input',
        `The proxy ${field === 'proxyUser' ? 'user name' : 'password'} has a line break or control character in it. Type it again.`,
        { field },
      );
    }
  }
  if (user !== '' && proxy === '') {
    throw new PatchbayError(
      'invalid_input',
      'A proxy user name needs a proxy address: fill in Proxy address, or clear the user name.',
      { field: 'proxyUser' },
    );
  }
  if (user === '' && input.proxyPassword) {
    throw new PatchbayError(
      'invalid_input',
      'A proxy password needs the user name it belongs to. Fill in Proxy user name.',
      {
        field: 'proxyUser',
      },
    );
  }
  return {
    proxyUrl: proxy === '' ? null : checkProxyUrl(proxy, 'proxyUrl', false),
    noProxy,
    caFile: ca === '' ? null : checkCaPath(ca, 'caFile'),
    proxyUser: user === '' ? null : user,
  };
}

/** The settings' proxy address with the settings' sign-in in it (for undici, which reads it from there). */
function withSignIn(proxy: string, user: string | null | undefined, password: string | null | undefined): string {
  if (!user) return proxy;
  const url = new URL(proxy);
  url.username = encodeURIComponent(user);
  if (password) url.password = encodeURIComponent(password);
  return url.href.replace(/\/$/, '');
}

/** The plan for this process: environment and settings together (see the module comment for who wins). */
export function resolveNetworkPlan(
  env: NetworkEnv,
  settings: Partial<SavedNetwork> | undefined,
  proxyPassword: string | null = null,
): NetworkPlan {
  const noProxy = [envValue(env, 'NO_PROXY'), settings?.noProxy]
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .join(',');
  const caFiles: CaFileSource[] = [];
  const envCa = env.PATCHBAY_CA_FILE?.trim();
  if (envCa) caFiles.push({ path: envCa, field: 'PATCHBAY_CA_FILE' });
  if (settings?.caFile) caFiles.push({ path: settings.caFile, field: 'caFile' });
  if (settings?.proxyUrl) {
    const proxy = withSignIn(checkProxyUrl(settings.proxyUrl, 'proxyUrl', false), settings.proxyUser, proxyPassword);
    return { httpProxy: proxy, httpsProxy: proxy, noProxy, proxySource: 'settings', caFiles };
  }
  const rawHttp = envValue(env, 'HTTP_PROXY');
  const rawHttps = envValue(env, 'HTTPS_PROXY');
  const httpProxy = rawHttp ? checkProxyUrl(rawHttp, 'HTTP_PROXY', true) : null;
  // undici's rule (and the common one): without HTTPS_PROXY, https:// goes through HTTP_PROXY too.
  const httpsProxy = rawHttps ? checkProxyUrl(rawHttps, 'HTTPS_PROXY', true) : httpProxy;
  const proxySource = httpProxy || httpsProxy ? 'environment' : null;
  return { httpProxy, httpsProxy, noProxy, proxySource, caFiles };
}

/** Whether `target` skips the proxy under a NO_PROXY list (the same rules undici's EnvHttpProxyAgent applies). */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]/).filter((e) => e !== '');
  if (entries.includes('*')) return true;
  const host = target.hostname.toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return entries.some((entry) => {
    const m = /^(.+):(\d+)$/.exec(entry);
    const name = (m ? m[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (m && Number(m[2]) !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The proxy `target` goes through under `plan`, or null when it goes direct. */
export function proxyFor(plan: NetworkPlan, target: URL): string | null {
  const proxy = target.protocol === 'https:' ? plan.httpsProxy : plan.httpProxy;
  if (!proxy || bypassesProxy(target, plan.noProxy)) return null;
  return proxy;
}
