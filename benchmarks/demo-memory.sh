#!/usr/bin/env bash
# benchmarks/demo-memory.sh [throttled|unthrottled|both] [per-minute] [alpaca|massive]: peak resident memory
# (VmHWM) of every process `./backfill demo [--provider massive]` starts (the three functions and the market
# simulator), on a fresh database each time.
#
# throttled:   provider and simulator at <per-minute> requests a minute (default 60: the shared budget starts
#              full, so at Alpaca Basic's 200 the demo's ~80 requests never wait; at 60 most of them do).
# unthrottled: no simulator limit and a budget no backfill reaches.
# Needs the jars built (./mvnw -DskipTests package) and PostgreSQL on 127.0.0.1:5432. Prints one table per run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source benchmarks/processes.sh
mode="${1:-both}"
per_minute="${2:-60}"
provider="${3:-alpaca}"
pg_host="${PGHOST:-127.0.0.1}"

run() {
  local label="$1"; shift
  local db="bars_bench_memory_${label}"
  local state; state="$(mktemp -d)"
  psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
  echo "== demo $label ($*), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  env "$@" DATABASE_URL="postgresql://postgres@$pg_host:5432/$db" BACKFILL_STATE_DIR="$state" BACKFILL_NO_BUILD=1 \
      ./backfill demo --provider "$provider" > "$state/demo.out" 2>&1 &
  local cli=$!
  sample_peaks "$cli" "$state/peaks"
  local rc=0; wait "$cli" || rc=$?
  echo "exit $rc, load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E '^(demo (done|FAILED)|audit|ready in|this run|provider requests)' "$state/demo.out" || true
  print_peaks "$state/peaks"
  echo "(output and logs: $state)"
  psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db"
}

case "$mode" in
  throttled|both) run throttled SIMULATOR_REQUESTS_PER_MINUTE="$per_minute" BACKFILL_RATE_LIMIT_PER_MINUTE="$per_minute" \
      SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE="$per_minute" BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE="$per_minute" ;;&
  unthrottled|both) run unthrottled SIMULATOR_REQUESTS_PER_MINUTE=0 BACKFILL_RATE_LIMIT_PER_MINUTE=1000000 \
      SIMULATOR_MASSIVE_REQUESTS_PER_MINUTE=0 BACKFILL_MASSIVE_RATE_LIMIT_PER_MINUTE=1000000 ;;
  throttled) ;;
  *) echo "usage: $0 [throttled|unthrottled|both] [per-minute] [alpaca|massive]" >&2; exit 64 ;;
esac
