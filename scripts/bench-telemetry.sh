#!/usr/bin/env bash
# bench-telemetry.sh: `skill-forge import --from otlp-logs` on synthetic Claude Code
# telemetry, in events/s and MB/s, next to two yardsticks on the same file in the same
# run: reading it (cat) and parsing every line with Python's json module (C-accelerated).
#
#   scripts/bench-telemetry.sh                 # 20,000 prompts, 160,000 events
#   PROMPTS=50000 scripts/bench-telemetry.sh
#
# Each prompt runs one of 40 skills: a Skill call, its activation, 4 API requests
# (tokens, cost, model) and 2 MCP calls, as the Collector's file exporter writes them
# (512 records a line), every event at a random place in the file: the worst case,
# where nearly every run is completed by later batches (merges that update stored
# rows). The import runs twice: into an empty database, then again (every event
# already merged).
set -euo pipefail
PROMPTS=${PROMPTS:-20000}
WORK=${WORK:-/tmp/skill-forge-bench-telemetry}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$WORK"
mkdir -p "$WORK"

echo "building (release)" >&2
(cd "$ROOT" && swift build -c release --product skill-forge >&2)
SF="$ROOT/.build/release/skill-forge"

python3 - "$PROMPTS" "$WORK/telemetry.jsonl" <<'PY'
import json, random, sys
prompts, path = int(sys.argv[1]), sys.argv[2]
random.seed(11)
T = 1_795_168_800_000
def s(k, v): return {"key": k, "value": {"stringValue": v}}
def i(k, v): return {"key": k, "value": {"intValue": str(v)}}
def d(k, v): return {"key": k, "value": {"doubleValue": v}}
records, seq = [], 0
def event(name, at, session, prompt, attrs):
    global seq
    seq += 1
    records.append({"timeUnixNano": str(at * 1_000_000), "body": {"stringValue": "claude_code." + name},
                    "attributes": [s("session.id", session), s("prompt.id", prompt), s("event.name", name),
                                   i("event.sequence", seq)] + attrs})
for p in range(prompts):
    session, prompt, skill, at = f"session-{p // 50}", f"prompt-{p}", f"skill-{p % 40}", T + p * 60_000
    event("tool_result", at + 300, session, prompt, [s("tool_name", "Skill"), s("tool_use_id", f"toolu_{p}_s"), s("success", "true"),
          s("duration_ms", "120"), s("tool_parameters", json.dumps({"skill_name": skill}))])
    event("skill_activated", at + 190, session, prompt, [s("skill.name", skill)])
    for r in range(4):
        event("api_request", at + 3_000 * (r + 1), session, prompt, [s("model", "claude-sonnet-4-5"), s("skill.name", skill),
              d("cost_usd", round(random.uniform(0.001, 0.05), 6)), i("duration_ms", random.randint(800, 2900)),
              i("input_tokens", random.randint(100, 5000)), i("output_tokens", random.randint(20, 2000)),
              i("cache_read_tokens", random.randint(0, 30000)), i("cache_creation_tokens", random.randint(0, 4000))])
    for m in range(2):
        event("tool_result", at + 4_000 + 3_000 * m, session, prompt, [s("tool_name", "mcp_tool"), s("tool_use_id", f"toolu_{p}_{m}"),
              s("success", "true"), i("duration_ms", random.randint(50, 900)), i("tool_result_size_bytes", random.randint(10, 9000)),
              s("tool_parameters", json.dumps({"mcp_server_name": "github", "mcp_tool_name": "search_code"}))])
# Every event at a random place: a run's events are spread over the whole file, so
# nearly every run is completed by later batches (merges that update stored rows).
random.shuffle(records)
lines = [records[k:k + 512] for k in range(0, len(records), 512)]
with open(path, "w") as out:
    for batch in lines:
        out.write(json.dumps({"resourceLogs": [{"resource": {"attributes": [s("service.name", "claude-code")]},
                                                "scopeLogs": [{"logRecords": batch}]}]}, separators=(",", ":")) + "\n")
print(len(records), "events", file=sys.stderr)
PY
BYTES=$(wc -c < "$WORK/telemetry.jsonl")
EVENTS=$(( PROMPTS * 8 ))

# measure LABEL CMD...: wall time, events/s, MB/s and peak RSS of one run.
measure() {
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null
    read -r t m < "$WORK/time.txt"
    python3 - "$label" "$t" "$m" "$BYTES" "$EVENTS" <<'PY'
import sys
label, t, rss, size, events = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {label} | {t:.2f} s | {events / t:,.0f} | {size / 1e6 / t:,.0f} MB/s | {rss / 1024:.0f} MB |")
PY
}

echo "telemetry: $EVENTS events, $(( BYTES / 1000000 )) MB, $(wc -l < "$WORK/telemetry.jsonl") lines; $(nproc) cores"
echo
echo "| reader (process start to exit) | wall | events/s | throughput | peak RSS |"
echo "|---|---:|---:|---:|---:|"
cat "$WORK/telemetry.jsonl" > /dev/null # warm the page cache for every reader alike
measure "cat (reading the file)" cat "$WORK/telemetry.jsonl"
measure "python3 json.loads of every line" python3 -c '
import json, sys
with open(sys.argv[1], "rb") as f:
    for line in f: json.loads(line)' "$WORK/telemetry.jsonl"
measure "skill-forge import --from otlp-logs (empty database)" "$SF" import --db "$WORK/sf.db" --from otlp-logs "$WORK/telemetry.jsonl"
measure "skill-forge import --from otlp-logs (again: all merged)" "$SF" import --db "$WORK/sf.db" --from otlp-logs "$WORK/telemetry.jsonl"
echo
echo "rows: $(sqlite3 "$WORK/sf.db" 'SELECT COUNT(*) FROM skill_metrics'), merged events: $(sqlite3 "$WORK/sf.db" 'SELECT COUNT(*) FROM merged_events')"
echo "database: $(( $(stat -c %s "$WORK/sf.db") / 1000000 )) MB"
