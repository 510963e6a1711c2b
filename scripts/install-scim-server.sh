#!/usr/bin/env bash
# Installs the real SCIM 2.0 server the SCIM integration tests run against (DESIGN §8):
# PyPI's scim2-server, pinned, in its own Python virtual environment under the cache folder
#   ${SSO_CONSOLE_CACHE:-$HOME/.cache/sso-console}/scim-venv
# The tests find its `scim2-server` there (or where SSO_SCIM_SERVER_BIN points).
# Safe to run again: when the pinned version is already installed, nothing changes.
set -euo pipefail

scim_server_version="0.8.3"

cache_dir="${SSO_CONSOLE_CACHE:-$HOME/.cache/sso-console}"
venv="$cache_dir/scim-venv"
stamp="$venv/.sso-console-scim2-server-$scim_server_version"

say() { printf 'install-scim-server: %s\n' "$*"; }
fail() {
  printf 'install-scim-server: %s\n' "$*" >&2
  exit 1
}

if [[ -f "$stamp" && -x "$venv/bin/scim2-server" ]]; then
  say "scim2-server $scim_server_version ok ($venv/bin/scim2-server)"
  exit 0
fi

command -v python3 >/dev/null || fail "python3 is missing: install Python 3.10 or newer"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if command -v apt-get >/dev/null; then
    repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    # shellcheck source=scripts/lib/apt.sh
    source "$repo_root/scripts/lib/apt.sh"
    apt_ensure python3-venv
  else
    fail "python3 cannot create virtual environments: install its venv module"
  fi
fi

mkdir -p "$cache_dir"
if [[ ! -x "$venv/bin/python" ]]; then
  say "creating $venv"
  python3 -m venv "$venv"
fi
say "pip install scim2-server==$scim_server_version"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "scim2-server==$scim_server_version"
[[ -x "$venv/bin/scim2-server" ]] || fail "pip finished but $venv/bin/scim2-server is missing"
rm -f "$venv"/.sso-console-scim2-server-*
touch "$stamp"
say "scim2-server $scim_server_version installed ($venv/bin/scim2-server)"
