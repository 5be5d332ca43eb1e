#!/usr/bin/env bash
# Run a command against a real Secret Service: a private D-Bus session with gnome-keyring,
# its "login" keyring created and unlocked from stdin. This is a throwaway keyring: it lives in a
# temporary folder that is deleted when the command ends, and every secret saved in it goes too.
set -euo pipefail
if [ "${PATCHBAY_IN_KEYRING:-}" = 1 ]; then exec "$@"; fi
tmp=$(mktemp -d /tmp/patchbay-keyring.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" PATCHBAY_IN_KEYRING=1
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
# Not exec: this shell stays to delete the folder, and passes on the command's exit status.
status=0
dbus-run-session -- bash -c '
  printf "%s" "patchbay-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' _ "$@" || status=$?
exit "$status"
