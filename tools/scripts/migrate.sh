#!/usr/bin/env bash
# npm run migrate [-- <service>...]: creates each service's database if it is missing and applies
# its pending migrations, as npm start does before starting the services. Needs `npm run build`
# and PostgreSQL; a service's DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/tongban_<service>.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

services=("$@")
(( ${#services[@]} > 0 )) || services=("${SERVICES[@]}")
for service in "${services[@]}"; do
  [[ -n "$(service_port "$service")" ]] || { say "unknown service \"$service\" (one of: ${SERVICES[*]})"; exit 2; }
done
if [[ -n "${DATABASE_URL:-}" && ${#services[@]} -gt 1 ]]; then
  say "DATABASE_URL is set, so every service would migrate that one database: unset it, or name one service (npm run migrate -- intake)"
  exit 2
fi

# Migrating loads the service's whole configuration, which requires the auth (and PII) keys.
export_dev_secrets
migrate_services "${services[@]}"
say "migrated: ${services[*]}"
