#!/usr/bin/env bash
# Starts, stops and reports the local services. Re-runnable: a running service is left alone.
#   dev/services.sh start|stop|status [SERVICE...]
# Services: mongo redis stripe-mock emulator sales gateway (default: all, in that order).
# DEV_PROFILE=run (ports from .env) or test (ports from dev/test.env); state in .dev/<profile>/.
# When MONGODB_URL / REDIS_URL point somewhere other than this machine's port, nothing is started
# for them and that server is used as it is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
load_profile

ALL=(mongo redis stripe-mock emulator sales gateway)

uses_emulator() { [ -n "${STRIPE_API_BASE:-}" ]; }


mongo_ping() {
  "$PY" -c "import sys, pymongo; pymongo.MongoClient(sys.argv[1], serverSelectionTimeoutMS=500).admin.command('ping')" "$MONGODB_URL"
}

start_mongo() {
  if ! is_local_url "$MONGODB_URL" "$MONGODB_PORT"; then log "mongo: using $(url_host_port "$MONGODB_URL") (not started here)"; return; fi
  is_running mongo && return
  [ -x "$LOCALDB_BIN" ] || die "no $LOCALDB_BIN: run dev/setup.sh first"
  start_bg mongo "$REPO_ROOT/dev/localdb/serve" "$MONGODB_PORT" "$STATE_DIR/mongo"
  wait_until mongo 60 mongo_ping
  log "mongo ready on 127.0.0.1:$MONGODB_PORT (SecantusDB, data in ${STATE_DIR#"$REPO_ROOT"/}/mongo)"
}

start_redis() {
  if ! is_local_url "$REDIS_URL" "$REDIS_PORT"; then log "redis: using $(url_host_port "$REDIS_URL") (not started here)"; return; fi
  is_running redis && return
  start_bg redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$STATE_DIR" --daemonize no
  wait_until redis 20 redis-cli -p "$REDIS_PORT" ping
  log "redis ready on 127.0.0.1:$REDIS_PORT (no persistence)"
}

start_stripe_mock() {
  is_running stripe-mock && return
  start_bg stripe-mock "$BIN_DIR/stripe-mock" -http-addr "127.0.0.1:$STRIPE_MOCK_PORT"
  wait_until stripe-mock 30 curl -sf -o /dev/null -H "Authorization: Bearer sk_test_123" "http://127.0.0.1:$STRIPE_MOCK_PORT/v1/customers"
  log "stripe-mock ready on 127.0.0.1:$STRIPE_MOCK_PORT"
}

start_emulator() {
  if ! uses_emulator; then log "emulator: not started (STRIPE_API_BASE is empty: real Stripe)"; return; fi
  is_running emulator && return
  local webhook="http://127.0.0.1:$GATEWAY_PORT/api/v1/payments/stripe/webhook=$STRIPE_WEBHOOK_SECRET"
  (cd "$REPO_ROOT/stripe-emulator" && start_bg emulator "$PY" -m stripe_emulator \
    --host 127.0.0.1 --port "$STRIPE_EMULATOR_PORT" \
    --secret-key "$STRIPE_SECRET_KEY" --publishable-key "$STRIPE_PUBLISHABLE_KEY" \
    --webhook "$webhook" --state-file "$STATE_DIR/emulator-state.json")
  wait_until emulator 30 curl -sf -o /dev/null "http://127.0.0.1:$STRIPE_EMULATOR_PORT/_emulator/health"
  log "stripe emulator ready on 127.0.0.1:$STRIPE_EMULATOR_PORT (webhooks to the gateway, state in ${STATE_DIR#"$REPO_ROOT"/}/emulator-state.json)"
}

start_sales() {
  is_running sales && return
  # `make run`: one worker per core unless WEB_CONCURRENCY says; the test profile keeps one, so
  # a test that kills or restarts the service (crash points, chaos) kills all of it.
  local workers="${WEB_CONCURRENCY:-}"
  [ -n "$workers" ] || { [ "$DEV_PROFILE" = run ] && workers="$(nproc)" || workers=1; }
  # --http: an unparseable request is answered in the JSON error shape too (app/core/http_protocol.py).
  (cd "$REPO_ROOT/sales-service" && start_bg sales "$VENV/bin/uvicorn" app.main:create_app --factory \
    --http app.core.http_protocol:JsonErrorHttpProtocol --host 127.0.0.1 --port "$SALES_SERVICE_PORT" --no-access-log --proxy-headers \
    --forwarded-allow-ips 127.0.0.1 --workers "$workers")
  wait_until sales 30 curl -sf -o /dev/null "http://127.0.0.1:$SALES_SERVICE_PORT/health/ready"
  log "sales-service ready on 127.0.0.1:$SALES_SERVICE_PORT ($workers uvicorn workers)"
}

start_gateway() {
  is_running gateway && return
  local out="$STATE_DIR/gateway" origins=""
  uses_emulator && origins="http://127.0.0.1:$STRIPE_EMULATOR_PORT http://localhost:$STRIPE_EMULATOR_PORT"
  "$REPO_ROOT/dev/render-gateway.sh" "$out" "$GATEWAY_PORT" "127.0.0.1:$SALES_SERVICE_PORT" "$REPO_ROOT/erp-frontend/dist" "$origins"
  nginx -t -q -c "$out/nginx.conf" 2>>"$STATE_DIR/logs/gateway.log" || die "gateway config invalid: see $STATE_DIR/logs/gateway.log"
  start_bg gateway nginx -c "$out/nginx.conf"
  wait_until gateway 20 curl -sf -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/gateway/health"
  log "gateway ready on http://127.0.0.1:$GATEWAY_PORT"
}

status_one() {
  if is_running "$1"; then printf '%-12s running (pid %s)\n' "$1" "$(cat "$(pid_file "$1")")"
  else printf '%-12s stopped\n' "$1"; fi
}

cmd="${1:-status}"; shift || true
names=("$@"); [ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
case "$cmd" in
  start)
    for n in "${names[@]}"; do "start_${n//-/_}"; done ;;
  stop)
    for ((i=${#names[@]}-1; i>=0; i--)); do stop_one "${names[i]}"; done ;;
  status)
    for n in "${names[@]}"; do status_one "$n"; done ;;
  *) die "usage: dev/services.sh start|stop|status [mongo redis stripe-mock emulator sales gateway]" ;;
esac
