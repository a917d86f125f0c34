#!/usr/bin/env bash
# Load test of the collector on loopback with wrk (Debian's package): batches of 100 runs,
# then single-run requests, each for DURATION seconds, then counts the stored rows with
# the sqlite3 shell (every acknowledged run must be there) and reads the server's peak RSS.
#
#   scripts/bench-serve.sh                  # release build, 20 s per phase
#   DURATION=60 CONNECTIONS=32 scripts/bench-serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product skill-forge >/dev/null
binary="$(swift build -c release --show-bin-path)/skill-forge"

work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$binary" serve --db "$work/bench.db" --port 0 >"$work/out.txt" 2>"$work/err.txt" &
server=$!
for _ in $(seq 1 100); do grep -q "collector on" "$work/out.txt" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/out.txt")
url="http://127.0.0.1:$port"

echo "== batches of 100 runs: $CONNECTIONS connections, $THREADS threads, ${DURATION}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/wrk/metrics-batch.lua "$url" -- 100 batch \
    2>"$work/wrk-batch.err" | tee "$work/wrk-batch.txt"
echo "== single-run requests: $CONNECTIONS connections, $THREADS threads, ${DURATION}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/wrk/metrics-batch.lua "$url" -- 1 single \
    2>"$work/wrk-single.err" | tee "$work/wrk-single.txt"

rss=$(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$server/status")
kill "$server"; wait "$server" 2>/dev/null || true; server=""
rows=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM skill_metrics")
batch_requests=$(awk '/requests in/ {print $1}' "$work/wrk-batch.txt")
single_requests=$(awk '/requests in/ {print $1}' "$work/wrk-single.txt")
unexpected=$(cat "$work/wrk-batch.err" "$work/wrk-single.err" | grep -c "unexpected status" || true)
echo "== rows stored: $rows (acknowledged: $((batch_requests * 100 + single_requests)); every acknowledged run is stored, so this is at most the rows; non-201 answers: $unexpected)"
echo "== server peak RSS: $rss"
