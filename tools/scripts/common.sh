# Shared by start.sh, stop.sh and test.sh. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${TONGBAN_CACHE_DIR:-$ROOT/.cache}"
RUN_DIR="$CACHE_DIR/run"
LOG_DIR="$CACHE_DIR/logs"
SERVICES=(intake routing approval delivery notification supervision)
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"

say() { printf '[tongban] %s\n' "$*"; }

# The tests' own broker beside the developer's (deploy/local/stack.sh, TONGBAN_KAFKA_INSTANCE):
# test events never reach the consumer groups of `npm start`, and a test that stops its broker
# leaves the developer's running.
use_test_broker() {
  export TONGBAN_KAFKA_INSTANCE=test
  export KAFKA_PORT="${TONGBAN_TEST_KAFKA_PORT:-9492}"
  export KAFKA_CONTROLLER_PORT="$((KAFKA_PORT + 1))"
}

service_port() {
  case "$1" in intake) echo 3001 ;; routing) echo 3002 ;; approval) echo 3003 ;; delivery) echo 3004 ;; notification) echo 3005 ;; supervision) echo 3006 ;; esac
}

# Installs npm packages when node_modules is missing or older than the lock file.
ensure_node_modules() {
  local marker="$ROOT/node_modules/.package-lock.json"
  if [[ ! -f "$marker" || "$ROOT/package-lock.json" -nt "$marker" ]]; then
    say "installing npm packages"
    # `npm ci` installs exactly the lock and never rewrites it. The lock lists the optional
    # platform binaries (swc, unrs resolver) of every platform, which npm 11's `npm ci` insists
    # on (npm/cli#8805); after adding a dependency, check that a clean clone's `npm ci` passes.
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The console's browser tests drive Debian's chromium (never a downloaded browser), with a CJK font
# so the screenshots show Chinese. Installed with apt-get when missing (needs root, as in CI).
ensure_chromium() {
  if command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
    return
  fi
  say "installing chromium and a CJK font (apt-get)"
  if [[ "$(id -u)" != 0 ]]; then
    say "not root: install them yourself (apt-get install chromium fonts-wqy-microhei)"; exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
}

# The addresses of the local stack (deploy/local/stack.sh), for whatever finds Kafka, PostgreSQL
# and Redis through these variables: the integration tests and the benchmarks. Values already
# exported win, so the same commands run against another stack.
export_local_stack_env() {
  export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
  export DATABASE_URL="${DATABASE_URL:-postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/postgres}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
}

# Fails with the one thing to do when `npm run build` has not produced a file yet.
require_built() {
  local file
  for file in "$@"; do
    [[ -f "$ROOT/$file" ]] || { say "$file is missing: run npm run build first"; exit 1; }
  done
}

# Development keys for tokens (.cache/dev-auth) and for the personal data intake and delivery
# encrypt (.cache/dev-pii), exported unless a real identity provider or keys are configured.
export_dev_secrets() {
  require_built dist/libs/auth/src/cli/mint-dev-token.cli.js dist/libs/pii/src/cli/dev-pii-env.cli.js
  if [[ -z "${AUTH_JWT_PUBLIC_KEY:-}" && -z "${AUTH_JWKS_URL:-}" ]]; then
    eval "$(cd "$ROOT" && node -r ./tools/runtime-paths.cjs dist/libs/auth/src/cli/mint-dev-token.cli.js --env)"
  fi
  if [[ -z "${PII_ENCRYPTION_KEYS:-}" ]]; then
    eval "$(cd "$ROOT" && node -r ./tools/runtime-paths.cjs dist/libs/pii/src/cli/dev-pii-env.cli.js)"
  fi
  # The notification service texts through the local SMS gateway (start.sh starts it) unless a
  # real provider is configured. These credentials are the gateway's only: they open nothing else.
  if [[ -z "${SMS_SECRET_ID:-}" ]]; then
    export SMS_GATEWAY_PORT="${SMS_GATEWAY_PORT:-9400}"
    export SMS_ENDPOINT="http://127.0.0.1:$SMS_GATEWAY_PORT" SMS_SECRET_ID=AKIDlocalgateway \
      SMS_SECRET_KEY=local-gateway-dev-secret SMS_SDK_APP_ID=1400000000 TONGBAN_LOCAL_SMS=1
  fi
}

# Creates each service's database if missing and applies its pending migrations (under an
# advisory lock, so a service starting at the same time is safe). Needs the build.
migrate_services() {
  local service
  for service in "$@"; do
    require_built "dist/services/$service/src/database/migrate.js"
    (cd "$ROOT" && node -r ./tools/runtime-paths.cjs "dist/services/$service/src/database/migrate.js") \
      || { say "migrations of $service failed"; exit 1; }
  done
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

service_pid() {
  local file="$RUN_DIR/$1.pid"
  [[ -f "$file" ]] && cat "$file"
}
