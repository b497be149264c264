# Sourced by start.sh and test.sh: makes a fresh machine (Node.js only) ready to run the project.

PNPM_VERSION=10.34.9
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mError: %s\033[0m\n' "$*" >&2; exit 1; }

require_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.19 or newer is required (https://nodejs.org)."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js 20.19 or newer is required; found $(node --version)."
  command -v npm >/dev/null 2>&1 || die "npm is required to install pnpm (it ships with Node.js)."
}

# The exact pnpm the lockfile was written with. An existing pnpm of another version is left alone:
# ours goes into a cache folder put first on PATH (pnpm 11 needs Node 22; corepack needs keys here).
ensure_pnpm() {
  require_node
  local found
  found="$(COREPACK_ENABLE_DOWNLOAD_PROMPT=0 pnpm --version 2>/dev/null || true)"
  if [ "$found" = "$PNPM_VERSION" ]; then return; fi
  local prefix="${XDG_CACHE_HOME:-$HOME/.cache}/tickets-platform/pnpm-$PNPM_VERSION"
  if [ ! -x "$prefix/node_modules/.bin/pnpm" ]; then
    say "Installing pnpm $PNPM_VERSION with npm into $prefix${found:+ (found pnpm $found)}"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2 ||
      die "could not install pnpm $PNPM_VERSION with npm."
  fi
  export PATH="$prefix/node_modules/.bin:$PATH"
  [ "$(pnpm --version)" = "$PNPM_VERSION" ] || die "pnpm $PNPM_VERSION is not the one on PATH after installing it."
}

install_dependencies() {
  say "Installing dependencies (pnpm install --frozen-lockfile)"
  # To stderr, like every line of these scripts: stdout is the server's JSON log.
  (cd "$REPO_ROOT" && pnpm install --frozen-lockfile --config.confirmModulesPurge=false >&2) ||
    die "pnpm install failed (see above)."
}
