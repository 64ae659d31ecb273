#!/usr/bin/env bash
# Starts samkjop on a throwaway SQLite file and runs the GraphQL-over-HTTP server audit
# (graphql-http's serverAudits) against /graphql with a token. Fails on any MUST failure or
# SHOULD warning. Usage: tools/graphql-http-audit/run.sh [path/to/samkjop]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The binary, as given relative to where the script was called from (default: the debug build).
bin="${1:-$here/../../target/debug/samkjop}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
cd "$here"
dir="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
export DATABASE_URL="sqlite://$dir/audit.db?mode=rwc"
export JWT_SECRET="audit-secret-audit-secret-audit-secret-0123"
export SAMKJOP_BIND="127.0.0.1:$port"
"$bin" serve > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
token="$("$bin" token --sub audit --role ADMIN --ttl 10m)"
npm ci --no-audit --no-fund --silent
AUDIT_URL="http://127.0.0.1:$port/graphql" AUDIT_TOKEN="$token" node audit.mjs
