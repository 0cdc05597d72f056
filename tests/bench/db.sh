#!/usr/bin/env bash
# REST/database benchmark: kandid on SQLite, kandid on PostgreSQL and the Node comparison
# server (bench-node, express + better-sqlite3), side by side in one run on one machine, so
# that ratios hold even where absolute figures move from run to run. For each database size
# every server starts fresh, is seeded with that many leads by kandid-bench, runs the
# scenarios and stops; the tables go to tests/bench/db-results.md.
#
#   tests/bench/db.sh                                  # 1 000, 100 000 and 1 000 000 leads
#   SIZES="1000 20000" DURATION=5 tests/bench/db.sh    # a quick run
#
# Settings (environment):
#   SIZES               leads per run (default "1000 100000 1000000"; 1M = 10 imports of 100 000)
#   DURATION            measured seconds per load scenario, and time budget per read (10)
#   WARMUP              unmeasured seconds before each load scenario (1)
#   CONCURRENCY         clients of rest-list and rest-create (16)
#   REPS                repetitions per read endpoint (200)
#   IMPORT_ROWS         rows of the timed imports (50000,100000)
#   CONTENTION_ROWS     rows of the import that writes into another workspace run beside (100000)
#   CONTENTION_CLIENTS  clients writing into that other workspace (4)
#   SCENARIOS           subset of "reads rest-list rest-create import import-contention"
#   SERVERS             subset of "kandid-sqlite kandid-postgres node"
#   MEM_CEILING_MIB     kandid's memory-regression check: the run fails when kandid's own resident
#                       memory (RssAnon), read after seeding and after each scenario, is over this (512)
#   BENCH_POSTGRES_URL  admin URL where a fresh database is created and dropped
#                       (default postgres://postgres@127.0.0.1:5432/postgres; skipped if unreachable)
#   BENCH_NODE          bench-node sources (default ../shared/bench-node); installed into
#                       target/bench-node because the sources may be read-only
#   OUT                 markdown output (tests/bench/db-results.md)
#   KANDID              the kandid binary to run (target/release/kandid), e.g. a copy of an older build
#   BUILD               0: don't build first
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# Cargo's target directory, wherever CARGO_TARGET_DIR puts it.
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")

SIZES=${SIZES:-"1000 100000 1000000"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-1}
CONCURRENCY=${CONCURRENCY:-16}
REPS=${REPS:-200}
IMPORT_ROWS=${IMPORT_ROWS:-50000,100000}
CONTENTION_ROWS=${CONTENTION_ROWS:-100000}
CONTENTION_CLIENTS=${CONTENTION_CLIENTS:-4}
SCENARIOS=${SCENARIOS:-"reads rest-list rest-create import import-contention"}
SERVERS=${SERVERS:-"kandid-sqlite kandid-postgres node"}
MEM_CEILING_MIB=${MEM_CEILING_MIB:-512}
BENCH_POSTGRES_URL=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BENCH_NODE=${BENCH_NODE:-$ROOT/../shared/bench-node}
OUT=${OUT:-tests/bench/db-results.md}
NODE_DIR=$TARGET/bench-node
KANDID=${KANDID:-$TARGET/release/kandid}
BENCH=$TARGET/release/kandid-bench
# Both servers get the same secret; tokens never leave this run.
export JWT_SECRET=kandid-db-bench-secret-0123456789abcdef
RUN=$(mktemp -d "${TMPDIR:-/tmp}/kandid-db-bench.XXXXXX")

log() { printf '\n== %s\n' "$*" >&2; }

. "$ROOT/tests/bench/lib.sh"
# BUILD=0: run the binaries as they are (e.g. KANDID pointing at an older build).
if [ "${BUILD:-1}" != 0 ]; then build_release; fi
install_bench_node

# PostgreSQL: only when the admin URL answers (psql is how we create the databases).
PG=0
if [[ " $SERVERS " == *" kandid-postgres "* ]]; then
  if command -v psql >/dev/null && psql "$BENCH_POSTGRES_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    PG=1
  else
    log "PostgreSQL unreachable at $BENCH_POSTGRES_URL: kandid-postgres skipped"
  fi
fi

# The same URL with another database name (keeps a ?query).
pg_url() {
  local url=$1 name=$2 query=""
  if [[ $url == *\?* ]]; then query="?${url#*\?}"; url=${url%%\?*}; fi
  echo "${url%/*}/$name$query"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

SERVER_PID=""
PG_DB=""
DATA=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DB" ]; then psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  if [ -n "$DATA" ]; then rm -rf "$DATA"; fi
  SERVER_PID="" PG_DB="" DATA=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME SIZE: starts a fresh server, sets URL and SERVER_PID.
start_server() {
  local name=$1 size=$2 port
  port=$(free_port)
  URL=http://127.0.0.1:$port
  DATA=$RUN/data-$name-$size
  mkdir -p "$DATA"
  local logfile=$RUN/$size/$name.log
  case $name in
    kandid-sqlite)
      env -u DATABASE_URL BIND=127.0.0.1 PORT="$port" DATA_DIR="$DATA" AUTH_RATE_PER_MINUTE=0 \
        LOG_FORMAT=json RUST_LOG=warn "$KANDID" >"$logfile" 2>&1 &
      ;;
    kandid-postgres)
      PG_DB=kandid_bench_${size}_$$
      psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $PG_DB" >/dev/null
      DATABASE_URL=$(pg_url "$BENCH_POSTGRES_URL" "$PG_DB") BIND=127.0.0.1 PORT="$port" \
        AUTH_RATE_PER_MINUTE=0 LOG_FORMAT=json RUST_LOG=warn "$KANDID" >"$logfile" 2>&1 &
      ;;
    node)
      env -u DATABASE_URL -u DATA_DIR BIND=127.0.0.1 PORT="$port" DATABASE="$DATA/bench-node.db" \
        node "$NODE_DIR/server.js" >"$logfile" 2>&1 &
      ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if curl -sf "$URL/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "$name did not start:"; tail -20 "$logfile" >&2; SERVER_PID=""; return 1
    fi
    sleep 0.1
  done
  log "$name not ready after 30 s"; return 1
}

FAILED=()
# scenario NAME SIZE ARGS...: one kandid-bench scenario, its JSON line appended to the results.
# Fails when the scenario did not run: not selected, or failed (then it is listed in FAILED).
scenario() {
  local name=$1 size=$2; shift 2
  if [[ " $SCENARIOS " != *" $1 "* ]] && [ "$1" != seed ]; then return 1; fi
  if ! "$BENCH" --url "$URL" "$@" >>"$RUN/$size/$name.ndjson"; then
    FAILED+=("$name, $size leads: $1")
    return 1
  fi
}

# memory NAME SIZE LABEL: the server's memory after LABEL; kandid's is checked against the ceiling.
memory() {
  local name=$1 size=$2 label=$3 ceiling=()
  if [[ $name == kandid-* ]]; then ceiling=(--max-mib "$MEM_CEILING_MIB"); fi
  if ! "$BENCH" memory --server-pid "$SERVER_PID" --label "$label" "${ceiling[@]}" \
    >>"$RUN/$size/$name.ndjson"; then
    FAILED+=("$name, $size leads: memory after $label")
  fi
}

for size in $SIZES; do
  mkdir -p "$RUN/$size"
  for name in $SERVERS; do
    if [ "$name" = kandid-postgres ] && [ "$PG" = 0 ]; then continue; fi
    log "$name, $size leads"
    if ! start_server "$name" "$size"; then FAILED+=("$name, $size leads: start"); cleanup; continue; fi
    session=$RUN/$size/$name.session.json
    if scenario "$name" "$size" seed --leads "$size" --out "$session"; then
      memory "$name" "$size" seed
      scenario "$name" "$size" reads --session "$session" --reps "$REPS" --max-seconds "$DURATION" &&
        memory "$name" "$size" reads
      scenario "$name" "$size" rest-list --session "$session" -c "$CONCURRENCY" -d "$DURATION" \
        --warmup "$WARMUP" --server-pid "$SERVER_PID" && memory "$name" "$size" rest-list
      scenario "$name" "$size" rest-create --session "$session" -c "$CONCURRENCY" -d "$DURATION" \
        --warmup "$WARMUP" --server-pid "$SERVER_PID" && memory "$name" "$size" rest-create
      scenario "$name" "$size" import --session "$session" --rows "$IMPORT_ROWS" \
        --server-pid "$SERVER_PID" && memory "$name" "$size" import
      scenario "$name" "$size" import-contention --session "$session" --rows "$CONTENTION_ROWS" \
        -c "$CONTENTION_CLIENTS" && memory "$name" "$size" import-contention
    fi
    cleanup
  done
done

pg_version=$( ((PG)) && psql "$BENCH_POSTGRES_URL" -qtAc 'SHOW server_version' 2>/dev/null || echo "not run")
{
  echo "## REST/database benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), \
$(free -g | awk '/^Mem:/ {print $2}') GiB memory, Linux $(uname -r); server and load generator \
share the machine (and its cores with whatever else runs). kandid $(git rev-parse --short HEAD) \
(release build), Node $(node --version) with bench-node, PostgreSQL $pg_version (local, default settings)."
  echo
  echo "### Method"
  echo
  echo "For each database size, each server starts fresh (kandid on SQLite: a new \`DATA_DIR\`; \
kandid on PostgreSQL: a new database, dropped afterwards; Node: a new SQLite file) and \
\`kandid-bench\` (Rust, tokio + reqwest, same for all servers, by base URL only):"
  echo
  echo "1. **seed**: registers a user, creates a campaign and imports the leads into it as JSON, \
in requests of at most 100 000 rows; every lead has a unique name, e-mail, company, title and \
LinkedIn URL, statuses and connection statuses vary, about 1 % of names contain \`zephyr\`;"
  echo "2. **reads**: each endpoint $REPS times (at most ${DURATION} s each), one request at a time, after one untimed request;"
  echo "3. **rest-list** and **rest-create**: $CONCURRENCY clients in a closed loop (each sends its next \
request when the previous one answered) for ${DURATION} s after ${WARMUP} s of warm-up, keep-alive \
connections; rest-create writes into a fresh campaign of the seeded workspace;"
  echo "4. **import**: one JSON import of ${IMPORT_ROWS//,/ and } rows, each into a fresh campaign of the same workspace;"
  echo "5. **import-contention**: a second user registers (so a second workspace, B); $CONTENTION_CLIENTS clients create leads in B \
in a closed loop while the seeded workspace (A) imports $CONTENTION_ROWS rows into a fresh campaign; B's latencies before and during the import."
  echo
  echo "After seeding and after each scenario, \`kandid-bench memory\` reads the server's resident memory \
(now and peak); for kandid the run fails when its own memory (\`RssAnon\`: heap and stacks, not mapped files \
such as SQLite's WAL index) is over $MEM_CEILING_MIB MiB (\`MEM_CEILING_MIB\`)."
  echo
  echo "Scenarios run: $SCENARIOS."
  echo
  echo "Server CPU is utime + stime of the server process from \`/proc/<pid>/stat\` over the \
measured interval divided by the requests (clock ticks of 10 ms: short runs are coarse). \
PostgreSQL's own processes are not included, so kandid on PostgreSQL looks cheaper in CPU than it is. \
Generator CPU is kandid-bench's own, to show whether it, sharing the cores, limits the figures."
  echo
  echo "The servers run one after another, so whatever else the machine does at the time lands on one of them: on a shared machine repeat the run and trust the ratios that hold across runs, not one table."
  echo
  echo "### Commands"
  echo
  echo '```sh'
  echo "cargo build --release -p kandid && cargo build --release -p kandid-bench"
  echo "SIZES=\"$SIZES\" DURATION=$DURATION WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY REPS=$REPS \\"
  echo "  IMPORT_ROWS=$IMPORT_ROWS CONTENTION_ROWS=$CONTENTION_ROWS CONTENTION_CLIENTS=$CONTENTION_CLIENTS \\"
  echo "  SCENARIOS=\"$SCENARIOS\" tests/bench/db.sh"
  echo "# which, per size N and server (URL), runs:"
  echo "kandid-bench --url \$URL seed --leads N --out session.json"
  echo "kandid-bench reads --session session.json --reps $REPS --max-seconds $DURATION"
  echo "kandid-bench rest-list --session session.json -c $CONCURRENCY -d $DURATION --warmup $WARMUP --server-pid \$PID"
  echo "kandid-bench rest-create --session session.json -c $CONCURRENCY -d $DURATION --warmup $WARMUP --server-pid \$PID"
  echo "kandid-bench import --session session.json --rows $IMPORT_ROWS --server-pid \$PID"
  echo "kandid-bench import-contention --session session.json --rows $CONTENTION_ROWS -c $CONTENTION_CLIENTS"
  echo "kandid-bench memory --server-pid \$PID --label <step> --max-mib $MEM_CEILING_MIB   # after seed and each scenario"
  echo "# kandid:     BIND=127.0.0.1 PORT=… DATA_DIR=<fresh> (or DATABASE_URL=postgres://…/<fresh>) \\"
  echo "#             JWT_SECRET=… AUTH_RATE_PER_MINUTE=0 LOG_FORMAT=json RUST_LOG=warn target/release/kandid"
  echo "# bench-node: BIND=127.0.0.1 PORT=… JWT_SECRET=… DATABASE=<fresh>.db node server.js"
  echo '```'
  echo
  "$BENCH" report --dir "$RUN"
  if [ ${#FAILED[@]} -gt 0 ]; then
    echo "### Failed"
    echo
    printf -- '- %s\n' "${FAILED[@]}"
    echo
  fi
} >"$OUT"

log "results: $OUT (raw JSON lines and server logs in $RUN)"
cat "$OUT"
if [ ${#FAILED[@]} -gt 0 ]; then exit 1; fi
