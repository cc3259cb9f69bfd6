# Restarts a crashed service with a back-off. Sourced after dev/lib.sh, not run.
#   supervise_step NAME START_CMD...   call about once a second from a watch loop
# A service found stopped is restarted after SUPERVISE_BACKOFF_MIN seconds (1), then twice as
# long after each further crash, up to SUPERVISE_BACKOFF_MAX (10); once it has stayed up for
# SUPERVISE_STABLE_SECONDS (30) the back-off starts over. Each restart is logged.

SUPERVISE_BACKOFF_MIN="${SUPERVISE_BACKOFF_MIN:-1}"
SUPERVISE_BACKOFF_MAX="${SUPERVISE_BACKOFF_MAX:-10}"
SUPERVISE_STABLE_SECONDS="${SUPERVISE_STABLE_SECONDS:-30}"
supervise_backoff="$SUPERVISE_BACKOFF_MIN"
supervise_up_since="$SECONDS"
supervise_restarts=0

supervise_step() {
  local name="$1"; shift
  if is_running "$name"; then
    if [ $((SECONDS - supervise_up_since)) -ge "$SUPERVISE_STABLE_SECONDS" ]; then
      supervise_backoff="$SUPERVISE_BACKOFF_MIN"
    fi
    return 0
  fi
  supervise_restarts=$((supervise_restarts + 1))
  # A killed uvicorn master leaves its workers serving on the port: end its whole process
  # group (start_bg made one per service) so the new one can bind.
  local pf; pf="$(pid_file "$name")"
  if [ -f "$pf" ]; then kill -KILL -- "-$(cat "$pf")" 2>/dev/null || true; fi
  log "$name stopped; restart #$supervise_restarts in ${supervise_backoff}s (log: ${STATE_DIR#"$REPO_ROOT"/}/logs/$name.log)"
  sleep "$supervise_backoff"
  supervise_backoff=$((supervise_backoff * 2))
  [ "$supervise_backoff" -gt "$SUPERVISE_BACKOFF_MAX" ] && supervise_backoff="$SUPERVISE_BACKOFF_MAX"
  if "$@"; then
    log "$name restarted (restart #$supervise_restarts)"
  else
    log "$name did not come back (restart #$supervise_restarts); trying again"
  fi
  supervise_up_since="$SECONDS"
}

# supervise_while_running GUARD NAME START_CMD...: keep NAME up while GUARD runs; returns when
# GUARD stops (`make run` treats that as the end of the stack).
supervise_while_running() {
  local guard="$1"; shift
  while is_running "$guard"; do
    supervise_step "$@"
    sleep "${SUPERVISE_POLL_SECONDS:-1}"
  done
}
