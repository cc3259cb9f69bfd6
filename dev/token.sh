#!/usr/bin/env bash
# `make token ROLE=finance`: prints a demo JWT signed with the configured HS256 secret.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
load_profile
[ -x "$PY" ] || "$REPO_ROOT/dev/setup.sh" --no-browser >&2
cd "$REPO_ROOT/sales-service"
exec "$PY" -m app.cli.token --role "${1:-sales}"
