#!/usr/bin/env bash
# bench-reads.sh: the read commands on existing databases of the peers' workload (as
# `KEEP=1 scripts/compare-peers.sh` leaves them in $WORK/sf-N.db), medians of 3 whole
# processes, next to the seed's GROUP BY with the same filter in Python's sqlite3 on the
# same file (median of 3).
#
#   scripts/bench-reads.sh /tmp/skill-forge-compare-peers/sf-*.db
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -gt 0 ] || { echo "usage: $0 DATABASE..." >&2; exit 64; }
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"
# The last 7 of the workload's 30 days (it starts at 1,700,000,000,000 ms).
WINDOW_START=$((1700000000000 + 23 * 86400000))
SINCE=$(python3 -c "import datetime; print(datetime.datetime.fromtimestamp($WINDOW_START / 1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))")
echo "| database | command | median |"
echo "|---|---|---:|"
for db in "$@"; do
    for args in "stats" "stats --version 2.0" "stats --since $SINCE" "stats skill-017" \
        "stats skill-017 --version 2.0" "skills" "compare skill-017 --baseline 1.0 --candidate 2.0"; do
        python3 - "$db" "$args" "$SF" <<'PY'
import statistics, subprocess, sys, time
db, args, sf = sys.argv[1:]
times = []
for _ in range(3):
    started = time.perf_counter()
    done = subprocess.run([sf, *args.split(), "--db", db, "--format", "json"], capture_output=True)
    if done.returncode != 0:
        sys.exit(f"{args} failed: {done.stderr.decode()}")
    times.append((time.perf_counter() - started) * 1e3)
print(f"| {db} | `skill-forge {args}` | {statistics.median(times):,.1f} ms |")
PY
    done
    python3 - "$db" "$WINDOW_START" <<'PY'
import sqlite3, statistics, sys, time
db, start = sys.argv[1:]
connection = sqlite3.connect(db)
for label, condition, arguments in [("version 2.0", "WHERE version = ?", ["2.0"]),
                                    ("last 7 days", "WHERE timestamp >= ?", [int(start)])]:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        connection.execute(
            "SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success) "
            f"FROM skill_metrics {condition} GROUP BY skill_id", arguments).fetchall()
        times.append((time.perf_counter() - started) * 1e3)
    print(f"| {db} | seed's `GROUP BY`, {label} | {statistics.median(times):,.1f} ms |")
PY
done
