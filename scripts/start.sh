#!/usr/bin/env bash
# Starts the server on a fresh machine: installs pnpm and the dependencies, then serves on
# http://127.0.0.1:3000 with the embedded database in .data/pglite (set DATABASE_URL for PostgreSQL).
# Every variable of the README's configuration table applies, e.g. PORT=8080 scripts/start.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ensure_pnpm
install_dependencies
say "Starting the server (Ctrl-C or SIGTERM stops it gracefully)"
cd "$REPO_ROOT/apps/server"
# exec, and node itself rather than `pnpm start`: signals then reach the server, which drains and
# exits 0 (pnpm does not forward SIGTERM to its child).
exec node --import tsx src/main.ts
