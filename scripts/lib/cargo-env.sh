# shellcheck shell=bash
# The Cargo environment every script shares: the target directory lives outside the clone
# (so a fresh clone reuses earlier builds) and tools installed by `cargo install` are on PATH.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sso-console/target}"
case ":$PATH:" in
  *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
  *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac
