#!/usr/bin/env bash
# Creates a superadmin from the command line (for scripts and automation; a person on a new installation
# uses the one-time setup link the server prints). Needs only Node.js: installs pnpm and the dependencies
# like start.sh, builds the server bundle only when it is missing or older than the sources, then runs
# it with node. Works while the server runs on PostgreSQL (DATABASE_URL); on the embedded database the
# server holds, it says so in one line.
#   SUPERADMIN_PASSWORD='a long password' scripts/create-superadmin.sh --email ada@example.com --name "Ada Lovelace"
#   printf %s "$PW" | scripts/create-superadmin.sh --email … --name …
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

bundle="$REPO_ROOT/apps/server/dist/create-superadmin.js"
if [ ! -d "$REPO_ROOT/node_modules" ]; then
  ensure_pnpm
  install_dependencies
fi
if [ ! -f "$bundle" ] || [ -n "$(find "$REPO_ROOT/apps/server/src" "$REPO_ROOT/packages/core/src" "$REPO_ROOT/packages/db/src" \
  "$REPO_ROOT/packages/api/src" -name '*.ts' -newer "$bundle" -print -quit)" ]; then
  ensure_pnpm
  say "Building the server (apps/server/dist)"
  (cd "$REPO_ROOT/apps/server" && pnpm run build >&2) || die "the build failed (see above)."
fi
exec node "$bundle" "$@"
