# shellcheck shell=bash
# Debian/Ubuntu system packages: find the ones not installed yet and install only those.
# Sourced by install-deps.sh and make-icons.sh.

# Prints, one per line, the packages of the arguments that are not installed.
apt_missing() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Installs the packages of the arguments that are missing (with sudo when not root).
# `apt-get update` runs only when something has to be installed.
apt_ensure() {
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    echo "no apt here: make sure these are installed with your package manager: $*" >&2
    return 0
  fi
  local missing
  mapfile -t missing < <(apt_missing "$@")
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  echo "apt: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}" </dev/null
}
