#!/usr/bin/env bash
# Starts the server on a fresh machine: installs pnpm and the dependencies, builds the server into
# apps/server/dist (plain JavaScript: no TypeScript to compile at each start) and the web console into
# apps/web/dist, then serves both on
# http://127.0.0.1:3000 with the embedded database in .data/pglite (set DATABASE_URL for PostgreSQL).
# Every variable of the README's configuration table applies, e.g. PORT=8080 scripts/start.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_pnpm
install_dependencies
cd "$REPO_ROOT/apps/web"
say "Building the web console (apps/web/dist, served at /)"
pnpm run build >&2 || die "the web console's build failed (see above)."
cd "$REPO_ROOT/apps/server"
say "Building the server (apps/server/dist)"
# To stderr: stdout is reserved for the server's JSON log.
pnpm run build >&2 || die "the build failed (see above)."
say "Starting the server (Ctrl-C or SIGTERM stops it gracefully)"
# exec, and node itself rather than `pnpm start`: signals then reach the server, which drains and
# exits 0 (pnpm does not forward SIGTERM to its child).
exec node dist/main.js
