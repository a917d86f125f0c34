#!/bin/sh
# time-tracker: an example skill for `skill-forge profile`.
#
# Tallies the minutes per project in a time log (CSV: date,project,minutes,note)
# and prints a report, busiest project first. Deterministic local work, no network.
#
#   ./run.sh [LOG]          # LOG defaults to timelog.csv next to this script
#
# When run by `skill-forge profile`, it reports token usage the way an LLM-backed
# skill would: as JSON in the file named by $SKILL_FORGE_USAGE_FILE. Here the
# "tokens" are the words it read and wrote.
set -eu
here=$(dirname "$0")
log=${1:-"$here/timelog.csv"}
[ -r "$log" ] || { echo "time-tracker: cannot read $log" >&2; exit 2; }

report=$(awk -F, 'NR > 1 && $3 ~ /^[0-9]+$/ { minutes[$2] += $3; total += $3; days[$1] = 1 }
    END {
        for (p in minutes) printf "%-14s %5.1f h\n", p, minutes[p] / 60 | "sort -k2 -rn"
        close("sort -k2 -rn")
        n = 0; for (d in days) n++
        printf "%-14s %5.1f h over %d days\n", "total", total / 60, n
    }' "$log")
printf '%s\n' "$report"

if [ -n "${SKILL_FORGE_USAGE_FILE:-}" ]; then
    words_in=$(wc -w < "$log" | tr -d ' ')
    words_out=$(printf '%s\n' "$report" | wc -w | tr -d ' ')
    printf '{"tokens_in": %s, "tokens_out": %s, "model": "local-awk"}\n' "$words_in" "$words_out" \
        > "$SKILL_FORGE_USAGE_FILE"
fi
