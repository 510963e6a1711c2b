#!/usr/bin/env bash
# The whole check, the same locally and in CI (.ci/run): set-up, formatting, lints, the UI's
# checks and tests, the Rust tests in a headless desktop session (Secret Service, Xvfb), the
# packages built and the .deb installed on this machine (with sudo when not root), the
# end-to-end tests against the installed release app, and a work tree left exactly as committed.
# Stops at the first failure and exits non-zero.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/cargo-env.sh
source "$repo_root/scripts/lib/cargo-env.sh"

session=(bash "$repo_root/scripts/with-test-session.sh")
# What the package installs (src-tauri/tauri.conf.json: mainBinaryName, externalBin).
installed_app=/usr/bin/sso-console
installed_ssoctl=/usr/bin/ssoctl

current_step=""
step_started=$SECONDS
run_started=$SECONDS

report_failure() {
  local status=$?
  if ((status != 0)) && [[ -n "$current_step" ]]; then
    printf '\n=== FAILED: %s (after %ss, exit status %s)\n' \
      "$current_step" "$((SECONDS - step_started))" "$status" >&2
  fi
}
trap report_failure EXIT

# Runs one step under a banner that gives its name and, at the end, how long it took.
step() {
  current_step="$1"
  shift
  step_started=$SECONDS
  printf '\n=== %s\n' "$current_step"
  "$@"
  printf '=== ok: %s (%ss)\n' "$current_step" "$((SECONDS - step_started))"
  current_step=""
}

in_ui() { (cd "$repo_root/ui" && "$@"); }

rust_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    "${session[@]}" cargo nextest run --workspace --locked
    # nextest does not run doc tests.
    "${session[@]}" cargo test --workspace --doc --locked
  else
    "${session[@]}" cargo test --workspace --locked
  fi
}

# The .deb of scripts/package.sh, installed as a user would (apt pulls in its dependencies).
install_package() {
  local debs
  mapfile -t debs < <(find "$CARGO_TARGET_DIR/release/bundle/deb" -maxdepth 1 -name '*.deb')
  ((${#debs[@]} == 1)) || {
    echo "expected one .deb from scripts/package.sh, found ${#debs[@]}" >&2
    return 1
  }
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  local started=$SECONDS
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq -o Dpkg::Use-Pty=0 --reinstall "${debs[0]}" </dev/null
  echo "installed ${debs[0]##*/} ($(du -h "${debs[0]}" | cut -f1)) in $((SECONDS - started)) s"
}

e2e_tests() {
  SSO_CONSOLE_APP_BIN="$installed_app" SSO_CONSOLE_SSOCTL_BIN="$installed_ssoctl" \
    "${session[@]}" node --test --test-concurrency=1 tests/e2e/*.test.mjs
}

# Nothing a step wrote may differ from the commit: lock files, the bindings ts-rs writes while
# `cargo test` runs, the permission files the Tauri build writes, formatted sources.
work_tree_clean() {
  local drift
  drift="$(git status --porcelain)"
  if [[ -n "$drift" ]]; then
    printf '%s\n' "$drift"
    echo "the run changed or added the files above: a step rewrote a committed file (or" \
      "generated one that is not committed); commit what the build generates, or fix the step" >&2
    return 1
  fi
}

step "install dependencies" bash scripts/install-deps.sh
step "cargo fmt --check" cargo fmt --all --check
step "ui: lint" in_ui npm run lint
step "ui: type check" in_ui npm run check
step "ui: unit tests" in_ui npm run test
step "ui: build" in_ui npm run build
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "rust tests" rust_tests
step "build the packages" bash scripts/package.sh
step "install the .deb" install_package
step "check the installed package" python3 tests/package/check_installed.py \
  "$CARGO_TARGET_DIR/release/bundle"
step "end-to-end tests (installed app)" e2e_tests
step "work tree clean" work_tree_clean

printf '\n=== all checks passed in %ss\n' "$((SECONDS - run_started))"
