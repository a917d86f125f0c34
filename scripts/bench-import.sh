#!/usr/bin/env bash
# bench-import.sh: JSONL import by skill-forge next to the sqlite3 shell loading the
# same rows (CSV .import into a staging table, then INSERT … SELECT) into the same
# schema and indexes, in one run, so the result is a ratio.
#
#   scripts/bench-import.sh              # 1,000,000 rows
#   ROWS=10000000 scripts/bench-import.sh
#
# Both sides get the same page cache (40 MiB, what skill-forge gives its writer), WAL and synchronous=NORMAL, and
# store the same rows with the same run ids (skill-forge derives them from the
# JSONL; the CSV carries them precomputed). Needs about 3 GB of free space per
# 10 million rows under $WORK (default /tmp/skill-forge-bench-import).
set -euo pipefail
ROWS=${ROWS:-1000000}
WORK=${WORK:-/tmp/skill-forge-bench-import}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$WORK"
rm -f "$WORK"/*.db* "$WORK"/rows.jsonl "$WORK"/rows.csv

echo "building (release)" >&2
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
(cd "$ROOT/Benchmarks" && swift build -c release --product generate-workload >&2)
SF="$ROOT/.build/release/skill-forge"
GEN="$ROOT/Benchmarks/.build/release/generate-workload"

echo "generating $ROWS rows" >&2
"$GEN" --jsonl "$WORK/rows.jsonl" --csv "$WORK/rows.csv" --rows "$ROWS"
# Two empty databases with Skill Forge's schema and indexes.
"$GEN" --db "$WORK/sqlite3.db" --rows 0 --compare-runs 0 >/dev/null
"$GEN" --db "$WORK/skill-forge.db" --rows 0 --compare-runs 0 >/dev/null

seconds() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }
now() { date +%s.%N; }

echo "sqlite3 shell: .import + INSERT … SELECT" >&2
start=$(now)
sqlite3 "$WORK/sqlite3.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -40960;
CREATE TEMP TABLE staging (skill_id TEXT, execution_ms INTEGER, tokens_in INTEGER, tokens_out INTEGER,
                           success INTEGER, timestamp INTEGER, run_id TEXT);
.mode csv
.import --skip 1 $WORK/rows.csv staging
INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id)
  SELECT skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id FROM staging;
SQL
sqlite_s=$(seconds "$start" "$(now)")

echo "skill-forge import --from jsonl" >&2
start=$(now)
/usr/bin/time -f "%M" -o "$WORK/rss.txt" "$SF" import --db "$WORK/skill-forge.db" --from jsonl "$WORK/rows.jsonl" >&2
forge_s=$(seconds "$start" "$(now)")
rss_mb=$(( $(cat "$WORK/rss.txt") / 1024 ))

check() { sqlite3 "$1" "SELECT COUNT(*), SUM(execution_ms), SUM(tokens_in + tokens_out), SUM(success), COUNT(DISTINCT run_id) FROM skill_metrics"; }
a=$(check "$WORK/sqlite3.db"); b=$(check "$WORK/skill-forge.db")
[ "$a" = "$b" ] || { echo "the two databases differ: $a vs $b" >&2; exit 1; }

python3 - "$ROWS" "$sqlite_s" "$forge_s" "$rss_mb" <<'PY'
import sys
rows, sqlite_s, forge_s, rss = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"rows: {rows:,}  (same rows, schema, indexes and run ids in both databases: checked)")
print(f"sqlite3 shell (.import CSV + INSERT … SELECT): {sqlite_s:8.1f} s  {rows / sqlite_s:10,.0f} rows/s")
print(f"skill-forge import --from jsonl:               {forge_s:8.1f} s  {rows / forge_s:10,.0f} rows/s  peak RSS {rss} MB")
print(f"ratio (skill-forge / sqlite3 speed): {sqlite_s / forge_s:.2f}")
PY
