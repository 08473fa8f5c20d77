#!/usr/bin/env bash
# Runs a command with KAFKA_BROKERS, DATABASE_URL and REDIS_URL pointing at the local stack
# (`npm run stack:start`) unless they are exported already; the benchmarks and the cluster test
# find the stack this way, as the integration tests of npm test do.
set -euo pipefail
source "$(dirname "$0")/common.sh"
export_local_stack_env
exec "$@"
