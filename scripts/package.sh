#!/usr/bin/env bash
# Builds the installable packages of SSO Console with the Tauri CLI: on Linux a .deb and an
# .rpm, on macOS the .app and a .dmg, on Windows an NSIS installer and an MSI. Each holds the
# release app and `ssoctl` (on Linux both in /usr/bin), with the metadata, icons, desktop entry
# and runtime dependencies of src-tauri/tauri.conf.json. AppImage is not built: its tools are
# downloaded at build time, which this project's build machines cannot do.
#
# Usage: scripts/package.sh            (after scripts/install-deps.sh, which installs the CLI)
# Prints the path and size of each package; they are under $CARGO_TARGET_DIR/release/bundle/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/cargo-env.sh
source "$repo_root/scripts/lib/cargo-env.sh"

say() { printf 'package: %s\n' "$*"; }

cargo tauri --version >/dev/null 2>&1 ||
  { echo "package: the Tauri CLI is missing: run scripts/install-deps.sh" >&2; exit 1; }

case "$(uname -s)" in
  Linux) bundles=deb,rpm ;;
  Darwin) bundles=app,dmg ;;
  *) bundles=nsis,msi ;;
esac

say "building the UI"
(cd ui && npm run build --silent)

# ssoctl goes into the package as an external binary, which the bundler looks for under its
# name with the target triple appended.
say "building ssoctl (release)"
cargo build --release --locked -p sso-console --bin ssoctl
triple="$(rustc -vV | sed -n 's/^host: //p')"
exe=""
[[ "$triple" == *windows* ]] && exe=".exe"
stage="$CARGO_TARGET_DIR/package-stage"
rm -rf "$stage" "$CARGO_TARGET_DIR/release/bundle"
mkdir -p "$stage"
cp "$CARGO_TARGET_DIR/release/ssoctl$exe" "$stage/ssoctl-$triple$exe"

# The path goes into JSON: on Windows (Git Bash) with forward slashes, which need no escaping.
stage_path="$stage"
command -v cygpath >/dev/null && stage_path="$(cygpath -m "$stage")"

say "building the app and its packages ($bundles)"
cargo tauri build --bundles "$bundles" \
  --config "{\"bundle\":{\"externalBin\":[\"$stage_path/ssoctl\"]}}" \
  --features custom-protocol -- --locked

# The bundler names the files after the product ("SSO Console_0.1.0_amd64.deb"); the usual
# names, without a space, are the package's: sso-console_0.1.0_amd64.deb,
# sso-console-0.1.0-1.x86_64.rpm.
bundle_dir="$CARGO_TARGET_DIR/release/bundle"
for file in "$bundle_dir"/deb/*.deb "$bundle_dir"/rpm/*.rpm; do
  [[ -f "$file" ]] || continue
  name="${file##*/}"
  [[ "$name" == "SSO Console"* ]] && mv "$file" "${file%/*}/sso-console${name#SSO Console}"
done
found=0
while IFS= read -r -d '' file; do
  found=1
  say "$(du -h "$file" | cut -f1)	$file"
done < <(find "$bundle_dir" -maxdepth 2 -type f \
  \( -name '*.deb' -o -name '*.rpm' -o -name '*.dmg' -o -name '*.msi' -o -name '*.exe' \) -print0)
((found)) || { echo "package: the bundler produced no package under $bundle_dir" >&2; exit 1; }
