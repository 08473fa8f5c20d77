#!/usr/bin/env bash
# npm test: installs what it needs, starts the tests' own broker (beside the developer's, see
# use_test_broker) and checks PostgreSQL and Redis, then runs lint,
# type-check, format check, unit tests, the build, and the integration tests against the real
# Kafka, PostgreSQL and Redis. Stops the broker again if this run started it.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
started_at=$SECONDS

ensure_node_modules
use_test_broker
ensure_chromium

broker_was_running=false
bash deploy/local/stack.sh status >/dev/null 2>&1 && broker_was_running=true
bash deploy/local/stack.sh start
if ! $broker_was_running; then
  trap 'bash deploy/local/stack.sh stop >/dev/null 2>&1 || true' EXIT
fi

export_local_stack_env

step() { say "== $* ($((SECONDS - started_at)) s)"; }

# The module-boundary rule reads Nx's project graph and silently skips itself without one.
step "project graph"; npx nx show projects >/dev/null
step "lint"; npx eslint . --max-warnings=0
step "type-check"; npx tsc -p tsconfig.json --noEmit && npx tsc -p apps/console/tsconfig.json --noEmit
step "format"; npx prettier --check . --log-level=warn
step "unit tests"; npx nx run-many -t test --outputStyle=stream --skipNxCache
step "build"; npx tsc -p tsconfig.build.json
step "console build (vite)"; npx vite build -c apps/console/vite.config.mts --logLevel warn
step "integration tests"; npx nx run-many -t integration --parallel=1 --outputStyle=stream
step "all tests passed"
