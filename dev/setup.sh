#!/usr/bin/env bash
# Installs whatever is missing for `make run` and `make test`; safe to re-run, quick when done.
#   dev/setup.sh            everything
#   dev/setup.sh --no-browser  skip Chromium and the browser-test npm packages
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WANT_BROWSER=1
[ "${1:-}" = "--no-browser" ] && WANT_BROWSER=0

apt_install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_apt() {
  local pkgs=(redis-server nginx gettext-base curl)
  [ "$WANT_BROWSER" = 1 ] && pkgs+=(chromium fonts-dejavu-core)
  apt_install_missing "${pkgs[@]}"
}

# The venv is rebuilt only when a requirements file changes (hash stamp).
setup_venv() {
  local reqs=("$REPO_ROOT/sales-service/requirements-dev.txt" "$REPO_ROOT/sales-service/requirements.txt")
  [ -f "$REPO_ROOT/stripe-emulator/requirements.txt" ] && reqs+=("$REPO_ROOT/stripe-emulator/requirements.txt")
  local stamp="$VENV/.requirements.sha" want
  want="$(cat "${reqs[@]}" | sha256sum | cut -d' ' -f1)"
  if [ -x "$PY" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  log "preparing the Python venv"
  [ -x "$PY" ] || python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
  local args=(-r "$REPO_ROOT/sales-service/requirements-dev.txt")
  [ -f "$REPO_ROOT/stripe-emulator/requirements.txt" ] && args+=(-r "$REPO_ROOT/stripe-emulator/requirements.txt")
  "$VENV/bin/pip" install -q --disable-pip-version-check "${args[@]}"
  echo "$want" > "$stamp"
}

# SecantusDB, the local MongoDB-compatible server, gets a venv of its own so its pins never
# meet the service's and it stays a separate process (it is GPL-2.0 and dev-only).
setup_localdb() {
  local req="$REPO_ROOT/dev/localdb/requirements.txt" stamp="$LOCALDB_VENV/.requirements.sha" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$LOCALDB_BIN" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  log "preparing the local MongoDB server (SecantusDB)"
  [ -x "$LOCALDB_VENV/bin/python" ] || python3.11 -m venv "$LOCALDB_VENV" 2>/dev/null || python3 -m venv "$LOCALDB_VENV"
  "$LOCALDB_VENV/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
}

setup_go() {
  mkdir -p "$BIN_DIR"
  if [ ! -x "$BIN_DIR/stripe-mock" ]; then
    log "installing stripe-mock v0.197.0"
    GOBIN="$BIN_DIR" go install github.com/stripe/stripe-mock@v0.197.0
  fi
}

# Install from package-lock.json when it changed. Not `npm ci`: the registry reachable here
# does not serve other platforms' optional packages (e.g. rollup's android builds), so a lock
# written here cannot list them and `npm ci` refuses it; `npm install --no-save` installs the
# locked versions and leaves the lock as it is.
setup_npm_dir() {
  local dir="$1"
  [ -f "$dir/package-lock.json" ] || return 0
  local stamp="$dir/node_modules/.lock.sha" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  log "npm install in ${dir#"$REPO_ROOT"/}"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

# The gateway serves erp-frontend/dist: rebuild it when any tracked source changed.
build_frontend() {
  local dir="$REPO_ROOT/erp-frontend"
  [ -f "$dir/package.json" ] || return 0
  local stamp="$dir/dist/.sources.sha" want
  want="$(cd "$dir" && find . -path ./node_modules -prune -o -path ./dist -prune -o -path ./e2e-artifacts -prune \
    -o -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  log "building erp-frontend"
  (cd "$dir" && npm run --silent build) || die "erp-frontend build failed"
  echo "$want" > "$stamp"
}

setup_apt
setup_venv
setup_localdb
setup_go
if [ "$WANT_BROWSER" = 1 ]; then
  setup_npm_dir "$REPO_ROOT/stripe-emulator/browser-tests"
fi
setup_npm_dir "$REPO_ROOT/erp-frontend"
build_frontend
