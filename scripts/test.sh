#!/usr/bin/env bash
# Runs every check on a fresh machine: installs pnpm and the dependencies, makes sure PostgreSQL is up and
# Chromium is installed (the web console's browser tests), then `pnpm test` (biome lint, TypeScript
# typecheck, vitest against the real PostgreSQL, the console in Chromium), then `pnpm test:faults`
# (scripts/faults.sh: the server under database outages and SIGTERM).
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

# The web console's browser tests drive Debian's Chromium (playwright-core, no downloaded browser).
ensure_chromium() {
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return
  command -v apt-get >/dev/null 2>&1 || die "$chromium is missing and apt-get is not available: install Chromium (the browser tests need it) or set CHROMIUM_PATH."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "Installing Chromium for the browser tests (apt-get install chromium)"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium; then
    say "apt-get install failed: updating the package lists and trying again"
    $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium ||
      die "could not install Chromium (see above); the browser tests need it at $chromium."
  fi
  [ -x "$chromium" ] || die "Chromium was installed but $chromium is still missing; set CHROMIUM_PATH to its binary."
}

ensure_pnpm
install_dependencies
ensure_postgres
ensure_chromium
say "Running pnpm test (lint, typecheck, tests)"
cd "$REPO_ROOT"
pnpm test
say "Running pnpm test:faults (database outage and SIGTERM under load)"
exec pnpm test:faults
