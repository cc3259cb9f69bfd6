#!/usr/bin/env bash
# `make run`: set up, start the whole local stack, print where things are, stay in the
# foreground until Ctrl-C (restarting a crashed sales-service), then stop what this run started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/supervise.sh"
"$REPO_ROOT/dev/setup.sh" --no-browser
load_profile

services=(mongo redis emulator sales gateway)
started=()
tail_pid=""
for s in "${services[@]}"; do is_running "$s" || started+=("$s"); done

cleanup() {
  trap - INT TERM EXIT
  [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
  [ ${#started[@]} -gt 0 ] && "$REPO_ROOT/dev/services.sh" stop "${started[@]}"
  exit 0
}
trap cleanup INT TERM EXIT

"$REPO_ROOT/dev/services.sh" start "${services[@]}"

gw="http://127.0.0.1:$GATEWAY_PORT"
if [ -n "${STRIPE_API_BASE:-}" ]; then stripe_line="Stripe emulator at $STRIPE_API_BASE (no real Stripe keys configured)"
else stripe_line="real Stripe API (keys from .env.local)"; fi
cat <<MSG

  ERP sales is running.
    App            $gw/
    API            $gw/api/v1/orders
    API docs       http://127.0.0.1:$SALES_SERVICE_PORT/docs
    Health         $gw/health/ready
    Stripe         $stripe_line
    Logs           .dev/run/logs/

  Get a token:     make token ROLE=sales        (or finance, admin)
  Try it:          curl -H "Authorization: Bearer \$(make -s token ROLE=sales)" $gw/api/v1/orders
  Stop:            Ctrl-C here, or make stop from another terminal

MSG

# A crashed sales-service comes back (with a back-off) instead of ending the run; once this run
# has restarted it, Ctrl-C stops it too.
restart_sales() {
  [[ " ${started[*]} " == *" sales "* ]] || started+=(sales)
  "$REPO_ROOT/dev/services.sh" start sales
}

# Follow the service log so requests show up here; wait until interrupted or the gateway dies.
tail -n 0 -F "$STATE_DIR/logs/sales.log" &
tail_pid=$!
supervise_while_running gateway sales restart_sales
log "the gateway stopped; see .dev/run/logs/"
