/**
 * A corporate network on loopback: a CONNECT proxy and a test certificate authority.
 *
 * The proxy is the few lines of Node `http` a forward proxy needs for HTTPS: it answers CONNECT,
 * records every target it was asked for (so a test can prove a request went through it), can
 * demand a Proxy-Authorization and answer 407, and resolves made-up host names (id.acme.test)
 * that nothing else on the machine knows to 127.0.0.1. The CA and the provider's certificate are
 * made with the openssl command line in a temporary folder at test time.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { createLoopbackAuthorizer } from '../../../main/core/authorizers/loopback-authorizer';
import type { Authorizer } from '../../../main/core/model/types';

export interface TestPki {
  dir: string;
  /** The CA certificate (PEM file): what PATCHBAY_CA_FILE names. */
  caFile: string;
  /** Key and certificate of the provider, issued by the CA for `hostName`. */
  key: string;
  cert: string;
  cleanup(): Promise<void>;
}

/** A fresh CA and a server certificate for `hostName` signed by it (EC P-256, valid two days). */
export async function makeTestPki(hostName: string): Promise<TestPki> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'patchbay-pki-'));
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Acme Corp Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hostName}`);
  await fs.writeFile(
    at('server.ext'),
    `subjectAltName=DNS:${hostName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  return {
    dir,
    caFile: at('ca.pem'),
    key: await fs.readFile(at('server.key'), 'utf8'),
    cert: await fs.readFile(at('server.pem'), 'utf8'),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

export interface ConnectProxy {
  /** http://127.0.0.1:<port> (no sign-in in it). */
  url: string;
  port: number;
  /** Every CONNECT target asked for, in order ("id.acme.test:4431"), refused ones included. */
  connects: string[];
  /** The Proxy-Authorization header of each CONNECT (undefined when none was sent). */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/**
 * Start the proxy. `hosts` maps made-up names to 127.0.0.1; 127.0.0.1 itself is passed through.
 * `signIn` ("user:password") makes it answer 407 to any CONNECT without exactly that Basic sign-in.
 */
export async function startConnectProxy(options: { hosts: string[]; signIn?: string }): Promise<ConnectProxy> {
  const state: ConnectProxy = { url: '', port: 0, connects: [], authorizations: [], close: async () => undefined };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('error', () => undefined);
    const target = req.url ?? '';
    state.connects.push(target);
    state.authorizations.push(req.headers['proxy-authorization']);
    if (options.signIn !== undefined) {
      const expected = `Basic ${Buffer.from(options.signIn).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
        return;
      }
    }
    const m = /^(.+):(\d+)$/.exec(target);
    const host = m?.[1];
    if (!m || (host !== '127.0.0.1' && !options.hosts.includes(host ?? ''))) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(m[2]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/**
 * The sign-in page as a browser behind the proxy sees it: GET the authorization URL through the
 * proxy (trusting the test CA), then follow the provider's redirect to the loopback redirect URI.
 */
export async function signInThroughProxy(authorizeUrl: URL, proxyUrl: string, caFile: string): Promise<URL> {
  const ca = await fs.readFile(caFile, 'utf8');
  const dispatcher = new ProxyAgent({ uri: proxyUrl, requestTls: { ca } });
  try {
    const res = await undiciFetch(authorizeUrl, { redirect: 'manual', dispatcher });
    await res.arrayBuffer();
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
    const callback = new URL(location);
    const back = await fetch(callback, { redirect: 'manual' });
    await back.arrayBuffer();
    return callback;
  } finally {
    await dispatcher.close();
  }
}

/** A loopback authorizer whose "browser" signs in through the proxy (signInThroughProxy). */
export function proxiedBrowserAuthorizer(proxyUrl: string, caFile: string): Authorizer {
  return createLoopbackAuthorizer({
    openUrl: async (url) => {
      await signInThroughProxy(new URL(url), proxyUrl, caFile);
    },
  });
}
