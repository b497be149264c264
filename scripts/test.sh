#!/usr/bin/env bash
# Runs every check on a fresh machine: installs pnpm and the dependencies, makes sure PostgreSQL is up,
# then `pnpm test` (biome lint, TypeScript typecheck, vitest against the real PostgreSQL), then
# `pnpm test:faults` (scripts/faults.sh: the server under database outages and SIGTERM).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

PG_URL="${TEST_DATABASE_SERVER_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_CLUSTER="${PG_CLUSTER:-15 main}"

postgres_answers() { pg_isready -q -d "$PG_URL" >/dev/null 2>&1; }

ensure_postgres() {
  if ! command -v pg_isready >/dev/null 2>&1; then
    say "pg_isready not found: not checking PostgreSQL (the tests report it if $PG_URL is unreachable)"
    return
  fi
  postgres_answers && return
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    say "PostgreSQL is not answering at $PG_URL: starting cluster $PG_CLUSTER"
    # shellcheck disable=SC2086 # "15 main" is two arguments
    pg_ctlcluster --skip-systemctl-redirect $PG_CLUSTER start || say "pg_ctlcluster failed (see above)"
  fi
  for _ in $(seq 1 30); do
    postgres_answers && return
    sleep 1
  done
  die "PostgreSQL is unreachable at $PG_URL. Start it (e.g. pg_ctlcluster --skip-systemctl-redirect 15 main start) or point TEST_DATABASE_SERVER_URL at a server the tests may create databases on."
}

ensure_pnpm
install_dependencies
ensure_postgres
say "Running pnpm test (lint, typecheck, tests)"
cd "$REPO_ROOT"
pnpm test
say "Running pnpm test:faults (database outage and SIGTERM under load)"
exec pnpm test:faults
