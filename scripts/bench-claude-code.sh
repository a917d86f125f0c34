#!/usr/bin/env bash
# bench-claude-code.sh: `skill-forge import --from claude-code` on synthetic
# transcripts, in MB/s, next to two yardsticks on the same files in the same run:
# reading them (cat) and parsing every line with Python's json module (C-accelerated).
#
#   scripts/bench-claude-code.sh                 # 200 sessions, about 270 MB
#   SESSIONS=400 scripts/bench-claude-code.sh
#
# The transcripts come from Benchmarks' generate-workload (TranscriptWorkload): shaped
# like real ones, 2.2 KB a line on average. The import runs twice: into an empty
# database, then again (every row already stored: the idempotent re-import users run daily).
set -euo pipefail
SESSIONS=${SESSIONS:-200}
WORK=${WORK:-/tmp/skill-forge-bench-claude-code}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$WORK"
mkdir -p "$WORK"

echo "building (release)" >&2
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
(cd "$ROOT/Benchmarks" && swift build -c release --product generate-workload >&2)
SF="$ROOT/.build/release/skill-forge"
"$ROOT/Benchmarks/.build/release/generate-workload" --claude-code "$WORK/projects" --sessions "$SESSIONS" >&2
BYTES=$(cat "$WORK"/projects/*.jsonl | wc -c)

# measure LABEL CMD...: wall time, MB/s over the transcripts' bytes and peak RSS of one run.
measure() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null
    read -r t m < "$WORK/time.txt"
    python3 - "$label" "$t" "$m" "$BYTES" <<'PY'
import sys
label, t, rss, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"| {label} | {t:.2f} s | {size / 1e6 / t:,.0f} MB/s | {rss / 1024:.0f} MB |")
PY
}

echo "transcripts: $SESSIONS files, $(( BYTES / 1000000 )) MB, $(cat "$WORK"/projects/*.jsonl | wc -l) lines; $(nproc) cores"
echo
echo "| reader (process start to exit) | wall | throughput | peak RSS |"
echo "|---|---:|---:|---:|"
cat "$WORK"/projects/*.jsonl > /dev/null # warm the page cache for every reader alike
measure "cat (reading the files)" sh -c "cat '$WORK'/projects/*.jsonl"
measure "python3 json.loads of every line" python3 -c '
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*.jsonl"):
    with open(path, "rb") as f:
        for line in f: json.loads(line)' "$WORK/projects"
measure "skill-forge import --from claude-code (empty database)" "$SF" import --db "$WORK/sf.db" --from claude-code "$WORK/projects"
measure "skill-forge import --from claude-code (again: all stored)" "$SF" import --db "$WORK/sf.db" --from claude-code "$WORK/projects"
echo
echo "rows stored: $(sqlite3 "$WORK/sf.db" 'SELECT COUNT(*) FROM skill_metrics')"
