#!/usr/bin/env bash
# bench-export.sh: `skill-forge export` in each format next to the sqlite3 shell
# writing the same rows (every column, id order) as CSV and JSON, in one run, so
# the result is a ratio. Output goes to files under $WORK (default /tmp).
#
#   DB=/tmp/skill-forge-10m.db scripts/bench-export.sh
#
# Make the database first (10 million rows over 200 skills):
#   (cd Benchmarks && swift run -c release generate-workload --db /tmp/skill-forge-10m.db)
set -euo pipefail
DB=${DB:?set DB to a database made by generate-workload}
WORK=${WORK:-/tmp}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"
ROWS=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM skill_metrics')
OUT="$WORK/skill-forge-bench-export.out"

# measure LABEL CMD...: wall time, rows/s and peak RSS of one run (output to $OUT).
measure() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/bench-export-time.txt" "$@" > "$OUT"
    read -r t m < "$WORK/bench-export-time.txt"
    local bytes; bytes=$(stat -c %s "$OUT")
    python3 - "$label" "$t" "$m" "$ROWS" "$bytes" <<'PY'
import sys
label, t, rss, rows, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {label} | {t:.1f} s | {rows / t:,.0f} | {size / 1e6 / t:.0f} MB/s | {rss / 1024:.0f} MB |")
PY
    rm -f "$OUT"
}

echo "database: $DB ($ROWS rows), sqlite $(sqlite3 --version | cut -d' ' -f1), $(nproc) cores"
echo
echo "| exporter (process start to exit) | wall | rows/s | output | peak RSS |"
echo "|---|---:|---:|---:|---:|"
measure "sqlite3 -csv -header: SELECT * ORDER BY id" sqlite3 -csv -header "$DB" "SELECT * FROM skill_metrics ORDER BY id"
measure "skill-forge export --format csv" "$SF" export --db "$DB" --format csv
measure "sqlite3 -json: SELECT * ORDER BY id" sqlite3 -json "$DB" "SELECT * FROM skill_metrics ORDER BY id"
measure "skill-forge export --format jsonl" "$SF" export --db "$DB" --format jsonl
measure "skill-forge export --format otlp" "$SF" export --db "$DB" --format otlp
