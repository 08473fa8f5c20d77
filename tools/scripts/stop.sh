#!/usr/bin/env bash
# npm stop: stops the console and the services (SIGTERM, then SIGKILL after 30 s), the local SMS
# gateway and the local broker.
# PostgreSQL and Redis are the machine's own servers and keep running.
set -euo pipefail
source "$(dirname "$0")/common.sh"

for service in console "${SERVICES[@]}" sms-gateway; do
  pid="$(service_pid "$service" || true)"
  if pid_alive "$pid"; then
    say "stopping $service (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do pid_alive "$pid" || break; sleep 0.5; done
    if pid_alive "$pid"; then say "$service did not stop in 30 s, killing"; kill -KILL "$pid"; fi
  fi
  rm -f "$RUN_DIR/$service.pid"
done

# Services started by hand from this checkout (same working directory) are ours too.
for pid in $(pgrep -f 'dist/(services/[a-z]+|apps/console/server)/src/main\.js' || true); do
  if [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$ROOT" ]]; then
    say "stopping stray service process $pid"
    kill -TERM "$pid" 2>/dev/null || true
  fi
done

bash "$ROOT/deploy/local/stack.sh" stop
say "stopped"
