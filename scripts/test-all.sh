#!/usr/bin/env bash
# The whole check, the same locally and in CI (.ci/run): set-up, formatting, lints, the UI's
# checks and tests, the Rust tests in a headless desktop session (Secret Service, Xvfb), the
# end-to-end tests against the built app, and the generated TypeScript bindings being committed.
# Stops at the first failure and exits non-zero.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/cargo-env.sh
source "$repo_root/scripts/lib/cargo-env.sh"

session=(bash "$repo_root/scripts/with-test-session.sh")
app_binary="$CARGO_TARGET_DIR/debug/sso-console-app"

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
    "${session[@]}" cargo nextest run --workspace
    # nextest does not run doc tests.
    "${session[@]}" cargo test --workspace --doc
  else
    "${session[@]}" cargo test --workspace
  fi
}

e2e_tests() {
  SSO_CONSOLE_APP_BIN="$app_binary" "${session[@]}" \
    node --test --test-concurrency=1 tests/e2e/*.test.mjs
}

# ts-rs writes the bindings while `cargo test` runs: what it wrote must be what is committed.
bindings_committed() {
  local drift
  drift="$(git status --porcelain -- ui/src/lib/bindings)"
  if [[ -n "$drift" ]]; then
    printf '%s\n' "$drift"
    echo "ui/src/lib/bindings differs from the commit: the Rust types changed; commit the" \
      "regenerated bindings (cargo test writes them)" >&2
    return 1
  fi
}

step "install dependencies" bash scripts/install-deps.sh
step "cargo fmt --check" cargo fmt --all --check
step "ui: lint" in_ui npm run lint
step "ui: type check" in_ui npm run check
step "ui: unit tests" in_ui npm run test
step "ui: build" in_ui npm run build
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step "rust tests" rust_tests
step "build the app" cargo build -p sso-console-app --features custom-protocol
step "end-to-end tests" e2e_tests
step "bindings committed" bindings_committed

printf '\n=== all checks passed in %ss\n' "$((SECONDS - run_started))"
