#!/usr/bin/env bash
# benchmarks/scale.sh [tickers=500] [from=2024-01-01] [to=2026-01-01]: one h1 backfill of <tickers> synthetic
# tickers (extended session) on an unthrottled simulator, driven by ticks as fast as they end; wall time, bars/s
# and peak RSS of each process, then COPY of the same rows into the same emptied table (the reference), in the
# same run. Needs the jars built and PostgreSQL on 127.0.0.1:5432 (docs/benchmarks.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source benchmarks/processes.sh
tickers="${1:-500}"; from="${2:-2024-01-01}"; to="${3:-2026-01-01}"
pg_host="${PGHOST:-127.0.0.1}"
db="bars_bench_scale_${tickers}"
state="$(mktemp -d)"
sql() { psql -h "$pg_host" -U postgres -d "$db" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

# S + three letters: 500 tickers the simulator serves (SIMULATOR_UNIVERSE) and the database accepts
symbols="$(for i in $(seq 0 $((tickers - 1))); do
  printf 'S%s%s%s\n' "$(printf "\\$(printf %o $((65 + i / 676 % 26)))")" "$(printf "\\$(printf %o $((65 + i / 26 % 26)))")" \
    "$(printf "\\$(printf %o $((65 + i % 26)))")"; done | paste -sd, -)"

psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
export DATABASE_URL="postgresql://postgres@$pg_host:5432/$db" BACKFILL_STATE_DIR="$state" BACKFILL_NO_BUILD=1
export SIMULATOR_UNIVERSE="$symbols" SIMULATOR_REQUESTS_PER_MINUTE=0 BACKFILL_RATE_LIMIT_PER_MINUTE=1000000
export BACKFILL_ORCHESTRATOR_SCHEDULE=off BACKFILL_ORCHESTRATOR_TICK_BUDGET=600s
# a loaded machine migrates a fresh database and starts four JVMs slowly; the production lease (and so dispatch
# timeout) of 5 minutes keeps a dispatch of ten pages from timing out there
export BACKFILL_READY_TIMEOUT="${BACKFILL_READY_TIMEOUT:-900}"
export BACKFILL_QUEUE_LEASE_DURATION="${BACKFILL_QUEUE_LEASE_DURATION:-300s}"
echo "scale: $tickers tickers, h1, $from .. $to, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
./backfill start > "$state/start.out" 2>&1 &
start_pid=$!
trap 'kill "$start_pid" 2>/dev/null || true' EXIT
sample_peaks "$start_pid" "$state/peaks" &
until grep -q '^running' "$state/start.out"; do
  kill -0 "$start_pid" 2>/dev/null || { cat "$state/start.out"; exit 1; }
  sleep 0.5
done
export BACKFILL_ORCHESTRATOR_URL="$(sed -n 's#^orchestrator \(http://[^ ]*\)/orchestrator.*#\1#p' "$state/start.out")"

cpu_snapshot "$start_pid" "$state/cpu.before"
t0=$(date +%s.%N)
./backfill enqueue --name "SCALE_$tickers" --symbols "$symbols" --timeframe h1 \
  --from "${from}T00:00:00Z" --to "${to}T00:00:00Z" > "$state/enqueue.out"
while [ "$(sql "SELECT count(*) FROM job_runs WHERE status IN ('queued', 'running')")" != 0 ] \
      || [ "$(sql "SELECT count(*) FROM job_runs")" = 0 ]; do
  ./backfill tick > /dev/null
done
t1=$(date +%s.%N)
cpu_snapshot "$start_pid" "$state/cpu.after"
bars="$(sql "SELECT count(*) FROM ohlc_bars")"
runs="$(sql "SELECT count(*) || ' runs, ' || count(*) FILTER (WHERE status = 'success') || ' succeeded' FROM job_runs")"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
kill "$start_pid"; wait "$start_pid" 2>/dev/null || true
sleep 1

# the reference: COPY of the same rows into the same (emptied) table over loopback
psql -h "$pg_host" -U postgres -d "$db" -qAt -c "\\copy (SELECT * FROM ohlc_bars) TO '$state/bars.csv' (FORMAT csv)"
sql "TRUNCATE ohlc_bars"; sql "CHECKPOINT"
c0=$(date +%s.%N)
psql -h "$pg_host" -U postgres -d "$db" -qAt -c "\\copy ohlc_bars FROM '$state/bars.csv' (FORMAT csv)"
c1=$(date +%s.%N)
rm -f "$state/bars.csv"

awk -v b="$bars" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v runs="$runs" -v ld="$load_end" 'BEGIN {
  w = t1 - t0; c = c1 - c0
  printf "backfill: %s, %d bars in %.1f s = %.0f bars/s (enqueue to the last run done; load average at end %s)\n", runs, b, w, b / w, ld
  printf "COPY of the same rows: %.1f s = %.0f rows/s; backfill = %.2f x COPY\n", c, b / c, (b / w) / (b / c) }'
print_peaks "$state/peaks"
echo "CPU during the backfill (enqueue to the last run done):"
print_cpu "$state/cpu.before" "$state/cpu.after" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db"
echo "(logs: $state/logs)"
