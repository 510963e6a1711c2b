#!/usr/bin/env bash
# Installs what is missing, builds the UI and starts the SSO Console desktop app.
# Arguments are passed to the app. SSO_CONSOLE_DATA_DIR, when set, is where it keeps its data.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
# shellcheck source=scripts/lib/cargo-env.sh
source "$repo_root/scripts/lib/cargo-env.sh"

bash scripts/install-deps.sh
echo "run-app: building the UI"
(cd ui && npm run build)
echo "run-app: building and starting the app"
exec cargo run --locked -p sso-console-app --features custom-protocol -- "$@"
