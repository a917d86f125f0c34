#!/usr/bin/env bash
# Ingest into PostgreSQL through 4 collectors (separate `skill-forge serve` processes),
# next to one collector on an SQLite file and to pgbench's raw INSERT of the same
# batches into the same table (the yardstick). Batches of 100 runs; rows/s and p99.
#
#   scripts/bench-postgres.sh                     # release build, 20 s per phase
#   DURATION=60 COLLECTORS=4 scripts/bench-postgres.sh
#   SKILL_FORGE_BINARY=/tmp/old/skill-forge scripts/bench-postgres.sh   # another build
#
# Starts a throwaway cluster with fsync on (durable, as the SQLite file is) in a
# temporary directory, and removes it afterwards. Needs Debian's postgresql and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20}"
COLLECTORS="${COLLECTORS:-4}"
CONNECTIONS="${CONNECTIONS:-4}"          # per collector (and per pgbench client group)
PORT="${PORT:-54339}"
command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; }
# SKILL_FORGE_BINARY=path measures another build (to compare two in turns).
if [ -n "${SKILL_FORGE_BINARY:-}" ]; then
    binary="$SKILL_FORGE_BINARY"
else
    swift build -c release --product skill-forge >/dev/null
    binary="$(swift build -c release --show-bin-path)/skill-forge"
fi

work=$(mktemp -d)
chmod 755 "$work"    # the postgres user reaches its cluster inside
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    scripts/start-test-postgres.sh stop "$work/pg" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
eval "$(PG_FSYNC=on scripts/start-test-postgres.sh "$work/pg" "$PORT")"
base="$SKILL_FORGE_TEST_POSTGRES_URL"
run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
psql_at() { "${run[@]}" "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d skill_forge_test -X -q -t -A "$@"; }
echo "== PostgreSQL $(psql_at -c 'SHOW server_version'), fsync $(psql_at -c 'SHOW fsync'), synchronous_commit $(psql_at -c 'SHOW synchronous_commit')"

# Starts a collector on DB and sets `url` to its address (not in a subshell: `servers` keeps its pid).
start_collector() {
    local db=$1 out="$work/serve-$RANDOM.txt"
    "$binary" serve --db "$db" --port 0 >"$out" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 200); do grep -q "collector on" "$out" 2>/dev/null && break; sleep 0.1; done
    url=$(sed -n 's/.*\(http:\/\/127\.0\.0\.1:[0-9]*\),.*/\1/p' "$out")
}

# p99 and rows/s of a set of wrk outputs: requests × 100 over the phase.
summarise_wrk() {
    local label=$1; shift
    local requests=0 p99s=()
    for file in "$@"; do
        requests=$((requests + $(awk '/requests in/ {print $1}' "$file")))
        p99s+=("$(awk '$1 == "99%" {print $2}' "$file")")
    done
    local errors
    errors=$(cat "$work"/wrk-*.err 2>/dev/null | grep -c "unexpected status" || true)
    echo "$label: $((requests * 100 / DURATION)) runs/s, p99 per collector: ${p99s[*]}, non-201 answers so far: $errors"
}

echo "== pgbench yardstick: $((COLLECTORS * CONNECTIONS)) clients, one INSERT of 100 rows per transaction, ${DURATION}s"
raw="$base&schema=raw"
"$binary" skills --db "$raw" >/dev/null 2>&1 || true     # creates the same table and indexes in schema raw
cat >"$work/insert100.sql" <<'SQL'
INSERT INTO raw.skill_metrics (skill_id, execution_ms, tokens_in, tokens_out, success, timestamp, run_id)
SELECT 'skill-' || (i % 20), 100 + (i * 37) % 900, 1000 + i, 200 + i, true,
       1795132800000 + (extract(epoch FROM clock_timestamp()) * 1000)::bigint % 86400000 + i,
       'pgbench-' || :client_id || '-' || txid_current() || '-' || i
FROM generate_series(1, 100) AS i;
SQL
mkdir "$work/pgbench"; [ "$(id -u)" -eq 0 ] && chown postgres "$work/pgbench"
# Runs pgbench's INSERT for DURATION and prints LABEL: rows/s and p99 (from its per-transaction log).
run_pgbench() {
    local label=$1 transactions p99
    rm -f "$work"/pgbench/pgbench_log.*
    (cd "$work/pgbench" && "${run[@]}" "$bin/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -c $((COLLECTORS * CONNECTIONS)) \
        -j "$COLLECTORS" -T "$DURATION" -l -f "$work/insert100.sql" skill_forge_test >"$work/pgbench.txt" 2>&1) \
        || { cat "$work/pgbench.txt" >&2; exit 1; }
    transactions=$(awk '/number of transactions actually processed/ {print $NF}' "$work/pgbench.txt" | cut -d/ -f1)
    p99=$(cat "$work"/pgbench/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.1f ms", a[i]/1000}')
    echo "$label: $((transactions * 100 / DURATION)) rows/s, p99 $p99"
}
run_pgbench "pgbench raw INSERT"
echo "   rows stored: $(psql_at -c 'SELECT count(*) FROM raw.skill_metrics')"

echo "== the same without the rollup triggers (what keeping the rollups costs)"
psql_at -c "TRUNCATE raw.skill_metrics, raw.skill_rollups" -c "ALTER TABLE raw.skill_metrics DISABLE TRIGGER USER"
run_pgbench "pgbench raw INSERT, no rollups"

echo "== $COLLECTORS collectors on PostgreSQL: $CONNECTIONS connections each, ${DURATION}s"
collector_url="$base&schema=collected"
pids=()
for index in $(seq 1 "$COLLECTORS"); do
    start_collector "$collector_url"
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/wrk/metrics-batch.lua "$url" -- 100 "pg$index" \
        >"$work/wrk-pg-$index.txt" 2>"$work/wrk-pg-$index.err" &
    pids+=($!)
done
wait "${pids[@]}"
summarise_wrk "$COLLECTORS collectors on PostgreSQL" "$work"/wrk-pg-*.txt
for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
servers=()
echo "   rows stored: $(psql_at -c 'SELECT count(*) FROM collected.skill_metrics')"

echo "== 1 collector on an SQLite file: $((COLLECTORS * CONNECTIONS)) connections, ${DURATION}s"
start_collector "$work/bench.db"
wrk -t2 -c$((COLLECTORS * CONNECTIONS)) -d"${DURATION}s" --latency -s scripts/wrk/metrics-batch.lua "$url" -- 100 sqlite \
    >"$work/wrk-sqlite.txt" 2>"$work/wrk-sqlite.err"
summarise_wrk "1 collector on SQLite" "$work/wrk-sqlite.txt"
echo "== PostgreSQL size of the collected rows: $(psql_at -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'collected' AND c.relkind = 'r'")"
