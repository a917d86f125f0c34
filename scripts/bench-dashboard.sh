#!/usr/bin/env bash
# bench-dashboard.sh: the dashboard's pages on existing databases, timed with curl
# against the release `skill-forge serve`: the first load after the server starts
# (it computes every skill's figures) and the median of the N loads after it (5 by
# default; each reads the store's totals again and reuses what is unchanged).
#
#   scripts/bench-dashboard.sh /tmp/w1m.db /tmp/w10m.db
#   N=21 PAGES="/ /skills/skill-017 /?last=7d" scripts/bench-dashboard.sh /tmp/w10m.db
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -gt 0 ] || { echo "usage: $0 DATABASE..." >&2; exit 64; }
PAGES=${PAGES:-"/ /skills/skill-017"}
N=${N:-5}
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"
echo "| database | page | first load | median of $N after it |"
echo "|---|---|---:|---:|"
for db in "$@"; do
    log=$(mktemp)
    TZ=UTC "$SF" serve --port 0 --db "$db" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do grep -q "collector on" "$log" && break; sleep 0.2; done
    base=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
    [ -n "$base" ] || { echo "the server did not start: $(cat "$log")" >&2; kill "$server"; exit 1; }
    for page in $PAGES; do
        first=$(curl -s -o /dev/null -w '%{time_total}' "$base$page")
        median=$(for _ in $(seq 1 "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$base$page"; done | sort -n | sed -n "$(((N + 1) / 2))p")
        python3 -c "import sys; print(f'| {sys.argv[1]} | \`{sys.argv[2]}\` | {float(sys.argv[3]) * 1e3:,.1f} ms | {float(sys.argv[4]) * 1e3:,.1f} ms |')" \
            "$db" "$page" "$first" "$median"
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
    rm -f "$log"
done
