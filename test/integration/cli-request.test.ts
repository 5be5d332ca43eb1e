/**
 * `patchbay request` as a real process against local providers and the real keyring: relative
 * paths on the API base (apiBaseUrl, or the test URL's origin), the origin rule (a token never
 * leaves for a host the provider does not own, refused before anything is sent), API-key header
 * and prefix, bodies and headers, non-2xx answers, 429, bounded bodies, no redirects, one 401
 * refresh + retry with a rotating refresh token, a failed refresh that keeps the credential, the
 * trace entry, and no issued secret in any file or output.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarVault } from '../../main/core/storage/vault';
import { readAllFiles } from './providers/harness';
import { API_KEY, startUseFixture, type UseFixture } from './providers/use-fixture';

let f: UseFixture;
let acme: string;
const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const accessToken = async () => {
  const secret = await createKeytarVault(f.service).getConnectionSecret(acme);
  return secret?.kind === 'oauth2' ? secret : null;
};

beforeAll(async () => {
  f = await startUseFixture();
  acme = await f.connectOAuth('acme');
  const key = await f.run(['connect', 'acme-key', '--api-key-stdin', '--json'], `${API_KEY}\n`);
  expect(key.code, key.stderr).toBe(0);
}, 120_000);
afterAll(async () => f?.close());

describe('patchbay request', () => {
  it('resolves a path on apiBaseUrl, sends the Bearer token, and prints the JSON contract', async () => {
    const r = await f.run(['request', 'acme', '/me', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(Object.keys(out)).toEqual(['status', 'headers', 'body', 'durationMs', 'refreshed', 'cut']);
    expect(out).toMatchObject({
      status: 200,
      body: { data: { id: 7, email: 'ada@example.test' } },
      refreshed: false,
      cut: null,
    });
    expect((out.headers as Record<string, string>)['content-type']).toContain('application/json');
    expect(f.api.seen.at(-1)).toMatchObject({
      method: 'GET',
      path: '/v1/me',
      credential: `Bearer ${(await accessToken())?.accessToken}`,
    });
  });

  it('without --json prints the body as sent; --include adds the status line and headers', async () => {
    const plain = await f.run(['request', 'acme', 'me']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('{"data":{"id":7,"email":"ada@example.test"}}');
    const inc = await f.run(['request', 'acme', '/me', '--include']);
    expect(inc.stdout.startsWith('HTTP 200 OK\n')).toBe(true);
    expect(inc.stdout).toContain('\ncontent-type: application/json; charset=utf-8\n');
    expect(inc.stdout.endsWith('\n\n{"data":{"id":7,"email":"ada@example.test"}}')).toBe(true);
  });

  it('API keys go in the provider header with its prefix, on the origin of the test URL by default', async () => {
    const r = await f.run(['request', 'acme-key', '/v1/me', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(f.keyApi.seen.at(-1)).toMatchObject({ path: '/v1/me', credential: `Key ${API_KEY}` });
  });

  it('refuses any other origin with invalid_input before anything is sent', async () => {
    const before = { foreign: f.foreign.hits, api: f.api.seen.length };
    const foreignPort = new URL(f.foreign.base).port;
    for (const target of [
      `${f.foreign.base}/steal`,
      `http://localhost:${new URL(f.api.base).port}/v1/me`,
      `https://127.0.0.1:${new URL(f.api.base).port}/v1/me`,
      `http://user:pw@127.0.0.1:${new URL(f.api.base).port}/v1/me`,
      `ftp://127.0.0.1:${foreignPort}/`,
    ]) {
      const r = await f.run(['request', 'acme', target, '--json']);
      expect(r.code, target).toBe(1);
      expect(json(r.stdout).error, target).toMatchObject({ code: 'invalid_input', field: 'path' });
    }
    // Path tricks stay on the API's own host.
    for (const trick of [
      `//127.0.0.1:${foreignPort}/x`,
      `/\\127.0.0.1:${foreignPort}/x`,
      `@127.0.0.1:${foreignPort}/x`,
      '/../../x',
    ]) {
      await f.run(['request', 'acme', trick]);
    }
    expect(f.foreign.hits).toBe(before.foreign);
    expect(f.api.seen.length).toBe(before.api + 4);
    const human = await f.run(['request', 'acme', `${f.foreign.base}/steal`]);
    expect(human.stderr).toContain(`refused to send your Acme credentials to ${f.foreign.base}`);
    // The provider's other endpoints are its own: an absolute URL on the token server's origin is fine.
    expect((await f.run(['request', 'acme', `${f.oauth.base}/me`])).code).toBe(0);
  });

  it('sends bodies from -d, -d @file and --data-stdin, with headers; refuses a credential header', async () => {
    const post = json(
      (await f.run(['request', 'acme', '/echo', '-d', '{"name":"First"}', '-H', 'X-Trace: 1', '--json'])).stdout,
    );
    expect(post).toMatchObject({
      status: 201,
      body: { method: 'POST', contentType: 'application/json', body: '{"name":"First"}' },
    });
    const file = path.join(f.cli.home, 'body.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'plain words'));
    const put = json(
      (
        await f.run([
          'request',
          'acme',
          '/echo',
          '-X',
          'put',
          '-d',
          `@${file}`,
          '-H',
          'Content-Type: text/plain',
          '--json',
        ])
      ).stdout,
    );
    expect(put).toMatchObject({ body: { method: 'PUT', contentType: 'text/plain', body: 'plain words' } });
    const piped = json((await f.run(['request', 'acme', '/echo', '--data-stdin', '--json'], '[1,2]')).stdout);
    expect(piped).toMatchObject({ body: { method: 'POST', body: '[1,2]' } });
    const refused = await f.run(['request', 'acme', '/echo', '-H', 'Authorization: Bearer mine', '--json']);
    expect(refused.code).toBe(1);
    expect(json(refused.stdout).error).toMatchObject({ code: 'invalid_input', field: 'headers' });
    expect((await f.run(['request', 'acme', '/echo', '-H', 'no colon'])).code).toBe(2);
  });

  it('exits 1 on non-2xx answers with one sentence; 429 is rate_limited with the wait', async () => {
    const teapot = await f.run(['request', 'acme', '/teapot']);
    expect(teapot.code).toBe(1);
    expect(teapot.stdout).toBe('{"error":"teapot"}');
    expect(teapot.stderr.trim().split('\n')).toHaveLength(1);
    expect(teapot.stderr).toContain('HTTP 418');
    const html = json((await f.run(['request', 'acme', '/html500', '--json'])).stdout);
    expect(html).toMatchObject({ status: 500, body: '<h1>Oops</h1>' });
    const limited = await f.run(['request', 'acme', '/429', '--json']);
    expect(limited.code).toBe(1);
    expect(json(limited.stdout).error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
  });

  it('bounds the body and says what was cut; never follows a redirect; hides an echoed credential', async () => {
    const big = await f.run(['request', 'acme', '/big', '--json']);
    expect(json(big.stdout).cut).toEqual({ shownBytes: 1024 * 1024, totalBytes: 3 * 1024 * 1024 });
    const plain = await f.run(['request', 'acme', '/big']);
    expect(Buffer.byteLength(plain.stdout)).toBe(1024 * 1024);
    expect(plain.stderr).toContain('kept the first 1048576 bytes of 3145728');
    const hits = f.foreign.hits;
    const redirect = json((await f.run(['request', 'acme', '/redirect', '--json'])).stdout);
    expect(redirect).toMatchObject({ status: 302, headers: { location: `${f.foreign.base}/` } });
    expect(f.foreign.hits).toBe(hits);
    const leak = json((await f.run(['request', 'acme', '/leak', '--json'])).stdout);
    expect(leak).toMatchObject({ body: { youSent: 'Bearer [redacted]' }, headers: { 'x-echo': 'Bearer [redacted]' } });
  });

  it('on a 401 refreshes once (saving the rotated refresh token first) and retries once', async () => {
    const before = await accessToken();
    f.oauth.accessTokens.delete(before!.accessToken); // the provider revoked it early
    const refreshes = f.oauth.counts.refresh;
    const r = await f.run(['request', 'acme', '/me', '--json']);
    expect(json(r.stdout)).toMatchObject({ status: 200, refreshed: true });
    expect(f.oauth.counts.refresh).toBe(refreshes + 1);
    const after = await accessToken();
    expect(after!.refreshToken).not.toBe(before!.refreshToken);
    expect(f.oauth.refreshTokens.has(before!.refreshToken!)).toBe(false);
    expect(f.oauth.refreshTokens.has(after!.refreshToken!)).toBe(true);
    await f.scan.addConnection(f.service, acme);
    // The trace has each attempt: method, redacted URL, status, duration; never a header or body.
    const trace = json(
      (await f.run(['request', 'acme', '/echo', '-d', '{"secretish":"body-marker-77"}', '--json'])).stdout,
    );
    expect(trace.status).toBe(201);
    const files = await readAllFiles(path.join(f.cli.home, 'traces'));
    const text = files.map((x) => x.text).join('\n');
    expect(text).toMatch(/"step":"api_request"[^}]*"httpStatus":401[^}]*|"httpStatus":401[^}]*"step":"api_request"/);
    const entries = text
      .split('\n')
      .filter((l) => l.includes('api_request'))
      .join('\n');
    expect(entries).toContain(`${f.api.base}/v1/echo`);
    expect(entries).toMatch(/"durationMs":\d+/);
    expect(text).not.toContain('body-marker-77');
  });

  it('a refused refresh ends as invalid_grant, marks the connection, and keeps the credential', async () => {
    f.oauth.accessTokens.clear();
    f.oauth.refreshTokens.clear();
    const r = await f.run(['request', 'acme', '/me', '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).error).toMatchObject({ code: 'invalid_grant' });
    const status = JSON.parse((await f.run(['status', '--json'])).stdout) as Array<{ id: string; status: string }>;
    expect(status.find((c) => c.id === acme)?.status).toBe('needs_reconnect');
    expect(await accessToken()).not.toBeNull();
  });

  it('leaves no issued secret in any file under PATCHBAY_HOME or in any output', async () => {
    const files = (await readAllFiles(f.cli.home)).map((x) => ({
      where: path.relative(f.cli.home, x.file),
      text: x.text,
    }));
    expect(files.some((x) => x.where.startsWith('traces'))).toBe(true);
    expect(f.scan.values.size).toBeGreaterThanOrEqual(7);
    expect(f.scan.findIn(files)).toEqual([]);
    expect(f.scan.findIn(f.outputs)).toEqual([]);
    expect(await readFile(path.join(f.cli.home, 'import-me.json'), 'utf8')).not.toContain(API_KEY);
  });
});
