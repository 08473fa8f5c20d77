#!/usr/bin/env bash
# npm start: installs what is missing, starts the local stack and the local SMS gateway, migrates,
# starts the six services and the console (apps/console, on CONSOLE_PORT, default 3000) and prints
# the console's URL first. Stays in the foreground following the logs; Ctrl-C stops everything.
# `npm start -- --detach` returns once all services are ready (`npm stop` stops them).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

detach=false
[[ "${1:-}" == "--detach" || "${TONGBAN_DETACH:-}" == "1" ]] && detach=true

ensure_node_modules
bash "$ROOT/deploy/local/stack.sh" start
mkdir -p "$RUN_DIR" "$LOG_DIR"

# The services and the helper CLIs (token, dlq, demo), which then start without compiling.
say "building (tsc, and the console with vite)"
npx tsc -p tsconfig.build.json
npx vite build -c apps/console/vite.config.mts --logLevel warn

# Tokens for the seeded users come from `npm run token -- --user <id>` (built just now).
export_dev_secrets
migrate_services "${SERVICES[@]}"

# The local SMS gateway (libs/sms): Tencent Cloud SMS's API on loopback, with an inbox per phone.
if [[ "${TONGBAN_LOCAL_SMS:-}" == "1" ]]; then
  pid="$(service_pid sms-gateway || true)"
  if pid_alive "$pid"; then
    say "SMS gateway already running (pid $pid)"
  else
    nohup node -r ./tools/runtime-paths.cjs dist/libs/sms/src/cli/sms-gateway.cli.js \
      >>"$LOG_DIR/sms-gateway.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/sms-gateway.pid"
    for _ in $(seq 1 40); do curl -fs -o /dev/null "$SMS_ENDPOINT/health" && break; sleep 0.25; done
    curl -fsS -o /dev/null "$SMS_ENDPOINT/health" || { say "SMS gateway did not start (see $LOG_DIR/sms-gateway.log)"; exit 1; }
  fi
fi

for service in "${SERVICES[@]}"; do
  pid="$(service_pid "$service" || true)"
  if pid_alive "$pid"; then
    say "$service already running (pid $pid)"
    continue
  fi
  PORT="$(service_port "$service")" nohup node -r ./tools/runtime-paths.cjs \
    "dist/services/$service/src/main.js" >>"$LOG_DIR/$service.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$service.pid"
done

for service in "${SERVICES[@]}"; do
  url="http://127.0.0.1:$(service_port "$service")"
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$url/health/ready"; then break; fi
    if ! pid_alive "$(service_pid "$service")"; then
      say "$service exited during start-up; last log lines:"; tail -n 20 "$LOG_DIR/$service.log"; exit 1
    fi
    sleep 0.5
  done
  curl -fsS -o /dev/null "$url/health/ready" || { say "$service not ready after 60 s (see $LOG_DIR/$service.log)"; exit 1; }
done

console_port="${CONSOLE_PORT:-3000}"
console_url="http://127.0.0.1:$console_port"
if ! pid_alive "$(service_pid console || true)"; then
  PORT="$console_port" nohup node -r ./tools/runtime-paths.cjs dist/apps/console/server/src/main.js \
    >>"$LOG_DIR/console.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/console.pid"
fi
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "$console_url/console-api/settings" && break
  pid_alive "$(service_pid console)" || { say "console exited; last log lines:"; tail -n 20 "$LOG_DIR/console.log"; exit 1; }
  sleep 0.5
done
say "console: $console_url   (sign in as a seeded user; applicants: $console_url/track; log $LOG_DIR/console.log)"
say "all services ready (tokens for the seeded users: npm run token -- --list):"
for service in "${SERVICES[@]}"; do
  port="$(service_port "$service")"
  printf '  %-9s http://127.0.0.1:%s   (API docs /docs, health /health/ready, log %s)\n' \
    "$service" "$port" "$LOG_DIR/$service.log"
done
if [[ "${TONGBAN_LOCAL_SMS:-}" == "1" ]]; then
  printf '  %-12s %s   (what a phone received: npm run sms -- --to <phone>, or GET /inbox/<phone>)\n' \
    "sms gateway" "$SMS_ENDPOINT"
fi

if $detach; then
  say "detached; stop with: npm stop"
  exit 0
fi
say "following logs; Ctrl-C stops the services and the broker"
trap 'echo; bash "$ROOT/tools/scripts/stop.sh"; exit 0' INT TERM
tail -n 0 -F "$LOG_DIR/console.log" "${SERVICES[@]/#/$LOG_DIR/}" 2>/dev/null | sed -u 's/^/  /' &
wait $!
