/**
 * Checks on what a person asks to send through a connection (method, headers, body).
 *
 * The same rules for the CLI and the app: each refusal is invalid_input naming the field and the
 * fix. The credential header is Patchbay's alone, so a typed header can never replace it with
 * something else, nor learn its value by being echoed.
 */
import { invalidInput } from '../model/errors';
import type { ApiRequestInput } from '../../../preload/contract';

/** RFC 9110 token characters: what a method or header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers fetch sets itself or that would change where or how the request goes. */
const RESERVED = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'cookie',
  'proxy-authorization',
  'te',
  'upgrade',
  'keep-alive',
  'expect',
]);
/** Most request headers accepted, and the largest request body (10 MB). */
export const MAX_REQUEST_HEADERS = 50;
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** A request that passed the checks. */
export interface CheckedRequest {
  method: string;
  headers: Array<[string, string]>;
  body: string | undefined;
}

/**
 * Validate method, headers and body. `credentialHeader` (lower case) is the header Patchbay
 * will set with the token or key; a header of that name is refused.
 */
export function checkRequestInput(
  input: Pick<ApiRequestInput, 'method' | 'headers' | 'body'>,
  credentialHeader: string,
): CheckedRequest {
  const method = (input.method ?? 'GET').trim().toUpperCase();
  if (!TOKEN.test(method) || method.length > 20) {
    throw invalidInput(
      'method',
      `"${method.slice(0, 20)}" is not an HTTP method. Use GET, POST, PUT, PATCH or DELETE.`,
    );
  }
  if (method === 'CONNECT' || method === 'TRACE' || method === 'TRACK') {
    throw invalidInput(
      'method',
      `${method} requests cannot be sent through a connection. Use GET, POST, PUT, PATCH or DELETE.`,
    );
  }
  const headers: Array<[string, string]> = [];
  const list = input.headers ?? [];
  if (list.length > MAX_REQUEST_HEADERS)
    throw invalidInput('headers', `At most ${MAX_REQUEST_HEADERS} headers can be sent. Remove some.`);
  for (const [rawName, rawValue] of list) {
    const name = rawName.trim();
    const value = rawValue.trim();
    if (!TOKEN.test(name) || name.length > 200) {
      throw invalidInput(
        'headers',
        `"${name.slice(0, 60)}" is not a header name. Write headers as "Name: value", one per line.`,
      );
    }
    if (/[\u0000-\u001f\u007f]/.test(value) || value.length > 8192) {
      throw invalidInput(
        'headers',
        `The value of ${name} has a line break or control character in it (or is over 8 KB). Put it on one line.`,
      );
    }
    const lower = name.toLowerCase();
    if (lower === credentialHeader || lower === 'authorization') {
      throw invalidInput(
        'headers',
        `Patchbay sets the ${name} header itself with this connection's credentials. Remove it.`,
      );
    }
    if (RESERVED.has(lower))
      throw invalidInput('headers', `The ${name} header is set by Patchbay's HTTP client. Remove it.`);
    headers.push([name, value]);
  }
  const body = input.body === undefined || input.body === '' ? undefined : input.body;
  if (body !== undefined) {
    if (Buffer.byteLength(body, 'utf8') > MAX_REQUEST_BODY_BYTES)
      throw invalidInput('body', 'The request body is larger than 10 MB. Send a smaller one.');
    if (method === 'GET' || method === 'HEAD')
      throw invalidInput(
        'body',
        `${method} requests cannot carry a body. Use POST, PUT or PATCH, or leave the body empty.`,
      );
    // A JSON body without a content type would reach most APIs as text/plain and be refused.
    if (!headers.some(([n]) => n.toLowerCase() === 'content-type') && looksLikeJson(body))
      headers.push(['Content-Type', 'application/json']);
  }
  return { method, headers, body };
}

function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
