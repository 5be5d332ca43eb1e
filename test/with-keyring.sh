#!/usr/bin/env bash
# Run a command against a real Secret Service: a private D-Bus session with gnome-keyring,
# its "login" keyring created and unlocked from stdin. Keyrings live in a throwaway folder.
set -euo pipefail
if [ "${PATCHBAY_IN_KEYRING:-}" = 1 ]; then exec "$@"; fi
tmp=$(mktemp -d /tmp/patchbay-keyring.XXXXXX)
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" PATCHBAY_IN_KEYRING=1
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  printf "%s" "patchbay-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' _ "$@"
