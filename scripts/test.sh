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

REDIS_HOST_PORT="${TEST_REDIS_HOST_PORT:-127.0.0.1:6379}"

redis_answers() {
  # A PING over bash's /dev/tcp: no redis-cli needed to tell whether Redis is up.
  exec 3<>"/dev/tcp/${REDIS_HOST_PORT%:*}/${REDIS_HOST_PORT##*:}" 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

# The shared per-user limit is tested against a real Redis (the tests read TEST_REDIS_URL).
ensure_redis() {
  redis_answers && return
  if command -v redis-server >/dev/null 2>&1; then
    say "Redis is not answering at $REDIS_HOST_PORT: starting redis-server"
    redis-server --daemonize yes --bind 127.0.0.1 --port "${REDIS_HOST_PORT##*:}" --save "" --appendonly no \
      --dir /tmp --logfile /tmp/tickets-test-redis.log || say "redis-server failed (see above)"
  fi
  for _ in $(seq 1 20); do
    redis_answers && return
    sleep 0.5
  done
  die "Redis is unreachable at $REDIS_HOST_PORT. Start it (redis-server) or point TEST_REDIS_HOST_PORT at one."
}

# Debian packages the tests drive as real peers (PgBouncer: two instances through a transaction pooler).
ensure_debian_packages() {
  local missing=()
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install it"
  say "Installing ${missing[*]} (apt-get)"
  # The package's own service is not needed: each test starts the binary with a configuration of its own.
  { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }; } >&2 ||
    die "could not install ${missing[*]} with apt-get."
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
ensure_debian_packages
ensure_postgres
ensure_redis
export PATH="$PATH:/usr/sbin"
export TEST_REDIS_URL="redis://$REDIS_HOST_PORT"
ensure_chromium
say "Running pnpm test (lint, typecheck, tests)"
cd "$REPO_ROOT"
pnpm test
say "Running pnpm test:faults (database outage and SIGTERM under load)"
pnpm test:faults
say "Running the runtime-sensitive tests on Node.js 22 and 24 (scripts/other-nodes.sh)"
exec bash scripts/other-nodes.sh 22 24
