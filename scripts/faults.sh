#!/usr/bin/env bash
# The fault tests (pnpm test:faults): the real server process while every backend of its test database
# is terminated under load, and while it drains after SIGTERM under load. They only ever cut connections
# to the run's own database: the PostgreSQL server, shared with other runs, is never restarted.
# Bounded in time (FAULTS_TIMEOUT_SECONDS, default 300) so a hang fails CI instead of stalling it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec timeout --kill-after=10 "${FAULTS_TIMEOUT_SECONDS:-300}" \
  node_modules/.bin/vitest run --config vitest.faults.config.ts "$@"
