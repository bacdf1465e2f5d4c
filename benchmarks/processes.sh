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
