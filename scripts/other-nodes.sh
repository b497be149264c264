#!/usr/bin/env bash
# Runs a cross-section of the tests on the other supported Node.js majors (22 and 24; the main run uses
# the machine's node, 20.19+). Each major's official binary comes from the npm registry's
# node-<platform>-<arch> package, installed once into a cache folder: nothing is installed system-wide.
# Usage: scripts/other-nodes.sh [major ...]   (default: 22 24)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$REPO_ROOT"

# What differs between Node majors for us: the database drivers (pg, PGlite's WebAssembly), argon2's
# native binding, streams and fetch (uploads, SSE), the built server bundle, and the SDK in a consumer.
SUBSET=(
  packages/core/src/auth
  packages/core/src/attachments
  packages/api/src/security
  packages/api/src/procedures/tickets
  apps/server/src/routes/attachments.test.ts
  apps/server/src/notifications/live-delivery.test.ts
  apps/server/src/main.smoke.test.ts
)

node_binary() {
  local major="$1" package="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
  local prefix="${XDG_CACHE_HOME:-$HOME/.cache}/tickets-platform/$package-$major"
  local binary="$prefix/node_modules/$package/bin/node"
  if [ ! -x "$binary" ]; then
    say "Installing Node.js $major ($package@$major from the npm registry) into $prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
      "$package@$major" >&2 || die "could not install $package@$major"
  fi
  printf '%s\n' "$binary"
}

for major in "${@:-22 24}"; do
  for one in $major; do
    binary="$(node_binary "$one")"
    say "Tests on Node.js $("$binary" --version): ${SUBSET[*]}"
    # The binary's folder first on PATH: vitest, its workers and every process a test spawns run on it.
    PATH="$(dirname "$binary"):$PATH" "$binary" node_modules/vitest/vitest.mjs run "${SUBSET[@]}"
  done
done
