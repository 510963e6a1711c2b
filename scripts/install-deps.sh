#!/usr/bin/env bash
# Installs what building, running and testing SSO Console needs, and only what is missing:
# system packages (Debian/Ubuntu), the Rust tools (rustfmt, clippy, cargo-nextest, tauri-driver,
# the Tauri CLI that builds the packages),
# the Node packages of ui/, tests/e2e/ and tests/support/ (the test peers), and the SCIM server
# the tests run against. Safe to run again: a second run changes nothing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/apt.sh
source "$repo_root/scripts/lib/apt.sh"
# shellcheck source=scripts/lib/cargo-env.sh
source "$repo_root/scripts/lib/cargo-env.sh"

say() { printf 'install-deps: %s\n' "$*"; }
fail() {
  printf 'install-deps: %s\n' "$*" >&2
  exit 1
}

# Tauri 2 on Linux (DESIGN §8.1), the headless test session (Xvfb, D-Bus, the Secret Service),
# the WebKit WebDriver for the end-to-end tests, Chromium for the test sign-in, ImageMagick
# for screenshots of the whole screen, and rpm to read the .rpm package that scripts/package.sh
# builds.
system_packages=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libxdo-dev libssl-dev pkg-config build-essential file
  xvfb xauth webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools
  chromium imagemagick rpm
)

install_system_packages() {
  if [[ "$(uname -s)" != Linux ]]; then
    say "not Linux: skipping system packages (see README.md for macOS and Windows)"
    return
  fi
  apt_ensure "${system_packages[@]}"
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_ensure nodejs npm
  fi
  say "system packages ok"
}

check_node() {
  command -v node >/dev/null || fail "Node.js is missing: install Node.js 20 or newer"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if ((major < 20)); then
    fail "Node.js $(node --version) is too old: install Node.js 20 or newer"
  fi
  say "node $(node --version) ok"
}

check_rust() {
  command -v cargo >/dev/null ||
    fail "Rust is missing: install rustup; it installs the toolchain rust-toolchain.toml pins"
  local component
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      command -v rustup >/dev/null || fail "cargo $component is missing and there is no rustup"
      say "rustup: adding $component"
      rustup component add "$component"
    fi
  done
  say "$(cargo --version) with rustfmt and clippy ok"
}

# cargo-nextest runs the Rust tests (scripts/test-all.sh falls back to `cargo test` without it).
install_nextest() {
  if cargo nextest --version >/dev/null 2>&1; then
    say "cargo-nextest ok"
    return
  fi
  say "cargo install cargo-nextest (a few minutes, once)"
  cargo install cargo-nextest --locked --version 0.9.143
}

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests (Linux and Windows).
install_tauri_driver() {
  if [[ "$(uname -s)" != Linux ]]; then
    return
  fi
  if command -v tauri-driver >/dev/null; then
    say "tauri-driver ok"
    return
  fi
  say "cargo install tauri-driver (a few minutes, once)"
  cargo install tauri-driver --locked --version 2.1.0
}

# The Tauri CLI (`cargo tauri`) builds the packages (scripts/package.sh), at this version.
tauri_cli_version="2.11.5"
install_tauri_cli() {
  if [[ "$(cargo tauri --version 2>/dev/null)" == "tauri-cli $tauri_cli_version" ]]; then
    say "tauri-cli $tauri_cli_version ok"
    return
  fi
  say "cargo install tauri-cli $tauri_cli_version (several minutes, once)"
  cargo install tauri-cli --locked --version "$tauri_cli_version"
}

# `npm ci` in a folder when its node_modules is missing or older than its package-lock.json.
install_node_modules() {
  local dir="$1"
  local rel="${dir#"$repo_root"/}"
  if [[ ! -f "$dir/package.json" ]]; then
    say "$rel: no package.json yet, skipped"
    return
  fi
  [[ -f "$dir/package-lock.json" ]] ||
    fail "$rel/package-lock.json is missing: run \`npm install\` there and commit the lock file"
  local stamp="$dir/node_modules/.sso-console-npm-ci"
  if [[ -f "$stamp" && ! "$dir/package-lock.json" -nt "$stamp" ]]; then
    say "$rel: node modules ok"
    return
  fi
  say "$rel: npm ci"
  # npm ci installs exactly what the committed lock file lists, and never writes it: a lock file
  # that does not match package.json, or lacks a platform's optional package, stops here with
  # npm's own message (regenerate it with `npm install --package-lock-only` and commit it).
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    fail "$rel: npm ci failed (see npm's message above)"
  # npm leaves no node_modules at all when there is nothing to install: make the stamp's folder.
  mkdir -p "$dir/node_modules"
  touch "$stamp"
}

install_system_packages
check_node
check_rust
install_nextest
install_tauri_driver
install_tauri_cli
install_node_modules "$repo_root/ui"
install_node_modules "$repo_root/tests/e2e"
install_node_modules "$repo_root/tests/support"
# The real SCIM server of the integration tests (a Python virtual environment of its own).
bash "$repo_root/scripts/install-python-peers.sh"
say "done"
