# Shared helpers for the dev scripts: repo paths, profile env loading, pid files, readiness waits.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.dev/venv"
BIN_DIR="$REPO_ROOT/.dev/bin"
PY="$VENV/bin/python"
# The local MongoDB-compatible server (SecantusDB) lives in a venv of its own: dev-only, GPL-2.0.
# dev/localdb/serve runs it.
LOCALDB_VENV="$REPO_ROOT/.dev/localdb"
LOCALDB_BIN="$LOCALDB_VENV/bin/secantusd-py"

log() { printf '[dev] %s\n' "$*" >&2; }
die() { printf '[dev] error: %s\n' "$*" >&2; exit 1; }

# load_env_file FILE: set each KEY=VALUE of FILE unless KEY is already set.
# Earlier loads win, so callers load the most specific file first.
load_env_file() {
  local file="$1" line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key="${line%%=*}"
    value="${line#*=}"
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    if [ -z "${!key+x}" ]; then export "$key=$value"; fi
  done < "$file"
}

# load_profile: DEV_PROFILE=run (default) reads the environment, .env.local, then .env.
# DEV_PROFILE=test forces dev/test.env (its own ports and database, so a running `make run`
# is never touched), then .env; .env.local is skipped so real keys never reach tests.
# TEST_MONGODB_URL / TEST_REDIS_URL point tests at servers elsewhere.
load_profile() {
  export DEV_PROFILE="${DEV_PROFILE:-run}"
  case "$DEV_PROFILE" in
    run)
      load_env_file "$REPO_ROOT/.env.local"
      load_env_file "$REPO_ROOT/.env"
      ;;
    test)
      local key
      while IFS= read -r key; do unset "$key"; done < <(grep -oE '^[A-Za-z_][A-Za-z0-9_]*' "$REPO_ROOT/dev/test.env")
      [ -n "${TEST_MONGODB_URL:-}" ] && export MONGODB_URL="$TEST_MONGODB_URL"
      [ -n "${TEST_REDIS_URL:-}" ] && export REDIS_URL="$TEST_REDIS_URL"
      load_env_file "$REPO_ROOT/dev/test.env"
      load_env_file "$REPO_ROOT/.env"
      ;;
    *) die "DEV_PROFILE must be run or test, not '$DEV_PROFILE'" ;;
  esac
  export STATE_DIR="$REPO_ROOT/.dev/$DEV_PROFILE"
  mkdir -p "$STATE_DIR/logs" "$STATE_DIR/pids"
}

pid_file() { echo "$STATE_DIR/pids/$1.pid"; }

is_running() {
  local pf; pf="$(pid_file "$1")"
  [ -f "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# start_bg NAME CMD...: start CMD detached in its own session, log to logs/NAME.log.
start_bg() {
  local name="$1"; shift
  setsid "$@" >>"$STATE_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$name")"
}

stop_one() {
  local name="$1" pf pid i
  pf="$(pid_file "$name")"
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; }
    log "stopped $name"
  fi
  rm -f "$pf"
}

# wait_until NAME SECONDS CMD...: poll CMD until it succeeds; show the log tail on failure.
wait_until() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name did not become ready in ${seconds}s; last log lines:"
      tail -n 20 "$STATE_DIR/logs/$name.log" >&2 2>/dev/null
      return 1
    fi
    if [ -f "$(pid_file "$name")" ] && ! is_running "$name"; then
      log "$name exited during start-up; last log lines:"
      tail -n 20 "$STATE_DIR/logs/$name.log" >&2 2>/dev/null
      return 1
    fi
    sleep 0.2
  done
}

# url_host_port URL: prints host:port of a mongodb:// or redis:// URL (no credentials).
url_host_port() {
  local rest="${1#*://}"
  rest="${rest#*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  echo "$rest"
}

# is_local_url URL PORT: true when URL names this machine's loopback at PORT.
is_local_url() {
  case "$(url_host_port "$1")" in
    "127.0.0.1:$2"|"localhost:$2") return 0 ;;
    *) return 1 ;;
  esac
}
