#!/usr/bin/env bash
# npm run test:cluster: the three-broker failover test (tools/deploy-checks) against the built
# services. Needs the build (npm test makes it). Starts the local stack for PostgreSQL and Redis
# and stops the single broker again if this run started it, so the next npm test finds its port free.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
ensure_node_modules
use_test_broker
require_built dist/services/intake/src/main.js dist/services/routing/src/main.js \
  dist/services/approval/src/main.js dist/services/delivery/src/main.js

broker_was_running=false
bash deploy/local/stack.sh status >/dev/null 2>&1 && broker_was_running=true
bash deploy/local/stack.sh start >/dev/null
if ! $broker_was_running; then
  trap 'bash deploy/local/stack.sh stop >/dev/null 2>&1 || true' EXIT
fi
export_local_stack_env
npx nx run deploy-checks:cluster --outputStyle=stream
