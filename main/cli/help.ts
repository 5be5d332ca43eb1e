/**
 * Help texts: one for the whole CLI and one per command (`patchbay <command> --help`).
 *
 * Kept next to each other so that the overview and the details cannot drift apart; docs/cli.md
 * is the longer reference with the JSON shapes.
 */

export const OVERVIEW = `Patchbay connects your accounts at online services (OAuth 2.0 or API keys)
and keeps the secrets in your system keychain.

Usage:
  patchbay providers [--json]                      List the services you can connect
  patchbay providers import <file.json>            Add or update providers from a file (shows the changes)
  patchbay credentials set <provider> --client-id <id> [--client-secret-stdin]
                                                   Save your OAuth app's client ID (and secret)
  patchbay connect <provider> [--reconnect <connection>] [--api-key-stdin] [--device] [--no-open] [--timeout <s>] [--json]
                                                   Connect an account, or sign in again
  patchbay status [--json]                         Show your connections
  patchbay test <connection> [--json]              Check that a connection works
  patchbay check [<connection>...] [--concurrency <n>] [--json]
                                                   Check all (or some) connections, for cron and monitoring
  patchbay refresh <connection> [--json]           Get a new access token now
  patchbay disconnect <connection> [--json]        Revoke access and forget the connection
  patchbay request <connection> <path-or-url> [-X <method>] [-H 'Name: value']...
          [-d <data> | -d @<file> | --data-stdin] [--include] [--json]
                                                   Call the provider's API with the connection
  patchbay token <connection> [--json]             Print a fresh access token (or API key)
  patchbay exec <connection> [--env <NAME>] -- <command> [args...]
                                                   Run a command with the token in its environment
  patchbay sandbox                                 Run the practice Sandbox server
  patchbay bundle <connection> [-o <file>] [--json] Save a support bundle (no secrets) for a ticket
  patchbay bundle show <file> [--json]             Show a support bundle someone sent, read-only

Try it without an account anywhere:  patchbay connect sandbox
Run "patchbay <command> --help" for details. Exit codes: 0 ok, 1 failed, 2 wrong command line.
`;

export const COMMAND_HELP: Record<string, string> = {
  bundle: `Usage: patchbay bundle <connection> [-o <file>] [--json]
       patchbay bundle show <file> [--json]

"bundle" writes one JSON file a support engineer can attach to a ticket: the app version and
OS, the provider definition, the connection record, its trace, granted vs requested scopes,
the token's claim names (values only for iss, aud, exp, iat, nbf, scope, azp), the clock skew
against the provider and the diagnosis. It never holds a token, code, key or secret: Patchbay
checks it against the keychain and refuses to write one that does. Default file name:
patchbay-<provider>-<date>.json in the current folder.

"bundle show" prints a bundle read-only, after checking it (at most 1.5 MB, JSON, the
support-bundle format, every field); nothing in it is imported.
`,
  providers: `Usage: patchbay providers [--json]
       patchbay providers import <file.json> [--allow-origin-change] [--json]

List the providers Patchbay knows (built in and imported), how each connects and what is
still missing (for example a client ID).

"providers import" reads one provider definition or an array of them from a JSON file (at most
1 MB) and adds each one, or updates the one with the same "id", printing every field it changes.
A mistake in the file is reported with the name of the field to fix, and nothing is imported.
An update that moves the token, test, revocation or authorization URL of a provider you have
connected (or saved a client secret for) to another host is refused, because your tokens would
go to that host; with --allow-origin-change it is applied, the provider's connections need a
new sign-in and its client secret must be entered again.

Options:
  --allow-origin-change  Accept endpoints that move to another host (see above)
  --json                 Print JSON instead of sentences
`,
  credentials: `Usage: patchbay credentials set <provider> --client-id <id> [--client-secret-stdin] [--json]

Save the client ID of the OAuth app you registered at the provider. The client secret, if the
provider gave you one, is read from standard input and saved in your keychain; it is never
accepted as a command-line argument (other programs can see those).

Example:
  printf '%s' "$SECRET" | patchbay credentials set livechat --client-id abc123 --client-secret-stdin

Options:
  --client-id <id>         The app's client ID (required)
  --client-secret-stdin    Read the client secret from standard input
  --json                   Print JSON instead of sentences
`,
  connect: `Usage: patchbay connect <provider> [--reconnect <connection>] [--api-key-stdin] [--device] [--no-open] [--timeout <s>] [--json]

Connect an account. For OAuth providers Patchbay opens the sign-in page in your browser and
waits for it to come back to http://127.0.0.1:<port>/callback on this computer. For API-key
providers the key is read from standard input, tested with the provider, and saved only if it
works.

With --device (and for providers whose "grant" is "device_code"), no browser is needed here:
Patchbay prints an address and a code; open the address on any device (a phone, another
computer), enter the code and allow access, and Patchbay finishes on its own. Use it over SSH.
Providers whose "grant" is "client_credentials" connect with your app's client ID and secret
(see "patchbay credentials set"): nobody signs in, and a new token is fetched when one expires.

With --reconnect, the new sign-in (or key) replaces that connection: same connection ID and
label, new tokens. Use it when "patchbay status" says a connection needs to be connected again.

Examples:
  patchbay connect sandbox
  patchbay connect sandbox --reconnect sandbox-3f9a1c2b
  patchbay connect sandbox --device
  printf '%s' "$KEY" | patchbay connect landbot --api-key-stdin

Options:
  --reconnect <connection>  Replace this connection (an ID, or the provider ID when it has one)
  --allow-same-account      Save even if you sign in as an account that is already connected
  --api-key-stdin    Read the API key from standard input (API-key providers)
  --device           Sign in with a code on another device (RFC 8628) instead of a browser here
  --no-open          Do not open a browser; only print the sign-in address
  --timeout <s>      Give up after this many seconds (default 600)
  --json             Print one JSON event per line: "authorize" (or "device_code"), then
                     "connected" or "error"
`,
  status: `Usage: patchbay status [--json]

Show every connection with its status (connected, expiring, expired, needs_reconnect, error),
when its access expires and when it was last tested. Reads the settings only, never the keychain.

Options:
  --json    Print a JSON array instead of sentences
`,
  test: `Usage: patchbay test <connection> [--json]

Call the provider's cheap "who am I" address with the saved credentials (refreshing an expired
token first) and report whether it works. <connection> is a connection ID from "patchbay status",
or a provider ID when you have exactly one connection to it. Exits with 1 when it does not work.

Options:
  --json    Print a JSON object instead of sentences
`,
  check: `Usage: patchbay check [<connection>...] [--concurrency <n>] [--json]

Test the given connections (every connection when none is given) the way "patchbay test" does,
refreshing a token first when it is due. At most <n> requests (default 4) go to one provider
host at a time; a provider that answers 429 is not asked again before its Retry-After time
(Patchbay waits up to a minute, otherwise reports "rate limited" with the time to try again),
and errors on the provider's side or the network are tried again with growing pauses.
<connection> is a connection ID, or a provider ID when you have exactly one connection to it.

One line per connection, the ones that need attention first. Exit codes: 0 every checked
connection works, 1 at least one needs attention (or could not be checked), 2 a wrong command
line, including a connection that does not exist (nothing is checked then).

Options:
  --concurrency <n>  Requests in flight per provider host, 1 to 64 (default 4)
  --json             Print a JSON array of {id, providerId, label, status, httpStatus,
                     latencyMs, checkedAt, error} instead of sentences
`,
  refresh: `Usage: patchbay refresh <connection> [--json]

Get a new access token now with the saved refresh token. <connection> is a connection ID, or a
provider ID when you have exactly one connection to it.

Options:
  --json    Print a JSON object instead of sentences
`,
  disconnect: `Usage: patchbay disconnect <connection> [--json]

Revoke the connection's access at the provider, then delete its secrets from your keychain and
forget it. <connection> is a connection ID, or a provider ID when you have exactly one
connection to it.

Options:
  --json    Print a JSON object instead of sentences
`,
  request: `Usage: patchbay request <connection> <path-or-url> [-X <method>] [-H 'Name: value']...
                        [-d <data> | -d @<file> | --data-stdin] [--include] [--json]

Call the provider's API with the connection's credentials. A path (/me, v2/users) is added to
the provider's API base ("apiBaseUrl", or the origin of its test URL). A full URL is accepted
only on the provider's own addresses: Patchbay refuses, before sending anything, to send the
credentials to any other host. The access token is refreshed first when it is due, and once
more (with one retry) if the provider answers 401. Redirects are not followed.

Without --json the response body is printed as the provider sent it (at most 1 MB; a note on
stderr says what was cut). Exit 0 on a 2xx answer, otherwise 1 with one sentence on stderr.
The call (method, URL without secrets, status, time) is added to the connection's trace.

Examples:
  patchbay request sandbox /me
  patchbay request acme /v2/items -X POST -d '{"name":"First"}'
  patchbay request acme /v2/items -d @item.json --include

Options:
  -X, --method <method>   HTTP method (default GET, or POST when a body is given)
  -H, --header <h>        Add a header "Name: value" (repeat for more); the credential
                          header is set by Patchbay and cannot be given
  -d, --data <data>       Request body; @file reads it from a file (JSON gets a JSON content type)
  --data-stdin            Read the request body from standard input
  -i, --include           Print the status line and response headers before the body
  --json                  Print {"status","headers","body","durationMs","refreshed","cut"}
`,
  token: `Usage: patchbay token <connection> [--json]

Print the connection's access token (refreshed first when it is due) or API key, and a newline,
and nothing else: for scripts, like "gh auth token". When the output is a terminal, a one-line
warning on stderr says the token is now on screen. Prefer "patchbay exec", which never shows it.

Example:
  curl -H "Authorization: Bearer $(patchbay token sandbox)" http://127.0.0.1:47615/me

Options:
  --json    Print {"token","apiBase","refreshed"}
`,
  exec: `Usage: patchbay exec <connection> [--env <NAME>] -- <command> [args...]

Run a command with the connection's access token (refreshed first when due) or API key in the
environment variable NAME (default PATCHBAY_TOKEN) and the provider's API base in
PATCHBAY_API_BASE. Nothing is printed or written to disk. The command uses this terminal's
input and output; Ctrl+C and other signals are passed on to it; its exit code is Patchbay's.

Example:
  patchbay exec sandbox -- sh -c 'curl -H "Authorization: Bearer $PATCHBAY_TOKEN" "$PATCHBAY_API_BASE/me"'

Options:
  --env <NAME>    The variable that holds the token (default PATCHBAY_TOKEN)
`,
  sandbox: `Usage: patchbay sandbox [--json]

Run the Patchbay Sandbox in the foreground: a practice OAuth 2.0 server on this computer
(http://127.0.0.1:47615, or PATCHBAY_SANDBOX_PORT). Patchbay starts it by itself when needed;
run it here to keep it up between commands or to watch it. Press Ctrl+C to stop it.
Access-token lifetime: PATCHBAY_SANDBOX_TOKEN_TTL seconds (default 3600).

Options:
  --json    Print {"event":"ready","issuer":"…"} when it is ready
`,
};
