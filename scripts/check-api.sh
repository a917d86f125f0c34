#!/usr/bin/env bash
# Runs schemathesis (from PyPI) against a live `skill-forge serve` with docs/openapi.yaml:
# every answer must be one the document declares, with its content type and schema,
# no 5xx, and requests that break the schema refused.
#
#   scripts/check-api.sh                 # builds if needed; about 2.5 minutes
#   MAX_TIME=30 scripts/check-api.sh     # a shorter run
#
# The check `positive_data_acceptance` is left out: the API validates more than a
# schema can say (a date must exist, a compare needs a baseline version or window),
# so some schema-valid requests are rightly refused with 400.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_TIME="${MAX_TIME:-120}"
command -v schemathesis >/dev/null 2>&1 || { echo "schemathesis is missing: python3 -m pip install schemathesis" >&2; exit 1; }
swift build --product skill-forge >/dev/null
binary="$(swift build --show-bin-path)/skill-forge"

work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A few skills with versions and failures, so that every read route has data.
python3 - "$work/runs.jsonl" <<'PY'
import json, random, sys
random.seed(7)
start = 1795132800000  # 2026-11-20T00:00:00Z
with open(sys.argv[1], "w") as out:
    for i in range(600):
        skill = ["summarise", "lint", "mcp:github/create_issue"][i % 3]
        out.write(json.dumps({
            "skillId": skill, "executionMs": random.randint(20, 4000), "tokensIn": random.randint(0, 5000),
            "tokensOut": random.randint(0, 900), "success": random.random() > 0.08,
            "timestamp": start + i * 600_000, "version": ["1.0", "2.0"][i % 2]}) + "\n")
PY
"$binary" import --db "$work/api.db" --from jsonl "$work/runs.jsonl" >/dev/null

"$binary" serve --db "$work/api.db" --port 0 >"$work/out.txt" 2>"$work/err.txt" &
server=$!
for _ in $(seq 1 100); do
    grep -q "collector on" "$work/out.txt" 2>/dev/null && break
    sleep 0.1
done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/out.txt")
[ -n "$port" ] || { echo "the server did not start:" >&2; cat "$work/err.txt" >&2; exit 1; }

schemathesis run docs/openapi.yaml --url "http://127.0.0.1:$port" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples 40 --max-time "$MAX_TIME" --seed 1 --no-color

# The server is still up and answers after the run.
kill -0 "$server"
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
echo "check-api: schemathesis passed and the server is still healthy"
