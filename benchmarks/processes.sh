# Sourced by the benchmark scripts: peak resident memory of the processes a ./backfill command starts.

# VmHWM (the kernel's peak resident set) of a process in kB; empty once it has gone.
hwm() { { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; } 2>/dev/null || true; }

# The module a started JVM runs (<module>/target/... after -jar in its command line).
module() { { tr '\0' ' ' < "/proc/$1/cmdline"; } 2>/dev/null | sed -n 's#.* -jar [^ ]*/\([a-z-]*\)/target/.*#\1#p' || true; }

# sample_peaks PARENT_PID OUT_FILE: until PARENT_PID exits, every 0.25 s, keeps the highest VmHWM of each
# child JVM in OUT_FILE as "module kB" lines.
sample_peaks() {
  local parent="$1" out="$2" pid name kb
  declare -A peak=()
  while kill -0 "$parent" 2>/dev/null; do
    for pid in $(pgrep -P "$parent" || true); do
      name="$(module "$pid")"; kb="$(hwm "$pid")"
      [ -n "$name" ] && [ -n "$kb" ] || continue
      if [ -z "${peak[$name]:-}" ] || [ "$kb" -gt "${peak[$name]}" ]; then peak[$name]=$kb; fi
    done
    : > "$out.next"
    for name in "${!peak[@]}"; do echo "$name ${peak[$name]}" >> "$out.next"; done
    mv -f "$out.next" "$out"
    sleep 0.25
  done
}

# print_peaks FILE: the table of peak RSS in MB.
print_peaks() {
  printf '%-18s %12s\n' process 'peak RSS MB'
  sort "$1" | while read -r name kb; do printf '%-18s %12d\n' "$name" $(( kb / 1024 )); done
}

# CPU time (user + system, clock ticks) of a process; 0 once it has gone.
cpu_ticks() { { awk '{print $14 + $15}' "/proc/$1/stat"; } 2>/dev/null || echo 0; }

# CPU ticks the PostgreSQL server used so far: the postmaster's own and its reaped children's (backends that
# ended), plus its live children's.
postgres_ticks() {
  local pm total pid
  pm="$(pgrep -o -x postgres || true)"
  [ -n "$pm" ] || { echo 0; return; }
  total="$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")"
  for pid in $(pgrep -P "$pm" || true); do total=$(( total + $(cpu_ticks "$pid") )); done
  echo "$total"
}

# cpu_snapshot PARENT OUT: "name ticks" lines for each JVM started under PARENT and for PostgreSQL.
cpu_snapshot() {
  local pid name
  : > "$2"
  for pid in $(pgrep -P "$1" || true); do
    name="$(module "$pid")"; [ -n "$name" ] && echo "$name $(cpu_ticks "$pid")" >> "$2"
  done
  echo "postgresql $(postgres_ticks)" >> "$2"
}

# print_cpu BEFORE AFTER SECONDS: CPU seconds each process used between two snapshots, and its share of the
# machine's cores over those wall seconds.
print_cpu() {
  local hz cores; hz="$(getconf CLK_TCK)"; cores="$(nproc)"
  printf '%-18s %10s %12s\n' process 'CPU s' "of $cores cores"
  join <(sort "$1") <(sort "$2") | while read -r name before after; do
    awk -v n="$name" -v d=$(( after - before )) -v hz="$hz" -v s="$3" -v c="$cores" \
      'BEGIN { printf "%-18s %10.1f %11.0f%%\n", n, d / hz, 100 * d / hz / s / c }'
  done
}
