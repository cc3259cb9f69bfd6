#!/usr/bin/env bash
# `make test`: set up, start the test profile's services (own ports, own data, own database),
# run every suite, stop what was started, print one summary line. Exit non-zero if any suite fails.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
"$REPO_ROOT/dev/setup.sh" || die "set-up failed"
export DEV_PROFILE=test
load_profile

REPORTS="$STATE_DIR/reports"
rm -rf "$REPORTS"; mkdir -p "$REPORTS"
failed_suites=()

services=(mongo redis stripe-mock)
[ -d "$REPO_ROOT/stripe-emulator/stripe_emulator" ] && services+=(emulator)
[ -f "$REPO_ROOT/sales-service/app/main.py" ] && services+=(sales gateway)

stop_services() { "$REPO_ROOT/dev/services.sh" stop "${services[@]}" 2>/dev/null; }
trap stop_services EXIT
stop_services
rm -rf "$STATE_DIR/mongo" "$STATE_DIR/emulator-state.json"
"$REPO_ROOT/dev/services.sh" start "${services[@]}" || die "could not start the test services"

export LOCAL_MONGODB_URL="$MONGODB_URL" LOCALDB_SERVE="$REPO_ROOT/dev/localdb/serve"
export GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" SALES_SERVICE_URL="http://127.0.0.1:$SALES_SERVICE_PORT"
export STRIPE_EMULATOR_URL="http://127.0.0.1:$STRIPE_EMULATOR_PORT"

suite() {  # suite NAME DIR CMD...
  local name="$1" dir="$2"; shift 2
  printf '\n===== %s =====\n' "$name"
  if (cd "$dir" && "$@"); then return 0; fi
  failed_suites+=("$name")
}

# No single test needs more than a few minutes; one that hangs fails with its stacks printed.
TEST_TIMEOUT_SECONDS=300

pytest_suite() {  # pytest_suite NAME DIR [ARGS...]
  local name="$1" dir="$2"; shift 2
  [ -d "$dir/tests" ] || return 0
  suite "$name" "$dir" "$PY" -m pytest -q -p no:cacheprovider --timeout="$TEST_TIMEOUT_SECONDS" \
    --junitxml="$REPORTS/$name.xml" tests "$@"
}

pytest_suite local-mongodb "$REPO_ROOT/dev"
pytest_suite sales-service "$REPO_ROOT/sales-service"
pytest_suite gateway "$REPO_ROOT/gateway"
pytest_suite deploy "$REPO_ROOT/deploy"
pytest_suite stripe-emulator "$REPO_ROOT/stripe-emulator"
if [ -f "$REPO_ROOT/stripe-emulator/browser-tests/package.json" ]; then
  suite stripe-js-browser "$REPO_ROOT/stripe-emulator/browser-tests" \
    node --test --test-timeout=$((TEST_TIMEOUT_SECONDS * 1000)) \
      --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination="$REPORTS/stripe-js-browser.xml"
fi
if [ -f "$REPO_ROOT/erp-frontend/package.json" ]; then
  suite erp-frontend "$REPO_ROOT/erp-frontend" npm run -s test -- --reporter=default \
    --reporter=junit --outputFile.junit="$REPORTS/erp-frontend.xml"
  suite erp-frontend-e2e "$REPO_ROOT/erp-frontend" npm run -s e2e -- \
    --test-timeout=$((TEST_TIMEOUT_SECONDS * 1000)) --test-reporter=spec \
    --test-reporter-destination=stdout --test-reporter=junit \
    --test-reporter-destination="$REPORTS/erp-frontend-e2e.xml"
fi
# The contract fuzz run makes orders, payments, links and refunds of its own in the shared test
# database and emulator, so it runs after every suite that reads them (the end-to-end lists and
# dashboard among them); chaos and lint, after it, use stacks and files of their own.
if [ -f "$REPO_ROOT/sales-service/app/main.py" ]; then
  suite contract-fuzz "$REPO_ROOT" dev/contract_fuzz.sh --junit "$REPORTS/contract-fuzz.xml"
fi
suite chaos "$REPO_ROOT/sales-service" "$PY" -m chaos --seconds 30 --seed 1 --settle-seconds 20 --junit "$REPORTS/chaos.xml"
suite lint "$REPO_ROOT" make -s lint

printf '\n===== summary =====\n'
"$PY" "$REPO_ROOT/dev/test_summary.py" "$REPORTS"
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}"
  exit 1
fi
