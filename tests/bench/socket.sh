#!/usr/bin/env bash
# Socket.IO benchmark: kandid (release, SQLite) and the Node comparison server (bench-node,
# socket.io 4.8), both started fresh and running side by side; kandid-bench runs each
# scenario against one, then the other, so both see the same machine at nearly the same
# time. The figures replace the section between the socket-results markers in BENCHMARKS.md
# (and the raw JSON lines stay in the run directory it prints).
#
#   tests/bench/socket.sh                               # the full run (~10 min)
#   IDLE=2000 FANOUT=2000 DURATION=5 tests/bench/socket.sh   # a quick one
#
# Settings (environment):
#   IDLE          idle sockets (10000)
#   FANOUT        sockets of the fan-out at FANOUT_RATE writes/s (10000 × 5)
#   SMALL         sockets of the fan-out at SMALL_RATE writes/s (2000 × 20)
#   SAT           sockets of the saturation at SAT_RATE writes/s (2000 × 200), and again at
#                 SAT_RATE2 writes/s (300): what is left above the target
#   DURATION      seconds of writing per fan-out scenario (10)
#   MAX_KIB       memory-regression ceiling: kandid's idle run fails above this RSS per
#                 socket (12; measured 9.3–9.5 on a 2-core machine, 20.2 before the
#                 vendored engineioxide, 28.4 before the request-buffer change)
#   SERVERS       subset of "kandid node"
#   BENCH_NODE    bench-node sources (default ../shared/bench-node)
#   OUT           markdown file whose marked section is replaced (BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# Cargo's target directory, wherever CARGO_TARGET_DIR puts it.
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")

IDLE=${IDLE:-10000}
FANOUT=${FANOUT:-10000}
FANOUT_RATE=${FANOUT_RATE:-5}
SMALL=${SMALL:-2000}
SMALL_RATE=${SMALL_RATE:-20}
SAT=${SAT:-2000}
SAT_RATE=${SAT_RATE:-200}
SAT_RATE2=${SAT_RATE2:-300}
DURATION=${DURATION:-10}
MAX_KIB=${MAX_KIB:-12}
SERVERS=${SERVERS:-"kandid node"}
BENCH_NODE=${BENCH_NODE:-$ROOT/../shared/bench-node}
OUT=${OUT:-BENCHMARKS.md}
NODE_DIR=$TARGET/bench-node
KANDID=$TARGET/release/kandid
BENCH=$TARGET/release/kandid-bench
export JWT_SECRET=kandid-socket-bench-secret-0123456789abcdef
RUN=$(mktemp -d "${TMPDIR:-/tmp}/kandid-socket-bench.XXXXXX")
# 10 000 sockets need as many descriptors in the server and in the generator.
ulimit -n "$(ulimit -Hn)"

log() { printf '\n== %s\n' "$*" >&2; }

. "$ROOT/tests/bench/lib.sh"
build_release
install_bench_node

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

declare -A PID URL
cleanup() {
  for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null || true; wait "${PID[$name]}" 2>/dev/null || true; done
  PID=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {
  local name=$1 port data=$RUN/data-$1
  port=$(free_port)
  mkdir -p "$data"
  case $name in
    kandid)
      env -u DATABASE_URL -u REDIS_URL BIND=127.0.0.1 PORT="$port" DATA_DIR="$data" AUTH_RATE_PER_MINUTE=0 SOCKET_MAX_PER_USER=0 \
        LOG_FORMAT=json RUST_LOG=warn "$KANDID" >"$RUN/$name.log" 2>&1 &
      ;;
    node)
      env -u DATABASE_URL BIND=127.0.0.1 PORT="$port" DATABASE="$data/bench-node.db" \
        node "$NODE_DIR/server.js" >"$RUN/$name.log" 2>&1 &
      ;;
  esac
  PID[$name]=$!
  URL[$name]=http://127.0.0.1:$port
  for _ in $(seq 1 300); do
    if curl -sf "${URL[$name]}/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "$name did not start"; tail -20 "$RUN/$name.log" >&2; return 1
}

FAILED=()
scenario() {
  local name=$1; shift
  log "$name: $*"
  if ! "$BENCH" --url "${URL[$name]}" "$@" --session "$RUN/$name.session.json" \
      --server-pid "${PID[$name]}" >>"$RUN/$name.ndjson"; then
    FAILED+=("$name: $1")
  fi
}

for name in $SERVERS; do
  start_server "$name"
  "$BENCH" --url "${URL[$name]}" seed --leads 0 --email "socket-$name@example.com" \
    --out "$RUN/$name.session.json" >/dev/null
done
for name in $SERVERS; do
  if [ "$name" = kandid ]; then
    scenario "$name" idle -n "$IDLE" --max-kib-per-socket "$MAX_KIB"
  else
    scenario "$name" idle -n "$IDLE"
  fi
done
for name in $SERVERS; do scenario "$name" fanout -n "$FANOUT" -w "$FANOUT_RATE" -d "$DURATION"; done
for name in $SERVERS; do scenario "$name" fanout -n "$SMALL" -w "$SMALL_RATE" -d "$DURATION"; done
for name in $SERVERS; do scenario "$name" saturation -n "$SAT" -w "$SAT_RATE" -d "$DURATION"; done
for name in $SERVERS; do scenario "$name" saturation -n "$SAT" -w "$SAT_RATE2" -d "$DURATION"; done
cleanup

# One table: a row per figure, a column per server, and kandid ÷ Node.
# fig SERVER SCENARIO-INDEX JQ-EXPRESSION: the figure of the n-th record of that server.
fig() {
  [ -f "$RUN/$1.ndjson" ] || { echo "–"; return; }
  jq -rs --argjson i "$2" "(.[\$i] // {}) | ($3) // \"–\"" "$RUN/$1.ndjson"
}
# kandid ÷ Node of single figures; "–" for composite cells ("a / b").
ratio() {
  case "$1$2" in *" / "*) echo "–"; return ;; esac
  awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a/b; else print "–" }'
}
row() {
  local label=$1 i=$2 expr=$3 k n
  k=$(fig kandid "$i" "$expr"); n=$(fig node "$i" "$expr")
  echo "| $label | $k | $n | $(ratio "$k" "$n") |"
}
round() { echo "(. * 10 | round) / 10"; }

section() {
  echo "<!-- socket-results:begin (written by tests/bench/socket.sh) -->"
  echo "### Socket.IO run of $(date -u '+%Y-%m-%d %H:%M UTC'), kandid $(git rev-parse --short HEAD)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), \
$(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r); load average at the end \
$(cut -d' ' -f1-3 /proc/loadavg). kandid release build on SQLite, Node $(node --version) with \
bench-node (socket.io 4.8); both started fresh, running side by side, and kandid-bench on the same cores."
  echo
  echo '```sh'
  echo "IDLE=$IDLE FANOUT=$FANOUT FANOUT_RATE=$FANOUT_RATE SMALL=$SMALL SMALL_RATE=$SMALL_RATE SAT=$SAT SAT_RATE=$SAT_RATE SAT_RATE2=$SAT_RATE2 DURATION=$DURATION tests/bench/socket.sh"
  echo '```'
  echo
  echo "| figure | kandid | Node | kandid ÷ Node |"
  echo "|---|---|---|---|"
  row "$IDLE idle sockets: server RSS per socket (KiB)" 0 ".kib_per_socket | $(round)"
  row "$IDLE idle sockets: connected / failed" 0 '"\(.connected) / \(.failed)"'
  local i=1 n rate
  for spec in "$FANOUT:$FANOUT_RATE" "$SMALL:$SMALL_RATE" "$SAT:$SAT_RATE" "$SAT:$SAT_RATE2"; do
    n=${spec%%:*} rate=${spec##*:}
    row "$n × $rate writes/s: server CPU per delivery (µs)" $i ".server_cpu_us_per_delivery | $(round)"
    row "$n × $rate writes/s: of which in user space / in the kernel (µs)" $i '"\(.server_user_cpu_us_per_delivery * 10 | round / 10) / \((.server_cpu_us_per_delivery - .server_user_cpu_us_per_delivery) * 10 | round / 10)"'
    row "$n × $rate writes/s: delivery latency p50 / p99 / max (ms)" $i '"\(.latency.p50_ms|round) / \(.latency.p99_ms|round) / \(.latency.max_ms|round)"'
    row "$n × $rate writes/s: delivery latency p99 (ms)" $i ".latency.p99_ms | $(round)"
    row "$n × $rate writes/s: deliveries/s" $i ".deliveries_per_s | round"
    row "$n × $rate writes/s: writes/s sent / write p99 (ms)" $i '"\(.write_rate|round) / \(.write_latency.p99_ms|round)"'
    row "$n × $rate writes/s: expected / received / lost / duplicated" $i '"\(.expected) / \(.received) / \(.lost) / \(.duplicated)"'
    row "$n × $rate writes/s: generator CPU per delivery (µs)" $i ".client_cpu_us_per_delivery | $(round)"
    i=$((i + 1))
  done
  echo
  echo "Raw records: \`$RUN/{kandid,node}.ndjson\`."
  if [ ${#FAILED[@]} -gt 0 ]; then echo; echo "Failed scenarios: ${FAILED[*]}"; fi
  echo "<!-- socket-results:end -->"
}
section >"$RUN/section.md"
if grep -q 'socket-results:begin' "$OUT"; then
  awk -v f="$RUN/section.md" '
    /socket-results:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
    /socket-results:end/ { skip = 0; next }
    !skip' "$OUT" >"$RUN/out.md"
  cp "$RUN/out.md" "$OUT"
else
  { echo; cat "$RUN/section.md"; } >>"$OUT"
fi
cat "$RUN/section.md"
log "results in $OUT; raw records in $RUN"
[ ${#FAILED[@]} -eq 0 ]
