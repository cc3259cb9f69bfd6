#!/usr/bin/env bash
# The contract fuzz run: schemathesis holds a running sales-service to docs/openapi.json, with
# every check (a status or a body the document does not list, schema-valid input refused,
# schema-violating input accepted, ...), in every phase including the stateful one that follows
# the document's links (create an order, pay it, refund it, ...). A fixed seed and example count
# make the run repeatable and bound its time; any finding fails it.
#
#   dev/contract_fuzz.sh [--junit FILE] [extra schemathesis options...]
#
# Against $SALES_SERVICE_URL (default: the test profile's sales-service, which must be running
# with AUTH_DEV_LOGIN on), as an admin, signing webhooks with the profile's STRIPE_WEBHOOK_SECRET.
# The hooks in sales-service/contract/hooks.py sign webhooks and read each operation's
# `x-beyond-schema` list (see docs/api.md, "The OpenAPI document").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export DEV_PROFILE="${DEV_PROFILE:-test}"
load_profile
[ -x "$PY" ] || "$REPO_ROOT/dev/setup.sh" --no-browser >&2

junit=()
if [ "${1:-}" = "--junit" ]; then junit=(--report junit --report-junit-path "$2"); shift 2; fi
url="${SALES_SERVICE_URL:-http://127.0.0.1:$SALES_SERVICE_PORT}"
token="$(cd "$REPO_ROOT/sales-service" && "$PY" -m app.cli.token --role admin)"

cd "$REPO_ROOT/sales-service"
SCHEMATHESIS_HOOKS=contract.hooks exec "$VENV/bin/schemathesis" --config-file contract/schemathesis.toml \
  run "$REPO_ROOT/docs/openapi.json" \
  --url "$url" -H "Authorization: Bearer $token" \
  --checks all --phases examples,coverage,fuzzing,stateful \
  --max-examples "${CONTRACT_FUZZ_EXAMPLES:-100}" --seed "${CONTRACT_FUZZ_SEED:-1}" \
  --request-timeout 30 --no-color --output-truncate false \
  "${junit[@]}" "$@"
