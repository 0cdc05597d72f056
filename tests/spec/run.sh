#!/usr/bin/env bash
# Runs schemathesis from the committed openapi/openapi.json against a real server (a
# fresh SQLite data dir, a random port), signed in as a workspace owner, with every
# check; fails on any failure and prints how many cases ran.
#   SCHEMATHESIS      the schemathesis executable (default: the one .ci/run installs, or PATH)
#   SPEC_MAX_EXAMPLES cases per operation and phase (default 40)
#   SPEC_SEED         the run's seed (default 1, so CI is reproducible)
#   SPEC_MIN_CASES    fewer cases than this fail the run (default 2000)
set -euo pipefail
cd "$(dirname "$0")/../.."

ST="${SCHEMATHESIS:-}"
if [ -z "$ST" ]; then
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/kandid/schemathesis-$(sha256sum tests/spec/requirements.txt | cut -c1-12)"
  if [ -x "$venv/bin/schemathesis" ]; then ST="$venv/bin/schemathesis"; else ST=schemathesis; fi
fi
command -v "$ST" >/dev/null || { echo "schemathesis not found (tests/spec/install.sh installs it)" >&2; exit 1; }

# Built now (a stale binary would be tested otherwise), wherever CARGO_TARGET_DIR puts it.
bin=$(node tests/socket/lib/bin.mjs)
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Throttling off: the run registers and logs in far more often than a person would.
secret=spec-run-secret-0123456789abcdef
env -u DATABASE_URL -u REDIS_URL BIND=127.0.0.1 PORT=0 DATA_DIR="$work/data" \
  JWT_SECRET=$secret AUTH_RATE_PER_MINUTE=0 LOG_FORMAT=json RUST_LOG=warn \
  "$bin" serve >"$work/stdout" 2>"$work/stderr" &
server=$!
for _ in $(seq 600); do
  grep -q '^listening on ' "$work/stdout" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
addr=$(sed -n 's|^listening on \(http://\)\{0,1\}||p' "$work/stdout")
[ -n "$addr" ] || { echo "the server did not start" >&2; cat "$work/stderr" >&2; exit 1; }
base="http://$addr"

token=$(JWT_SECRET=$secret python3 tests/spec/fixtures.py "$base" tests/spec/schemathesis.toml "$work/schemathesis.toml")

"$ST" --config-file "$work/schemathesis.toml" run openapi/openapi.json --url "$base" \
  -H "Authorization: Bearer $token" \
  --checks all \
  --max-examples "${SPEC_MAX_EXAMPLES:-40}" \
  --seed "${SPEC_SEED:-1}" \
  --workers 2 \
  --no-color --continue-on-failure | tee "$work/out"

cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$work/out")
echo "schemathesis: ${cases:-0} cases, 0 failures"
if [ "${cases:-0}" -lt "${SPEC_MIN_CASES:-2000}" ]; then
  echo "fewer cases than ${SPEC_MIN_CASES:-2000}" >&2
  exit 1
fi

# What the run reached: responses by status class for each route, from the server's own
# metrics (so a run that only ever got 401 or 404 shows as such).
python3 tests/spec/statuses.py "$base/metrics"

if grep -q 'panicked' "$work/stderr"; then
  echo "the server panicked:" >&2
  grep 'panicked' "$work/stderr" >&2
  exit 1
fi
