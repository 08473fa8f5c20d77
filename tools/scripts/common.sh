# Shared by start.sh, stop.sh and test.sh. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${TONGBAN_CACHE_DIR:-$ROOT/.cache}"
RUN_DIR="$CACHE_DIR/run"
LOG_DIR="$CACHE_DIR/logs"
SERVICES=(intake routing approval delivery)
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"

say() { printf '[tongban] %s\n' "$*"; }

service_port() {
  case "$1" in intake) echo 3001 ;; routing) echo 3002 ;; approval) echo 3003 ;; delivery) echo 3004 ;; esac
}

# Installs npm packages when node_modules is missing or older than the lock file.
ensure_node_modules() {
  local marker="$ROOT/node_modules/.package-lock.json"
  if [[ ! -f "$marker" || "$ROOT/package-lock.json" -nt "$marker" ]]; then
    say "installing npm packages"
    # npm install honours the lock file; npm 11's `npm ci` rejects locks written on one platform
    # for missing optional binaries of other platforms (npm/cli#8805).
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

service_pid() {
  local file="$RUN_DIR/$1.pid"
  [[ -f "$file" ]] && cat "$file"
}
