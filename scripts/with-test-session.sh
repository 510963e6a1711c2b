#!/usr/bin/env bash
# Runs a command inside a private, headless desktop session, the way the tests need it:
#   - its own D-Bus session bus (dbus-run-session),
#   - fresh XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR in a temporary folder, so no
#     keyring, setting or socket of the person running it is touched,
#   - gnome-keyring unlocked for the Secret Service (the OS keyring the app stores secrets in),
#   - a private Xvfb display (1280x800, no TCP, cookie-protected) exported as DISPLAY,
#     with WEBKIT_DISABLE_DMABUF_RENDERER=1 for WebKitGTK under Xvfb (the end-to-end harness
#     lifts it for the app under test: see tests/e2e/harness/app.mjs).
# Everything is stopped and removed when the command ends; its exit status is returned.
#
# Usage: scripts/with-test-session.sh CMD [ARG...]
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

# Stage 1: start a D-Bus session bus and come back into this script inside it.
if [[ "${SSO_TEST_SESSION_BUS:-}" != started ]]; then
  command -v dbus-run-session >/dev/null || {
    echo "with-test-session: dbus-run-session is missing (run scripts/install-deps.sh)" >&2
    exit 2
  }
  SSO_TEST_SESSION_BUS=started exec dbus-run-session -- bash "$0" "$@"
fi
unset SSO_TEST_SESSION_BUS

# Stage 2: inside the bus.
session_dir="$(mktemp -d "${TMPDIR:-/tmp}/sso-test-session.XXXXXX")"
xvfb_pid=""
keyring_pid=""

# shellcheck disable=SC2317  # called by the EXIT trap
stop_session() {
  if [[ -n "$xvfb_pid" ]]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [[ -n "$keyring_pid" ]]; then
    kill "$keyring_pid" 2>/dev/null || true
  fi
  rm -rf "$session_dir"
}
trap stop_session EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$session_dir/data" "$session_dir/config" "$session_dir/runtime"
export XDG_DATA_HOME="$session_dir/data"
export XDG_CONFIG_HOME="$session_dir/config"
export XDG_RUNTIME_DIR="$session_dir/runtime"

# The Secret Service: a new login keyring with a throw-away password, created and unlocked.
# The daemon leaves with the session bus; older versions also print its pid, used to stop it.
eval "$(printf 'pw\n' | gnome-keyring-daemon --unlock --components=secrets)"
keyring_pid="${GNOME_KEYRING_PID:-}"

# A display: Xvfb picks a free number itself (-displayfd) and writes it once it accepts
# connections. It accepts only clients that show the cookie: the server reads every cookie of
# its -auth file at start, the display number of the entry does not matter to it; clients look
# the cookie up by display number, so the entry for the real number is added once it is known.
export XAUTHORITY="$session_dir/Xauthority"
cookie="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
touch "$XAUTHORITY"
xauth -q -f "$XAUTHORITY" add :0 . "$cookie"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -auth "$XAUTHORITY" \
  3>"$session_dir/display" >"$session_dir/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do
  [[ -s "$session_dir/display" ]] && break
  if ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "with-test-session: Xvfb did not start:" >&2
    cat "$session_dir/xvfb.log" >&2
    exit 2
  fi
  sleep 0.1
done
[[ -s "$session_dir/display" ]] || {
  echo "with-test-session: Xvfb gave no display number within 10 s" >&2
  exit 2
}
DISPLAY=":$(tr -d '[:space:]' <"$session_dir/display")"
export DISPLAY
xauth -q -f "$XAUTHORITY" add "$DISPLAY" . "$cookie"
export WEBKIT_DISABLE_DMABUF_RENDERER=1
# No accessibility bus in this session: GTK would otherwise warn on every start.
export NO_AT_BRIDGE=1

# Not exec: the traps above must run after the command to stop Xvfb and remove the folder.
status=0
"$@" || status=$?
exit "$status"
