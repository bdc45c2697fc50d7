#!/usr/bin/env bash
# step.sh NAME COMMAND...: run one step of make test, print its duration, and add a row to $STEPS_FILE
# (.build/logs/steps.tsv: name, result, seconds); step.sh --table prints those rows as a table with the wall time.
set -u
file="${STEPS_FILE:-.build/logs/steps.tsv}"
if [ "${1:-}" = --table ]; then
  [ -s "$file" ] || { echo "no step ran"; exit 1; }
  printf '\n%-16s %-7s %8s\n' step result seconds
  sort -t$'\t' -k4,4n "$file" | while IFS=$'\t' read -r name result seconds _start; do
    printf '%-16s %-7s %8s\n' "$name" "$result" "$seconds"
  done
  first="$(cut -f4 "$file" | sort -n | head -1)"
  printf '%-16s %-7s %8s\n' "wall time" "" "$(( $(date +%s) - first ))"
  exit 0
fi
name="$1"; shift
mkdir -p "$(dirname "$file")"
start="$(date +%s)"
echo "== step $name: started at $(date -u +%H:%M:%S)"
"$@"
rc=$?
seconds=$(( $(date +%s) - start ))
result="$([ "$rc" = 0 ] && echo passed || echo FAILED)"
printf '%s\t%s\t%s\t%s\n' "$name" "$result" "$seconds" "$start" >> "$file"
echo "== step $name: $result in ${seconds}s"
[ "$rc" = 0 ] || STEPS_FILE="$file" "$0" --table
exit "$rc"
