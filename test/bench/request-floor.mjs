/**
 * The least any Node.js program can do for `patchbay request <conn> /me`: load keytar, read the
 * connection's keychain entry, send one GET with its token through node:http, print the body.
 * No settings, no validation, no refresh, no trace. `npm run bench` times it next to `patchbay
 * request` and curl, so the request figure can be read against what Node itself costs here.
 *
 * Usage: node request-floor.mjs <service> <account> <url>
 */
import http from 'node:http';
import { createRequire } from 'node:module';

const [service, account, url] = process.argv.slice(2);
const keytar = createRequire(import.meta.url)('keytar');
const secret = JSON.parse((await keytar.getPassword(service, account)) ?? 'null');
if (!secret?.accessToken) throw new Error(`no token in ${account}`);
http
  .get(url, { headers: { authorization: `Bearer ${secret.accessToken}` } }, (res) => {
    res.pipe(process.stdout);
    res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1));
  })
  .on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
