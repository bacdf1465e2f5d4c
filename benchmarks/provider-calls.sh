#!/usr/bin/env bash
# benchmarks/provider-calls.sh [per-minute=200]: the demo scenario on a fresh database against the simulator
# limited to <per-minute> requests a minute (the shared rate budget set to the same); the provider requests the
# simulator counted (GET /_simulator/stats, polled every 0.5 s), against the minimum ceil(bars / 10,000), and the
# wall time of the backfill against requests / rate. Needs the jars built and PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
per_minute="${1:-200}"
pg_host="${PGHOST:-127.0.0.1}"
db="bars_bench_calls"
state="$(mktemp -d)"
psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
echo "provider calls: demo at $per_minute requests a minute, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
SIMULATOR_REQUESTS_PER_MINUTE="$per_minute" BACKFILL_RATE_LIMIT_PER_MINUTE="$per_minute" \
  DATABASE_URL="postgresql://postgres@$pg_host:5432/$db" BACKFILL_STATE_DIR="$state" BACKFILL_NO_BUILD=1 \
  ./backfill demo > "$state/demo.out" 2>&1 &
cli=$!
stats=""
simulator=""
while kill -0 "$cli" 2>/dev/null; do
  # the simulator the demo started, at the address it printed (18080 unless that port was taken)
  [ -n "$simulator" ] || simulator="$(sed -n 's#^ *market-simulator *\(http://[^ ]*\).*#\1#p' "$state/demo.out")"
  now="$([ -n "$simulator" ] && curl -fsS "$simulator/_simulator/stats" 2>/dev/null || true)"
  [ -n "$now" ] && stats="$now"
  sleep 0.5
done
rc=0; wait "$cli" || rc=$?
echo "exit $rc, load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^(this run|demo (done|FAILED))' "$state/demo.out" || true
requests="$(sed -n 's/.*"bar_requests" *: *\([0-9]*\).*/\1/p' <<< "$stats")"
bars="$(psql -h "$pg_host" -U postgres -d "$db" -qAt -c "SELECT count(*) FROM ohlc_bars")"
seconds="$(sed -n 's/^this run: .* in \([0-9.]*\) s = .*/\1/p' "$state/demo.out")"
python3 - "$requests" "$bars" "$per_minute" "${seconds:-0}" <<'PY'
import math, sys
requests, bars, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
least = math.ceil(bars / 10000)
print(f"requests {requests} (the enqueue probes included), bars {bars:,}, ceil(bars / 10,000) = {least}: "
      f"{requests / least:.2f}x")
print(f"backfill {seconds:.1f} s against requests / rate = {requests * 60 / rate:.1f} s")
PY
echo "(output and logs: $state)"
psql -h "$pg_host" -U postgres -qAt -c "DROP DATABASE IF EXISTS $db"
