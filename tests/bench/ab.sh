#!/usr/bin/env bash
# Two kandid builds side by side, alternating, two rounds each: REST writes (`rest-create`,
# 16 clients, 10 s), REST lists (`rest-list`, 16 clients, 10 s, pages of 50 out of 1 000
# leads) and a fan-out (2 000 sockets, 20 writes/s, 10 s). For measuring what a change to the
# write path, the read path or the emitter costs.
#
#   tests/bench/ab.sh OLD_BINARY NEW_BINARY
#
# Needs a release `kandid-bench` (cargo build --release -p kandid-bench). On PostgreSQL at
# PG_URL (default postgres://postgres@127.0.0.1:5432), each run in a database of its own;
# with DB=sqlite, on the embedded SQLite in a fresh data directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
BENCH=${BENCH:-${CARGO_TARGET_DIR:-target}/release/kandid-bench}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

DB=${DB:-postgres}
run() { # name binary
  local name=$1 bin=$2 db="kandid_ab_${RANDOM}${RANDOM}" database
  if [ "$DB" = sqlite ]; then
    database=(DATA_DIR="$work/$db")
  else
    psql "$PG_URL/postgres" -qc "CREATE DATABASE $db" >/dev/null
    database=(DATABASE_URL="$PG_URL/$db")
  fi
  env "${database[@]}" BIND=127.0.0.1 PORT=0 JWT_SECRET=ab-bench-secret-0123456789abcdef \
    AUTH_RATE_PER_MINUTE=0 SOCKET_MAX_PER_USER=0 RUST_LOG=warn LOG_FORMAT=json \
    "$bin" serve >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  local url="http://$(grep -o 'listening on [^ ]*' "$work/$name.out" | awk '{print $3}' | sed 's|^http://||')"
  "$BENCH" seed --url "$url" --leads 1000 --out "$work/$name.session" >/dev/null 2>&1
  echo "== $name: $("$BENCH" rest-create --session "$work/$name.session" -c 16 -d 10 --server-pid $pid 2>&1 >/dev/null | tail -1)"
  echo "== $name: $("$BENCH" rest-list --session "$work/$name.session" -c 16 -d 10 --server-pid $pid 2>&1 >/dev/null | tail -1)"
  echo "== $name: $("$BENCH" fanout --session "$work/$name.session" -n 2000 -w 20 -d 10 --server-pid $pid 2>&1 >/dev/null | tail -1)"
  kill $pid
  wait $pid 2>/dev/null || true
  [ "$DB" = sqlite ] || psql "$PG_URL/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
}

for _ in 1 2; do
  run old "$1"
  run new "$2"
done
