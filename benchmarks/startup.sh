#!/usr/bin/env bash
# benchmarks/startup.sh [starts=5]: time from process start to the first answered request of each function, as
# ./backfill starts them (docs/benchmarks.md). Needs ./mvnw -DskipTests package and PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec java -cp benchmarks/target/benchmarks.jar io.barsbackfill.benchmarks.StartupBenchmark "${1:-5}"
