#!/usr/bin/env bash
# Installs the real peers from PyPI the integration tests run against (DESIGN §8), each in its
# own Python virtual environment under ${SSO_CONSOLE_CACHE:-$HOME/.cache/sso-console}:
#   scim-venv          scim2-server, a SCIM 2.0 server (tests/support/python/scim2-server.txt);
#                      the tests find `scim2-server` there, or where SSO_SCIM_SERVER_BIN points.
#   django-peer-venv   django-oauth-toolkit (an OpenID provider) and django-scim2-server (a
#                      second SCIM 2.0 server), served by tests/support/django-peer.py
#                      (tests/support/python/django-peer.txt); or where SSO_DJANGO_PEER_PYTHON
#                      points.
# Each list pins every package, dependencies included, and is installed with --no-deps, so
# what runs is exactly what is committed. Safe to run again: an environment that already holds
# its list (by checksum) is left as it is.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${SSO_CONSOLE_CACHE:-$HOME/.cache/sso-console}"

say() { printf 'install-python-peers: %s\n' "$*"; }
fail() {
  printf 'install-python-peers: %s\n' "$*" >&2
  exit 1
}

command -v python3 >/dev/null || fail "python3 is missing: install Python 3.10 or newer"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if command -v apt-get >/dev/null; then
    # shellcheck source=scripts/lib/apt.sh
    source "$repo_root/scripts/lib/apt.sh"
    apt_ensure python3-venv
  else
    fail "python3 cannot create virtual environments: install its venv module"
  fi
fi

# install VENV_NAME REQUIREMENTS CHECK_COMMAND...
install() {
  local venv="$cache_dir/$1" requirements="$2"
  shift 2
  local sum
  sum="$(sha256sum "$requirements" | cut -c1-16)"
  local stamp="$venv/.sso-console-$sum"
  if [[ -f "$stamp" ]] && "$venv/bin/python" "$@" >/dev/null 2>&1; then
    say "$(basename "$requirements") ok ($venv)"
    return
  fi
  mkdir -p "$cache_dir"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  say "pip install -r $(basename "$requirements") into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null ||
    fail "$(basename "$requirements") is incomplete: $("$venv/bin/python" -m pip check 2>&1 | head -n 3)"
  "$venv/bin/python" "$@" >/dev/null || fail "pip finished but $venv does not run: $*"
  rm -f "$venv"/.sso-console-*
  touch "$stamp"
  say "$(basename "$requirements") installed ($venv)"
}

install scim-venv "$repo_root/tests/support/python/scim2-server.txt" -c 'import scim2_server'
install django-peer-venv "$repo_root/tests/support/python/django-peer.txt" \
  -c 'import oauth2_provider, django_scim2_server'
