#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests, on a Unix socket and a free port of
# 127.0.0.1 (from 54329 on, or PORT), and prints the export that points the tests at it:
#
#   eval "$(scripts/start-test-postgres.sh /tmp/sf-pg)"   # start (or reuse) it
#   swift test --filter Postgres                          # the tests now use it
#   scripts/start-test-postgres.sh stop /tmp/sf-pg        # stop it
#
# fsync is off (the tests need no durability) unless PG_FSYNC=on (the benchmarks).
# Needs Debian's postgresql package (its binaries in /usr/lib/postgresql/N/bin).
# Runs as the current user, or as `postgres` when the current user is root.
set -euo pipefail

if [ "${1:-}" = "stop" ]; then
    dir=${2:?usage: $0 stop DIR}
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    exit 0
fi

dir=${1:?usage: $0 DIR [PORT]}
# The first free loopback port from 54329 on, unless PORT is given.
free_port() {
    local candidate
    for candidate in $(seq 54329 54429); do
        (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null || { echo "$candidate"; return; }
    done
    echo "no free port in 54329-54429" >&2; exit 1
}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
run=(); user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); user=postgres; fi

mkdir -p "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
if [ ! -e "$dir/data/PG_VERSION" ]; then
    "${run[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
fi
if "${run[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$dir/data/postmaster.pid")    # the running cluster's own port
else
    port=${2:-$(free_port)}
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=400" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
fi
"${run[@]}" "$bin/psql" -h "$dir" -p "$port" -U "$user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'skill_forge_test'" | grep -q 1 \
    || "${run[@]}" "$bin/createdb" -h "$dir" -p "$port" -U "$user" skill_forge_test
echo "export SKILL_FORGE_TEST_POSTGRES_URL='postgres://$user@127.0.0.1:$port/skill_forge_test?sslmode=disable'"
