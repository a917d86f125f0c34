#!/usr/bin/env bash
# bench-analysis.sh: the analysis commands on a large database, each next to the
# plain SQLite query that does the least work for the same answer (same file,
# same run), with wall time and peak memory.
#
#   DB=/tmp/skill-forge-10m.db scripts/bench-analysis.sh
#
# Make the database first (10 million rows over 200 skills, plus two versions of
# 'compare-me' with 100,000 runs each):
#   (cd Benchmarks && swift run -c release generate-workload --db /tmp/skill-forge-10m.db)
set -euo pipefail
DB=${DB:?set DB to a database made by generate-workload}
RUNS=${RUNS:-3}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"

# measure LABEL CMD...: median wall time and peak RSS of RUNS runs.
measure() {
    local label=$1; shift
    local times=() rss=()
    for _ in $(seq 1 "$RUNS"); do
        /usr/bin/time -f "%e %M" -o /tmp/bench-analysis-time.txt "$@" >/dev/null
        read -r t m < /tmp/bench-analysis-time.txt
        times+=("$t"); rss+=("$m")
    done
    python3 - "$label" "${times[*]}" "${rss[*]}" <<'PY'
import statistics, sys
label, times, rss = sys.argv[1], [float(t) for t in sys.argv[2].split()], [int(m) for m in sys.argv[3].split()]
print(f"| {label} | {statistics.median(times) * 1000:,.0f} ms | {max(rss) / 1024:.0f} MB |")
PY
}

echo "database: $DB ($(sqlite3 "$DB" 'SELECT COUNT(*) FROM skill_metrics') rows), sqlite $(sqlite3 --version | cut -d' ' -f1), $(nproc) cores"
echo
echo "| command (process start to exit) | median of $RUNS | peak RSS |"
echo "|---|---:|---:|"
measure "skill-forge stats skill-017 (full summary)" "$SF" stats skill-017 --db "$DB"
measure "sqlite3: COUNT/AVG + p95 of skill-017 (peers' queries)" sqlite3 "$DB" \
    "SELECT COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success) FROM skill_metrics WHERE skill_id = 'skill-017'; SELECT execution_ms FROM skill_metrics WHERE skill_id = 'skill-017' ORDER BY execution_ms LIMIT 1 OFFSET 47000"
measure "skill-forge stats (all skills)" "$SF" stats --db "$DB"
measure "sqlite3: GROUP BY skill_id aggregates (peers' query)" sqlite3 "$DB" \
    "SELECT skill_id, COUNT(*), AVG(execution_ms), AVG(tokens_in + tokens_out), 1.0 - AVG(success) FROM skill_metrics GROUP BY skill_id"
measure "skill-forge compare compare-me 1.0 vs 2.0 (2 × 100k)" "$SF" compare compare-me --db "$DB" --baseline 1.0 --candidate 2.0
measure "sqlite3: ordered scan of both versions" sqlite3 "$DB" \
    "SELECT SUM(execution_ms) FROM (SELECT execution_ms FROM skill_metrics WHERE skill_id = 'compare-me' AND version IN ('1.0', '2.0') ORDER BY execution_ms)"
measure "skill-forge trend skill-017 --bucket day" "$SF" trend skill-017 --db "$DB"
measure "skill-forge skills" "$SF" skills --db "$DB"
