#!/usr/bin/env bash
# benchmarks/queue-throughput.sh [runs=10000]: runs per second through the orchestrator's claim, HTTP dispatch and
# fenced completion (no-op fetcher), against pgbench (bare SKIP LOCKED claim + completion, batch 1 and 50) and
# graphile-worker (no-op jobs), on one database in one run (docs/benchmarks.md).
# Needs ./mvnw -DskipTests package, PostgreSQL on 127.0.0.1:5432, pgbench, Node.js and npm. graphile-worker is
# installed under benchmarks/target/ (never committed). QUEUE_JFR=<file> records the orchestrator with JFR and
# prints the hottest frames.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=benchmarks/target/graphile-worker
if [ ! -d "$dir/node_modules/graphile-worker" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund graphile-worker@0.16.6 >&2
fi
java -cp benchmarks/target/benchmarks.jar io.barsbackfill.benchmarks.QueueThroughputBenchmark "${1:-10000}" "$dir" \
  ${QUEUE_JFR:+"$(realpath -m "$QUEUE_JFR")"}
if [ -n "${QUEUE_JFR:-}" ] && [ -f "$QUEUE_JFR" ]; then
  echo; echo "hottest frames of the orchestrator (JFR execution samples, top of stack):"
  jfr print --events jdk.ExecutionSample "$QUEUE_JFR" | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
    | sort | uniq -c | sort -rn | head -n 20
fi
