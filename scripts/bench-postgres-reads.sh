#!/usr/bin/env bash
# Summaries on PostgreSQL at ROWS runs (10 million by default) over 200 skills:
# `skills` (every skill's totals, from the rollups) next to the same totals by
# GROUP BY over the rows; one skill's `stats` (counts, means and exact
# percentiles) next to a hand-written percentile_cont query of the same figures.
# hyperfine times each as a whole process (psql's start included, as ours).
#
#   scripts/bench-postgres-reads.sh              # 10M rows: about 7 min to load here
#   ROWS=1000000 scripts/bench-postgres-reads.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-10000000}"
PORT="${PORT:-54349}"
command -v hyperfine >/dev/null 2>&1 || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
swift build -c release --product skill-forge >/dev/null
binary="$(swift build -c release --show-bin-path)/skill-forge"

work=$(mktemp -d)
chmod 755 "$work"    # the postgres user reaches its cluster inside
trap 'scripts/start-test-postgres.sh stop "$work/pg" 2>/dev/null || true; rm -rf "$work"' EXIT
eval "$(scripts/start-test-postgres.sh "$work/pg" "$PORT")"
url="$SKILL_FORGE_TEST_POSTGRES_URL"
run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
psql_at() { "${run[@]}" "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d skill_forge_test -X -q -t -A "$@"; }
"$binary" skills --db "$url" >/dev/null 2>&1 || true    # creates the tables, indexes and rollups

echo "== loading $ROWS runs (200 skills, about 5% failures, log-normal times, 30 days), 1M per statement"
started=$(date +%s)
for ((offset = 0; offset < ROWS; offset += 1000000)); do
    count=$((ROWS - offset < 1000000 ? ROWS - offset : 1000000))
    psql_at -c "
        INSERT INTO skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, version, model, run_id)
        SELECT 'skill-' || (i % 200), (exp(6.5 + 0.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::bigint,
               (random() * 20000)::bigint, (random() * 8000)::bigint, random() > 0.05,
               1795132800000 + (random() * 2592000000)::bigint, CASE WHEN i % 2 = 0 THEN '1.0' ELSE '2.0' END,
               'claude-sonnet-4-5', 'bench-' || i
        FROM generate_series($offset + 1, $offset + $count) AS i"
    echo "   $((offset + count)) rows, $(( $(date +%s) - started )) s"
done
psql_at -c "VACUUM ANALYZE"
echo "== size: $(psql_at -c "SELECT pg_size_pretty(pg_total_relation_size('skill_metrics'))") rows and indexes, $(psql_at -c "SELECT pg_size_pretty(pg_total_relation_size('skill_rollups'))") hourly rollups ($(psql_at -c 'SELECT count(*) FROM skill_rollups') rows), $(psql_at -c "SELECT pg_size_pretty(pg_total_relation_size('skill_rollups_all_time'))") all-time rollups ($(psql_at -c 'SELECT count(*) FROM skill_rollups_all_time') rows)"

psql_cmd="${run[*]} $bin/psql -h 127.0.0.1 -p $PORT -U postgres -d skill_forge_test -X -q -t -A -o /dev/null -c"
echo "== every skill's totals"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/all.md" \
    -n "skill-forge skills (rollups)" "$binary skills --db '$url' --format json" \
    -n "psql: GROUP BY over the rows" "$psql_cmd \"SELECT skill_id, count(*), avg(execution_ms), avg((NOT success)::int), avg(tokens_in + tokens_out), min(timestamp), max(timestamp) FROM skill_metrics GROUP BY 1\"" \
    -n "psql: GROUP BY over the hourly rollups" "$psql_cmd \"SELECT skill_id, sum(runs), sum(execution_ms_sum) / sum(runs), sum(failures), min(first_run), max(last_run) FROM skill_rollups GROUP BY 1\"" \
    -n "psql: GROUP BY over the all-time rollups" "$psql_cmd \"SELECT skill_id, sum(runs), sum(execution_ms_sum) / sum(runs), sum(failures), min(first_run), max(last_run) FROM skill_rollups_all_time GROUP BY 1\""
cat "$work/all.md"

echo "== one skill's summary with exact percentiles"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/one.md" \
    -n "skill-forge stats skill-42" "$binary stats skill-42 --db '$url' --format json" \
    -n "psql: percentile_cont" "$psql_cmd \"SELECT count(*), avg(execution_ms), min(execution_ms), max(execution_ms), stddev_samp(execution_ms), avg((NOT success)::int), avg(tokens_in), avg(tokens_out), percentile_cont(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY execution_ms) FROM skill_metrics WHERE skill_id = 'skill-42'\""
cat "$work/one.md"

echo "== the same percentiles from both (they must agree)"
"$binary" stats skill-42 --db "$url" --format json | tr -d ' \n' | grep -o '"executionMs":{[^}]*}'
psql_at -c "SELECT percentile_cont(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY execution_ms) FROM skill_metrics WHERE skill_id = 'skill-42'"
