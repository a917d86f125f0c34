#!/usr/bin/env bash
# compare-peers.sh: Skill Forge next to the raw SQLite C API baseline (c_raw, from
# ../shared/peers) on the same deterministic rows, interleaved in one run, as ratios.
#
#   scripts/compare-peers.sh                       # 1M rows, 3 runs (about 5 min after the builds)
#   NS="1000000 3000000 10000000" scripts/compare-peers.sh
#   NS=100000 RUNS=1 scripts/compare-peers.sh      # smoke test
#
# Each run does, for every N, in alternating order (c_raw first on odd runs, Skill Forge
# first on even ones, so that neither always gets the warmer page cache):
#   c_raw        --phases=bulk,query: one-transaction insert into the seed's schema, then
#                the peers' queries (GROUP BY of all skills, COUNT/AVG of one skill, its p95
#                by COUNT + OFFSET, DISTINCT skill_id).
#   skill-forge  import of the same rows as JSONL (idempotent: run ids derived; every row
#                has version "1.0" or "2.0"), then, each as a whole process: `stats` (every
#                skill, exact p50/p90/p95/p99), the same with --tokens-p95, over the last 7
#                days of the 30 (--since) and for one version (--version 2.0); `stats
#                skill-017`, also over the last 7 days; `skills`.
#   baselines    the seed's GROUP BY with the same window, on c_raw's file, and with the
#                same version filter, on Skill Forge's file (which has the column), each
#                timed in Python's sqlite3, REPS times.
# It prints a Markdown table of medians with the ratios docs/PERFORMANCE.md tracks, and
# keeps every measurement in $WORK/results.jsonl.
#
# Environment (all optional):
#   NS     row counts (default "1000000")        RUNS   runs per N (default 3)
#   REPS   query repetitions per c_raw run (5)   WORK   scratch directory (/tmp/skill-forge-compare-peers)
#   PEERS  the peers' directory (default ../shared/peers next to the repository)
#   KEEP   1: keep Skill Forge's database of each N's last run as $WORK/sf-N.db, for more reads
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NS=${NS:-1000000}
RUNS=${RUNS:-3}
REPS=${REPS:-5}
WORK=${WORK:-/tmp/skill-forge-compare-peers}
PEERS=${PEERS:-$ROOT/../shared/peers}
RESULTS="$WORK/results.jsonl"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
[ -f "$PEERS/c_raw.c" ] || { echo "no c_raw.c in $PEERS (set PEERS)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
: >"$RESULTS"

log "building c_raw and skill-forge (release)"
gcc -O2 -o "$WORK/c_raw" "$PEERS/c_raw.c" -lsqlite3 -lm
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
(cd "$ROOT/Benchmarks" && swift build -c release --product generate-workload >&2)
SF="$ROOT/.build/release/skill-forge"
GEN="$ROOT/Benchmarks/.build/release/generate-workload"

# measure LABEL N RUN CMD...: runs CMD under GNU time, appends {label, n, run, seconds,
# peak_rss_mb, json (CMD's last stdout line when it is JSON)} to $RESULTS.
measure() {
    local label=$1 n=$2 runno=$3
    shift 3
    python3 - "$label" "$n" "$runno" "$RESULTS" "$@" <<'PY'
import json, subprocess, sys, time
label, n, runno, results, *command = sys.argv[1:]
started = time.perf_counter()
done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
seconds = time.perf_counter() - started
if done.returncode != 0:
    sys.exit(f"{label} failed ({done.returncode}): {done.stderr.strip()}")
record = {"label": label, "n": int(n), "run": int(runno), "seconds": seconds,
          "peak_rss_mb": int(done.stderr.strip().splitlines()[-1]) / 1024}
lines = done.stdout.strip().splitlines()
if lines and lines[-1].startswith("{"):
    record["json"] = json.loads(lines[-1])
with open(results, "a") as out:
    out.write(json.dumps(record) + "\n")
PY
}

# The last 7 of the workload's 30 days (it starts at 1,700,000,000,000 ms).
WINDOW_START=$((1700000000000 + 23 * 86400000))
WINDOW_SINCE=$(python3 -c "import datetime; print(datetime.datetime.fromtimestamp($WINDOW_START / 1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))")

# time_query LABEL N RUN DB CONDITION: the seed's GROUP BY of every skill with CONDITION,
# REPS times in Python's sqlite3; appends the median milliseconds to $RESULTS.
time_query() {
    python3 - "$@" "$REPS" "$RESULTS" <<'PY'
import json, sqlite3, statistics, sys, time
label, n, runno, db, condition, reps, results = sys.argv[1:]
connection = sqlite3.connect(db)
sql = ("SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success) "
       f"FROM skill_metrics {condition} GROUP BY skill_id")
times = []
for _ in range(int(reps)):
    started = time.perf_counter()
    rows = connection.execute(sql).fetchall()
    times.append((time.perf_counter() - started) * 1e3)
with open(results, "a") as out:
    out.write(json.dumps({"label": label, "n": int(n), "run": int(runno), "ms": statistics.median(times),
                          "groups": len(rows)}) + "\n")
PY
}

database_bytes() { python3 -c 'import os, sys; print(sum(os.path.getsize(p) for p in sys.argv[1:] if os.path.exists(p)))' "$1" "$1-wal"; }

run_c_raw() {
    local n=$1 runno=$2
    rm -f "$WORK/c.db"*
    measure c_raw "$n" "$runno" "$WORK/c_raw" --n="$n" --db="$WORK/c.db" --phases=bulk,query --reps="$REPS"
    time_query group_by_window "$n" "$runno" "$WORK/c.db" "WHERE timestamp >= $WINDOW_START"
    rm -f "$WORK/c.db"*
}

run_skill_forge() {
    local n=$1 runno=$2 db="$WORK/sf.db"
    rm -f "$db"*
    measure import "$n" "$runno" "$SF" import --db "$db" "$WORK/rows-$n.jsonl"
    echo "{\"label\":\"size\",\"n\":$n,\"run\":$runno,\"bytes\":$(database_bytes "$db")}" >>"$RESULTS"
    measure stats_all "$n" "$runno" "$SF" stats --db "$db" --format json
    measure stats_all_tokens "$n" "$runno" "$SF" stats --tokens-p95 --db "$db" --format json
    measure stats_window "$n" "$runno" "$SF" stats --since "$WINDOW_SINCE" --db "$db" --format json
    measure stats_version "$n" "$runno" "$SF" stats --version 2.0 --db "$db" --format json
    measure stats_one "$n" "$runno" "$SF" stats skill-017 --db "$db" --format json
    measure stats_one_window "$n" "$runno" "$SF" stats skill-017 --since "$WINDOW_SINCE" --db "$db" --format json
    measure skills "$n" "$runno" "$SF" skills --db "$db" --format json
    time_query group_by_version "$n" "$runno" "$db" "WHERE version = '2.0'"
    if [ "${KEEP:-0}" = 1 ]; then
        rm -f "$WORK/sf-$n.db"*
        mv "$db" "$WORK/sf-$n.db"
    fi
    rm -f "$db"*
}

for n in $NS; do
    log "generating $n rows"
    rm -f "$WORK/rows-$n.jsonl"
    "$GEN" --jsonl "$WORK/rows-$n.jsonl" --versions --rows "$n" >/dev/null
    for runno in $(seq 1 "$RUNS"); do
        log "N=$n run $runno/$RUNS"
        if [ $((runno % 2)) -eq 1 ]; then
            run_c_raw "$n" "$runno"; run_skill_forge "$n" "$runno"
        else
            run_skill_forge "$n" "$runno"; run_c_raw "$n" "$runno"
        fi
    done
    rm -f "$WORK/rows-$n.jsonl"
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
from collections import defaultdict
records = [json.loads(line) for line in open(sys.argv[1])]
by = defaultdict(list)
for r in records:
    by[(r["label"], r["n"])].append(r)
def median(label, n, value):
    values = [value(r) for r in by[(label, n)]]
    return statistics.median(values) if values else float("nan")
print("| N | measure | Skill Forge | c_raw (same run) | ratio | target |")
print("|---:|---|---:|---:|---:|---|")
for n in sorted({r["n"] for r in records}):
    c = lambda key: median("c_raw", n, lambda r: r["json"][key])
    rows = [
        ("insert rows/s (import, idempotent)", median("import", n, lambda r: n / r["seconds"]), c("rows_per_s"),
         "≥ 0.5× c_raw bulk"),
        ("all skills, exact time percentiles (ms, process)", median("stats_all", n, lambda r: r["seconds"] * 1e3),
         c("q_agg_all_ms"), "≤ 0.3× GROUP BY; < 100 ms"),
        ("the same with --tokens-p95 (ms, process)", median("stats_all_tokens", n, lambda r: r["seconds"] * 1e3),
         c("q_agg_all_ms"), ""),
        ("all skills, last 7 days (ms, process)", median("stats_window", n, lambda r: r["seconds"] * 1e3),
         median("group_by_window", n, lambda r: r["ms"]), "≤ 0.3× GROUP BY, same window"),
        ("all skills, one version (ms, process)", median("stats_version", n, lambda r: r["seconds"] * 1e3),
         median("group_by_version", n, lambda r: r["ms"]), "≤ 0.3× GROUP BY, same version"),
        ("one skill, full summary (ms, process)", median("stats_one", n, lambda r: r["seconds"] * 1e3),
         c("q_agg_one_ms") + c("q_p95_one_ms"), "≤ 1.25× COUNT/AVG + p95"),
        ("one skill, last 7 days (ms, process)", median("stats_one_window", n, lambda r: r["seconds"] * 1e3),
         c("q_agg_one_ms") + c("q_p95_one_ms"), "(whole history's queries)"),
        ("skills (ms, process)", median("skills", n, lambda r: r["seconds"] * 1e3), c("q_distinct_ms"),
         "< 50 ms"),
        ("MB per million rows", median("size", n, lambda r: r["bytes"] / 1e6 / (n / 1e6)), c("mb_per_mrow"),
         "≤ 100 MB"),
    ]
    for name, ours, theirs, target in rows:
        print(f"| {n:,} | {name} | {ours:,.1f} | {theirs:,.1f} | {ours / theirs:.2f} | {target} |")
    for label in ("import", "stats_all", "stats_all_tokens", "stats_window", "stats_version", "stats_one", "skills"):
        print(f"| {n:,} | peak RSS of `{label}` (MB) | {median(label, n, lambda r: r['peak_rss_mb']):.1f} | "
              f"{median('c_raw', n, lambda r: r['peak_rss_mb']):.1f} | | "
              f"{'< 64 MB' if label == 'import' else '< 48 MB'} |")
PY
